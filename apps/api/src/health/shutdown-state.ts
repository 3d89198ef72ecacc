import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { markPlannedRefusal } from '../observability/logging';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Draining on shutdown. From the signal on, readiness answers 503 (a load balancer stops sending
 * traffic) and every request that arrives — on a new connection or on a kept-alive one that was
 * idle — gets `503 shutting_down` with `Connection: close` instead of being started. Requests
 * already running finish. Only when none is left (and at least `minimumMs` after the signal) does
 * the app close the HTTP server, which is when idle connections are closed: closing them at the
 * signal made a client's next request on them fail with a reset instead of a 503.
 */
@Injectable()
export class ShutdownState implements OnModuleDestroy {
  draining = false;
  private inFlight = 0;

  /** Express middleware: refuses new work while draining, counts the requests it lets through. */
  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    if (this.draining) {
      markPlannedRefusal(res);
      res.setHeader('Connection', 'close');
      res.setHeader('Retry-After', '1');
      res.status(503).json({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'shutting_down',
        message: 'This instance is shutting down; nothing was stored. Try again.',
      });
      return;
    }
    this.inFlight++;
    res.once('close', () => this.inFlight--);
    next();
  };

  /**
   * Starts draining and resolves once no request is running and `minimumMs` have passed (so a
   * client with an idle connection gets its 503), or after `maximumMs` whatever is still running.
   */
  async drain({ minimumMs, maximumMs }: { minimumMs: number; maximumMs: number }): Promise<void> {
    this.draining = true;
    const start = Date.now();
    while (Date.now() - start < maximumMs && (this.inFlight > 0 || Date.now() - start < minimumMs)) {
      await sleep(25);
    }
  }

  /** `app.close()` without a signal (tests, scripts): drain from here on, without waiting. */
  onModuleDestroy(): void {
    this.draining = true;
  }
}
