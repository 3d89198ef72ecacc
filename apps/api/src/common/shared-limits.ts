import { createHmac } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Pool, QueryResult } from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';

/**
 * Rows whose window has ended are deleted every minute (by each instance): a counter row says when
 * someone asked for a token or submitted, so it is kept no longer than its window needs it
 * (docs/anonymity.md, residual risks).
 */
const SWEEP_EVERY_MS = 60_000;

export interface Hit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends. */
  msLeft: number;
}

/**
 * Fixed-window counters in PostgreSQL (`rate_limit`), shared by every instance behind a load
 * balancer, so a documented limit holds in total however many instances run. The hits of one
 * request are one `INSERT … ON CONFLICT … DO UPDATE … RETURNING` in the layout and window rule of
 * rate-limiter-flexible's PostgreSQL store, whose `reward` gives hits back
 * (docs/adr/0009-shared-rate-limits.md); the table comes from a migration, never from the library.
 *
 * Subjects (addresses, person ids, survey tokens) are stored as HMACs under a key derived from
 * `JWT_SECRET`, which every instance shares: the table holds no address, id or token.
 */
@Injectable()
export class SharedLimits implements OnModuleDestroy {
  private readonly limiters = new Map<string, RateLimiterPostgres>();
  private readonly key: Buffer;
  private readonly store: { query(q: { text: string; values?: unknown[] }): Promise<QueryResult> };
  private readonly sweep: NodeJS.Timeout;
  private readonly pool: Pool;

  constructor(dataSource: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    this.key = createHmac('sha256', config.jwt.secret).update('candor:rate-limit').digest();
    // TypeORM's pg pool. The library names its prepared statements; unnamed ones keep PgBouncer
    // in transaction mode working (docs/operations.md, "Connection poolers").
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    this.store = { query: (q) => pool.query(q.text, q.values) };
    this.pool = pool;
    this.sweep = setInterval(() => void this.sweepExpired().catch(() => undefined), SWEEP_EVERY_MS);
    this.sweep.unref();
  }

  /** Deletes the counters whose window has ended (the library's clearExpired statement). */
  async sweepExpired(): Promise<void> {
    await this.pool.query('DELETE FROM rate_limit WHERE expire < $1', [Date.now()]);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  private limiter(name: string, points: number, seconds: number): RateLimiterPostgres {
    const id = `${name}/${points}/${seconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterPostgres({
        storeClient: this.store,
        storeType: 'client',
        tableName: 'rate_limit',
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: name,
        points,
        duration: seconds,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  private subject(subject: string): string {
    return createHmac('sha256', this.key).update(subject).digest('base64url');
  }

  /** The row key of `subject` under the limit `name`, as stored in `rate_limit`. */
  storedKey(name: string, subject: string): string {
    return `${name}:${this.subject(subject)}`;
  }

  /**
   * Counts one hit for `subject` under the limit `name` (`points` per `seconds`-long window) and
   * says how many the window holds now. Never refuses by itself: the caller compares.
   */
  async hit(name: string, subject: string, points: number, seconds: number): Promise<Hit> {
    const [hit] = await this.hitAll([{ name, subject, points, seconds }]);
    return hit!;
  }

  /**
   * Counts one hit for each charge, in one statement — a route charged under two limits (address
   * and token) costs one round trip, not two. The fixed-window upsert is rate-limiter-flexible's
   * own (same rows, same window rule), so its `reward` (`refund`) works on them; results in the
   * charges' order. Rows are written in key order, so two requests charging the same
   * counters lock them in the same order.
   */
  async hitAll(
    charges: { name: string; subject: string; points: number; seconds: number }[],
  ): Promise<Hit[]> {
    const keys = charges.map((c) => this.storedKey(c.name, c.subject));
    if (new Set(keys).size !== keys.length) {
      // One statement cannot update a row twice; a counter charged twice is counted one by one.
      const hits: Hit[] = [];
      for (const c of charges) hits.push(await this.hit(c.name, c.subject, c.points, c.seconds));
      return hits;
    }
    if (keys.length === 0) return [];
    const now = Date.now();
    const order = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
    const { rows } = await this.pool.query<{ key: string; points: number; expire: string | null }>(
      `INSERT INTO rate_limit (key, points, expire)
       SELECT key, 1, expire FROM unnest($1::text[], $2::bigint[]) AS u(key, expire)
       ON CONFLICT (key) DO UPDATE SET
         points = CASE WHEN rate_limit.expire <= $3 THEN 1 ELSE rate_limit.points + 1 END,
         expire = CASE WHEN rate_limit.expire <= $3 THEN EXCLUDED.expire ELSE rate_limit.expire END
       RETURNING key, points, expire`,
      [order.map((i) => keys[i]), order.map((i) => now + charges[i]!.seconds * 1000), now],
    );
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return keys.map((key) => {
      const row = byKey.get(key)!;
      return {
        count: row.points,
        msLeft: row.expire === null ? 0 : Math.max(0, Number(row.expire) - Date.now()),
      };
    });
  }

  /** Gives one hit back (a request that failed on the server's side). */
  async refund(name: string, subject: string, points: number, seconds: number): Promise<void> {
    await this.limiter(name, points, seconds).reward(this.subject(subject), 1);
  }
}
