import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from './errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Metrics } from './metrics';
import { SharedLimits } from './shared-limits';

const WINDOW_SECONDS = 60;

/** The OpenAPI description of a limited route's 429. */
export const RATE_LIMITED =
  'Too many requests from this address, account, token or reply code; see Retry-After';

export type LimitName = keyof AppConfig['rateLimits'];

const WHAT: Record<LimitName, string> = {
  submitPerAddress: 'submissions from your network address',
  submitPerToken: 'attempts with this survey token',
  tokenPerAddress: 'survey token requests from your network address',
  tokenPerUser: 'survey token requests from your account',
  commentPerAddress: 'comments from your network address',
  commentPerToken: 'comment attempts with this survey token',
  threadPerAddress: 'thread requests from your network address',
  threadReadPerSecret: 'reads of this thread',
  threadMessagePerSecret: 'messages to this thread',
};

/**
 * Per-minute limits on token issue, submission, comments and writer threads (`RATE_LIMIT_*`, see
 * config.ts): fixed
 * one-minute windows per key, counted in PostgreSQL (common/shared-limits.ts), so the documented
 * numbers hold in total for any number of instances behind a load balancer. One upsert per
 * counted key; the keys of one request are counted in parallel.
 */
@Injectable()
export class RouteLimits {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly shared: SharedLimits,
  ) {}

  /**
   * Counts one request against each `[limit, subject]`; when any is over its limit, answers 429
   * with `Retry-After` (the request is still counted, so hammering does not shorten the wait).
   * Returns a refund: the caller gives the request back when it failed on the server's side
   * (5xx, e.g. the database was down), so that honest retries during an outage are not limited.
   */
  async check(res: Response, charges: [LimitName, string][]): Promise<() => Promise<void>> {
    const counted = charges
      .map(([name, subject]) => ({ name, subject, limit: this.config.rateLimits[name] }))
      .filter((c) => c.limit > 0);
    const hits = await this.shared.hitAll(
      counted.map((c) => ({ name: c.name, subject: c.subject, points: c.limit, seconds: WINDOW_SECONDS })),
    );
    let worst: { name: LimitName; wait: number } | null = null;
    hits.forEach((hit, i) => {
      if (hit.count <= counted[i]!.limit) return;
      const wait = Math.max(1, Math.ceil(hit.msLeft / 1000));
      if (!worst || wait > worst.wait) worst = { name: counted[i]!.name, wait };
    });
    if (worst) {
      const { name, wait } = worst as { name: LimitName; wait: number };
      this.metrics.rateLimited.inc({ limit: name });
      res.setHeader('Retry-After', String(wait));
      throw new DomainError(
        'rate_limited',
        429,
        `Too many ${WHAT[name]}. Try again in ${wait} second${wait === 1 ? '' : 's'}.`,
      );
    }
    return async () => {
      await Promise.all(counted.map((c) => this.shared.refund(c.name, c.subject, c.limit, WINDOW_SECONDS)));
    };
  }
}

/** A request that fails on the server's side (not a 4xx) does not count against the caller's limits. */
export async function refundOnServerError<T>(
  work: () => Promise<T>,
  refund: () => Promise<void>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof DomainError) || err.status >= 500) await refund().catch(() => undefined);
    throw err;
  }
}

export { clientAddress } from './client-address';
