import { Injectable, type OnModuleDestroy } from '@nestjs/common';

/**
 * Set when the app starts shutting down (Nest calls `onModuleDestroy` before it closes the HTTP
 * server). From then on readiness answers 503, so a load balancer stops sending traffic, and a
 * request that still arrives on an open keep-alive connection gets 503 with `Connection: close`
 * (see create-app.ts) instead of being started. Requests already running finish normally; the
 * database pool closes after the HTTP server has drained.
 */
@Injectable()
export class ShutdownState implements OnModuleDestroy {
  draining = false;

  onModuleDestroy(): void {
    this.draining = true;
  }
}
