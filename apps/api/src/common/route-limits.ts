import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from './errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Metrics } from './metrics';
import { type CounterRow, type Hit, type HitBatch, hitBatch, hitsOf, SharedLimits } from './shared-limits';

const WINDOW_SECONDS = 60;

/** The OpenAPI description of a limited route's 429. */
export const RATE_LIMITED =
  'Too many requests from this address, account, token or reply code; see Retry-After';

export type LimitName = keyof AppConfig['rateLimits'];

/**
 * The limits a route may count inside its own statement: per survey token only. A token's keyed
 * hash means nothing without the token; an address's or a person's would be joined to the stored
 * work by its transaction id (see {@link DeferredCharges}).
 */
export type DeferrableLimit = Extract<LimitName, `${string}PerToken`>;

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
 * config.ts): fixed one-minute windows per key, counted in PostgreSQL (common/shared-limits.ts),
 * so the documented numbers hold in total for any number of instances behind a load balancer. The
 * keys of one request are counted in one upsert, before the route's work (`check`) or inside the
 * route's own statement (`defer`).
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
    const counted = this.counted(charges);
    await this.hitAlone(res, counted);
    return () => this.refund(counted);
  }

  /**
   * The charges of a request whose route counts them inside its own statement (one round trip and
   * one commit instead of two; see {@link DeferredCharges}). Nothing is counted yet.
   */
  defer(res: Response, charges: [DeferrableLimit, string][]): DeferredCharges {
    return new DeferredCharges(this.counted(charges), { limits: this, res });
  }

  private counted(charges: [LimitName, string][]): Counted[] {
    return charges
      .map(([name, subject]) => ({
        name,
        subject,
        limit: this.config.rateLimits[name],
        key: this.shared.storedKey(name, subject),
      }))
      .filter((c) => c.limit > 0);
  }

  /** @internal Counts `counted` on their own; see {@link DeferredCharges.countAlone}. */
  async hitAlone(res: Response, counted: Counted[]): Promise<void> {
    const hits = await this.shared.hitAll(
      counted.map((c) => ({ name: c.name, subject: c.subject, points: c.limit, seconds: WINDOW_SECONDS })),
    );
    this.refuseIfOver(res, counted, hits);
  }

  /** @internal Answers 429 with `Retry-After` when any hit is over its limit. */
  refuseIfOver(res: Response, counted: Counted[], hits: Hit[]): void {
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
  }

  /** @internal Gives one hit back on each counter. */
  async refund(counted: Counted[]): Promise<void> {
    await Promise.all(counted.map((c) => this.shared.refund(c.name, c.subject, c.limit, WINDOW_SECONDS)));
  }
}

interface Counted {
  name: LimitName;
  subject: string;
  limit: number;
  /** The counter's row key in `rate_limit` (a keyed hash of the subject). */
  key: string;
}

/**
 * A request's limits, counted by the route's own statement instead of a statement of their own.
 * The count is the same as {@link RouteLimits.check}'s — every request that reaches the handler is
 * counted once, in PostgreSQL, and refused with 429 once over — but the request's work and its
 * count commit together: a submission that passes every check in the app counts its token's
 * limit and stores its answers in one statement, one round trip and one commit (docs/adr/0009).
 *
 * Only for counters whose subject means nothing outside the request (a survey token): a counter
 * written in the same transaction as the stored work carries its transaction id, so an address or
 * a person counted this way would be joined to that work by anyone who can compute the key
 * (docs/anonymity.md, "Rate-limit counters"). Count those with `check`, before.
 *
 * The route must account for every path:
 * - a request refused by a check before its statement (4xx) calls {@link countAlone} first, which
 *   counts it as `check` would and answers 429 instead when over;
 * - the statement runs `countingUpsert` (shared-limits.ts) as a CTE with {@link params}, must store
 *   nothing when {@link overSql} is true, and hands the counters it returned to {@link settle};
 * - a failure on the server's side (5xx) is not counted: before the statement nothing was
 *   counted, inside it the count rolls back with the rest, after it {@link refund} gives it back.
 */
export class DeferredCharges {
  private readonly batch: HitBatch;

  constructor(
    private readonly counted: Counted[],
    private readonly route: { limits: RouteLimits; res: Response } | null,
  ) {
    this.batch = hitBatch(
      counted.map((c) => c.key),
      counted.map(() => WINDOW_SECONDS),
    );
  }

  /** No limits: for a caller inside the app that is not an HTTP request (tests, tools). */
  static none(): DeferredCharges {
    return new DeferredCharges([], null);
  }

  /** Counts the request on its own (it is being refused before its statement); 429 when over. */
  async countAlone(): Promise<void> {
    if (this.route) await this.route.limits.hitAlone(this.route.res, this.counted);
  }

  /**
   * SQL that is true when a counter returned by the CTE `cte` is over its limit (`limits`: the
   * placeholder of {@link params}' `limits`, aligned with `keys`).
   */
  static overSql(cte: string, p: { keys: string; limits: string }): string {
    return `EXISTS (SELECT 1 FROM ${cte} JOIN unnest(${p.keys}::text[], ${p.limits}::int[]) AS l(key, lim)
                       ON l.key = ${cte}.key WHERE ${cte}.points > l.lim)`;
  }

  /** The parameters for `countingUpsert` and {@link overSql}. */
  get params(): { keys: string[]; expires: number[]; limits: number[]; now: number } {
    const limitOf = new Map(this.counted.map((c) => [c.key, c.limit]));
    return { ...this.batch, limits: this.batch.keys.map((k) => limitOf.get(k)!) };
  }

  /** Refuses with 429 when any counter the statement returned is over its limit. */
  settle(rows: CounterRow[]): void {
    if (!this.route) return;
    this.route.limits.refuseIfOver(
      this.route.res,
      this.counted,
      hitsOf(
        this.counted.map((c) => c.key),
        rows,
      ),
    );
  }

  /** Gives the request back (it failed on the server's side after its statement committed). */
  async refund(): Promise<void> {
    if (this.route) await this.route.limits.refund(this.counted);
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
