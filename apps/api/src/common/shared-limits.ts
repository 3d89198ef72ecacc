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

/** A counter row as the upsert returns it. */
export interface CounterRow {
  key: string;
  points: number;
  /** Epoch milliseconds: a string from a bigint column, a number from JSON. */
  expire: string | number | null;
}

/** The parameters of one counting upsert: stored keys in lock order, their window ends, and now. */
export interface HitBatch {
  keys: string[];
  expires: number[];
  now: number;
}

/**
 * Orders the keys of one request for the upsert. Rows are written in key order, so two requests
 * charging the same counters lock them in the same order.
 */
export function hitBatch(keys: string[], seconds: number[], now = Date.now()): HitBatch {
  const order = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
  return { keys: order.map((i) => keys[i]!), expires: order.map((i) => now + seconds[i]! * 1000), now };
}

/**
 * The fixed-window counting upsert (rate-limiter-flexible's layout and window rule), returning the
 * {@link CounterRow}s: `keys`, `expires` and `now` name the statement's parameters for a {@link HitBatch};
 * `where` optionally gates the rows (a statement that folds the counting into its own work uses it
 * to lock its other rows first). One place for the rule, whether it runs alone ({@link
 * SharedLimits.hitAll}) or inside a route's own statement (the anonymous submission).
 */
export function countingUpsert(p: { keys: string; expires: string; now: string; where?: string }): string {
  return `INSERT INTO rate_limit (key, points, expire)
       SELECT u.key, 1, u.expire FROM unnest(${p.keys}::text[], ${p.expires}::bigint[]) AS u(key, expire)${
         p.where ? ` WHERE ${p.where}` : ''
       }
       ON CONFLICT (key) DO UPDATE SET
         points = CASE WHEN rate_limit.expire <= ${p.now} THEN 1 ELSE rate_limit.points + 1 END,
         expire = CASE WHEN rate_limit.expire <= ${p.now} THEN EXCLUDED.expire ELSE rate_limit.expire END
       RETURNING key, points, expire`;
}

/** The hits of `keys` (in their order) from the counter rows an upsert returned. */
export function hitsOf(keys: string[], rows: CounterRow[], now = Date.now()): Hit[] {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return keys.map((key) => {
    const row = byKey.get(key);
    if (!row) throw new Error(`rate_limit: no counter returned for ${key.split(':')[0]}`);
    return {
      count: row.points,
      msLeft: row.expire === null ? 0 : Math.max(0, Number(row.expire) - now),
    };
  });
}

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

  /**
   * Deletes the counters whose window has ended (the library's clearExpired rule). Rows a request is
   * counting right now are skipped, not waited for — they are swept next time — so the sweep never
   * takes part in a lock-order deadlock with an upsert that locks its rows in key order.
   */
  async sweepExpired(): Promise<void> {
    await this.pool.query(
      `DELETE FROM rate_limit WHERE key IN (
         SELECT key FROM rate_limit WHERE expire < $1 FOR UPDATE SKIP LOCKED)`,
      [Date.now()],
    );
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

  /**
   * The keyed hash of `subject` under the limit `name`. The limit's name is hashed in, so one
   * address counted under two limits (token requests, submissions) gets two unrelated keys: a
   * database reader cannot join a person's token request to a submission through their address.
   */
  private subject(name: string, subject: string): string {
    return createHmac('sha256', this.key).update(name).update('\u0000').update(subject).digest('base64url');
  }

  /** The row key of `subject` under the limit `name`, as stored in `rate_limit`. */
  storedKey(name: string, subject: string): string {
    return `${name}:${this.subject(name, subject)}`;
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
    const batch = hitBatch(
      keys,
      charges.map((c) => c.seconds),
    );
    const { rows } = await this.pool.query<CounterRow>(
      countingUpsert({ keys: '$1', expires: '$2', now: '$3' }),
      [batch.keys, batch.expires, batch.now],
    );
    return hitsOf(keys, rows);
  }

  /** Gives one hit back (a request that failed on the server's side). */
  async refund(name: string, subject: string, points: number, seconds: number): Promise<void> {
    await this.limiter(name, points, seconds).reward(this.subject(name, subject), 1);
  }
}
