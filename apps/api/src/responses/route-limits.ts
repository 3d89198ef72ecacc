import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Metrics } from '../observability/metrics';

const WINDOW_MS = 60_000;
const MAX_KEYS = 200_000;

export type LimitName = keyof AppConfig['rateLimits'];

const WHAT: Record<LimitName, string> = {
  submitPerAddress: 'submissions from your network address',
  submitPerToken: 'attempts with this survey token',
  tokenPerAddress: 'survey token requests from your network address',
  tokenPerUser: 'survey token requests from your account',
};

/**
 * Per-minute limits on token issue and submission (`RATE_LIMIT_*`, see config.ts): fixed
 * one-minute windows per key, counted in this instance's memory. Behind N instances an address
 * gets up to N × the limit (docs/operations.md, "Several instances").
 *
 * Keys are hashed: the map holds no addresses, user ids or tokens in the clear.
 */
@Injectable()
export class RouteLimits {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Counts one request against each `[limit, subject]`; when any is over its limit, answers 429
   * with `Retry-After` (the request is still counted, so hammering does not shorten the wait).
   * Returns a refund: the caller gives the request back when it failed on the server's side
   * (5xx, e.g. the database was down), so that honest retries during an outage are not limited.
   */
  check(res: Response, charges: [LimitName, string][], now = Date.now()): () => void {
    let worst: { name: LimitName; wait: number } | null = null;
    const counted: { start: number; count: number }[] = [];
    for (const [name, subject] of charges) {
      const limit = this.config.rateLimits[name];
      if (limit <= 0) continue;
      const key = createHash('sha256').update(`${name}\u0000${subject}`).digest('base64url').slice(0, 22);
      let window = this.windows.get(key);
      if (!window || now - window.start >= WINDOW_MS) {
        window = { start: now, count: 0 };
        this.windows.set(key, window);
      }
      window.count++;
      counted.push(window);
      if (window.count > limit) {
        const wait = Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
        if (!worst || wait > worst.wait) worst = { name, wait };
      }
    }
    if (this.windows.size > MAX_KEYS) this.sweep(now);
    if (worst) {
      this.metrics.rateLimited.inc({ limit: worst.name });
      res.setHeader('Retry-After', String(worst.wait));
      throw new DomainError(
        'rate_limited',
        429,
        `Too many ${WHAT[worst.name]}. Try again in ${worst.wait} second${worst.wait === 1 ? '' : 's'}.`,
      );
    }
    return () => {
      for (const window of counted) window.count = Math.max(0, window.count - 1);
    };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= WINDOW_MS) this.windows.delete(key);
  }
}

export { clientAddress } from '../common/client-address';
