import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import { CURRENT_VERSION } from '@candor/instruments';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { NotificationService, type PendingDelivery } from '../notifications/notification.service';
import { DisclosureService } from '../analytics/disclosure.service';
import { Metrics } from '../common/metrics';
import { SealingKeyUnavailableError } from '../sealing/sealing.service';
import { CycleService } from './cycle.service';
import { latestOpening } from './schedule-occurrences';
import { groupsBelow } from '../kernel/org-tree.sql';
import { type ScheduleRow as ScheduleApiRow } from './schedule.repository';

/** Key of the transaction-scoped advisory lock: one instance acts per tick. ("cndr") */
export const SCHEDULER_LOCK_KEY = 0x636e6472;
const TICK_INTERVAL_MS = 60_000;
/** How long a tick with `waitForLock` waits for another instance's tick (PostgreSQL lock_timeout). */
export const LOCK_WAIT_MS = 60_000;
/** Cycles closed per closeMany call: 10,000 due cycles are five set-based batches. */
export const CLOSE_BATCH = 2_000;

/** An error's name, and its PostgreSQL SQLSTATE when it has one; never its message. */
function errorName(err: unknown): string {
  if (!(err instanceof Error)) return 'error';
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `${err.name} ${code}` : err.name;
}

export interface TickOptions {
  /**
   * When another instance holds the scheduler lock, wait for its tick to commit and then act
   * (bounded by LOCK_WAIT_MS), instead of standing aside. The minute timer stands aside: the other
   * instance is doing this minute's work. A caller that needs the work for its own `now` done — a
   * test with its own clock, an operator's "tick now" — waits.
   */
  waitForLock?: boolean;
}

export interface TickReport {
  /**
   * True when this run held the scheduler lock and did the work for its `now`. False only when
   * another instance held the lock and the tick did not wait for it (see TickOptions): then nothing
   * was closed, opened or sent, and `opened`, `closed` and `notifications` are empty.
   */
  acted: boolean;
  opened: string[];
  closed: string[];
  notifications: { sent: number; failed: number; outbox: number };
}

/** A due schedule as the tick reads it: the schedules API's row without names and flag. */
type ScheduleRow = Omit<ScheduleApiRow, 'team_name' | 'group_name' | 'active'>;

/**
 * The minute tick: closes expired cycles, opens due ones, sends what is due.
 *
 * Everything happens in one transaction that first takes the scheduler's advisory lock: when two
 * instances tick at the same moment, one acts and the other returns at once (`acted: false`) or,
 * asked to wait, acts after the first one has committed (see `tick`). Each step is idempotent on
 * its own too (the unique (team, instrument version, opens_at) constraint, the closed status, the
 * `notification_sent` keys), so a tick after downtime catches up without duplicates: it opens only
 * the *current* period of each schedule, and only if that period's window has not ended.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  /**
   * The transaction id of the latest close whose erased data keys may still be on `cycle_key`'s
   * pages as dead row versions (0 at start: one rewrite after every start covers a restart).
   */
  private keyResidueXid: string | null = '0';
  /** Settles when the last tick queued on this instance has finished (whatever its outcome). */
  private tail: Promise<void> = Promise.resolve();
  /** Ticks queued or running on this instance. */
  private inFlight = 0;
  /** The last tick queued on this instance, while it has not started: a call like it shares it. */
  private queued: { at: number; waitForLock: boolean; report: Promise<TickReport> } | null = null;
  private stopped = false;
  /** Cycles per closeMany call (CLOSE_BATCH); a test lowers it to see several batches cheaply. */
  closeBatch = CLOSE_BATCH;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cycles: CycleService,
    private readonly notifications: NotificationService,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly disclosure: DisclosureService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.scheduler.enabled) return;
    this.registry.addInterval(
      'candor-scheduler',
      setInterval(() => void this.tickSafely(), TICK_INTERVAL_MS),
    );
    // Catch up soon after a restart rather than a minute later.
    this.registry.addTimeout(
      'candor-scheduler-start',
      setTimeout(() => void this.tickSafely(), 2_000),
    );
    this.logger.log('Scheduler started: one tick per minute');
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  private async tickSafely(): Promise<void> {
    // A tick still running (or queued) covers this minute; the next timer tick catches up.
    if (this.stopped || this.inFlight > 0) return;
    try {
      await this.tick();
    } catch (err) {
      this.logger.error(
        `Tick failed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}`,
      );
    }
  }

  /**
   * One tick at `now` (tests pass their own clock). The contract:
   * - The returned report is the report of a run at exactly `now` that started after this call.
   *   Ticks of one instance never overlap: a call made while another tick is running or queued
   *   waits for it (and those before it) and then runs its own, whatever that tick's `now`. The
   *   only sharing: a call identical to the last queued tick (same `now`, same options) that has
   *   not started yet shares that run, which is the same work.
   * - Across instances the advisory lock lets one tick act at a time. A tick that finds the lock
   *   held returns `acted: false` and does nothing (the minute timer's case), unless it was asked
   *   to `waitForLock`: then it waits for the other instance's tick to commit and acts, or rejects
   *   with PostgreSQL's lock_not_available (55P03) after LOCK_WAIT_MS.
   * - So `acted: true` means the closes, openings and notifications due at `now` were done (each
   *   step is idempotent: a second tick at the same `now` finds nothing left to do).
   * - A failure rejects this call only; the ticks queued after it still run.
   */
  tick(now: Date = new Date(), options: TickOptions = {}): Promise<TickReport> {
    const waitForLock = options.waitForLock ?? false;
    const at = now.getTime();
    const queued = this.queued;
    if (queued && queued.at === at && queued.waitForLock === waitForLock) return queued.report;
    const report: Promise<TickReport> = this.tail.then(() => {
      if (this.queued?.report === report) this.queued = null; // started: no longer shareable
      return this.run(new Date(at), waitForLock);
    });
    this.queued = { at, waitForLock, report };
    this.inFlight++;
    this.tail = report.then(
      () => void this.inFlight--,
      () => void this.inFlight--,
    );
    return report;
  }

  private async run(now: Date, waitForLock: boolean): Promise<TickReport> {
    const report: TickReport = {
      acted: false,
      opened: [],
      closed: [],
      notifications: { sent: 0, failed: 0, outbox: 0 },
    };
    let pending: PendingDelivery[] = [];
    await this.dataSource.transaction(async (tx) => {
      if (waitForLock) {
        await this.waitForLock(tx);
      } else {
        const lock: { locked: boolean }[] = await tx.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
          SCHEDULER_LOCK_KEY,
        ]);
        if (!lock[0]?.locked) return;
      }
      report.acted = true;
      report.closed = await this.closeExpired(tx, now);
      if (report.closed.length > 0) {
        const [{ xid }]: { xid: string }[] = await tx.query('SELECT txid_current()::text AS xid');
        this.keyResidueXid = xid;
      }
      report.opened = await this.openDue(tx, now);
      const collected = await this.notifications.collect(tx, now);
      pending = collected.deliveries;
      report.notifications.outbox = collected.outboxed;
    });
    if (pending.length > 0) {
      const { sent, failed } = await this.notifications.deliver(pending);
      report.notifications.sent = sent;
      report.notifications.failed = failed;
    }
    if (report.closed.length > 0) await this.vacuum();
    if (report.acted) await this.vacuumErasedKeys();
    if (report.acted) await this.sealMonths(now);
    if (report.opened.length + report.closed.length > 0) {
      this.logger.log(`Opened ${report.opened.length} cycle(s), closed ${report.closed.length}`);
    }
    this.metrics.schedulerLastTick.set(Date.now() / 1000);
    return report;
  }

  /**
   * Takes the scheduler lock, waiting for another instance's tick for at most LOCK_WAIT_MS: the
   * wait is bounded by lock_timeout instead of the pool's 30 s statement timeout, and both are
   * back to their defaults for the rest of the tick.
   */
  private async waitForLock(tx: EntityManager): Promise<void> {
    await tx.query(
      `SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', '0', true)`,
      [`${LOCK_WAIT_MS}ms`],
    );
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEDULER_LOCK_KEY]);
    await tx.query('SET LOCAL lock_timeout TO DEFAULT');
    await tx.query('SET LOCAL statement_timeout TO DEFAULT');
  }

  /**
   * Closes every expired cycle through CycleService.closeMany, `closeBatch` at a time (each batch a
   * savepoint of the tick's transaction, a fixed number of set-based statements). When a batch
   * fails it is rolled back to its savepoint and its cycles are closed one by one, so one bad cycle
   * holds back only itself; it stays open and the next tick retries it. Logs carry cycle ids and
   * error names/codes only, never a message that could quote stored data.
   */
  private async closeExpired(tx: EntityManager, now: Date): Promise<string[]> {
    const expired: { id: string }[] = await tx.query(
      `SELECT id FROM cycle WHERE status = 'open' AND closes_at <= $1 ORDER BY closes_at, id`,
      [now],
    );
    const closed: string[] = [];
    for (let start = 0; start < expired.length; start += this.closeBatch) {
      const batch = expired.slice(start, start + this.closeBatch).map((c) => c.id);
      try {
        closed.push(...(await this.cycles.closeMany(batch, tx)));
        continue;
      } catch (err) {
        this.logger.warn(
          `Closing ${batch.length} cycle(s) together failed (${errorName(err)}); closing them one by one`,
        );
      }
      for (const id of batch) {
        try {
          if (await this.cycles.close(id, tx)) closed.push(id);
        } catch (err) {
          // Rolled back to its savepoint; the rest of the tick goes on, the next tick retries.
          if (err instanceof SealingKeyUnavailableError)
            // Its message names the cycle and the missing key-encryption key id, never stored data.
            this.logger.error(
              `Closing cycle ${id} refused, it stays open: ${err.message}. Configure that key in CANDOR_SEALING_KEYS (see docs/operations.md)`,
            );
          else this.logger.error(`Closing cycle ${id} failed: ${errorName(err)}`);
        }
      }
    }
    return closed;
  }

  private async openDue(tx: EntityManager, now: Date): Promise<string[]> {
    const schedules: ScheduleRow[] = await tx.query(
      `SELECT id, team_id, group_id, instrument, trust_subject, cadence, weekday, hour, timezone, window_days, k, k_comments,
              to_char(starts_on, 'YYYY-MM-DD') AS starts_on
         FROM schedule WHERE active ORDER BY id`,
    );
    const opened: string[] = [];
    for (const s of schedules) {
      const occurrence = latestOpening(
        {
          cadence: s.cadence,
          weekday: s.weekday,
          hour: s.hour,
          timezone: s.timezone,
          windowDays: s.window_days,
          startsOn: s.starts_on,
        },
        now,
      );
      // Never open a period whose window has already ended (downtime longer than the window).
      if (!occurrence || occurrence.closesAt <= now) continue;
      const instrument = CURRENT_VERSION[s.instrument];
      const teams: { id: string }[] = await tx.query(
        s.team_id
          ? `SELECT id FROM team WHERE id = $1 AND active`
          : `WITH RECURSIVE ${groupsBelow('tree', '$1::uuid')}
             SELECT t.id FROM team t JOIN tree ON t.group_id = tree.id WHERE t.active ORDER BY t.id`,
        [s.team_id ?? s.group_id],
      );
      for (const team of teams) {
        // One cycle per team per period, and never two open pulses of one instrument for a team.
        const existing: unknown[] = await tx.query(
          `SELECT 1 FROM cycle WHERE team_id = $1 AND instrument_version = $2
             AND (opens_at = $3 OR (status = 'open' AND closes_at > $4)) LIMIT 1`,
          [team.id, instrument, occurrence.opensAt, now],
        );
        if (existing.length > 0) continue;
        try {
          const cycle = await this.cycles.open(
            {
              teamId: team.id,
              scheduleId: s.id,
              instrument,
              trustSubject: s.trust_subject,
              opensAt: occurrence.opensAt,
              closesAt: occurrence.closesAt,
              k: s.k,
              kComments: s.k_comments,
            },
            tx,
          );
          opened.push(cycle.id);
        } catch (err) {
          // A unique violation means it exists already (idempotent); anything else waits for the next tick.
          if ((err as { code?: string }).code !== '23505') {
            this.logger.error(
              `Opening a cycle of schedule ${s.id} failed: ${err instanceof Error ? err.name : 'error'}`,
            );
          }
        }
      }
    }
    return opened;
  }

  /**
   * Seals the months that are over and whose cycles have all closed, so that the director views
   * find their cells decided (DisclosureService). After commit, each month in its own transaction;
   * best effort: a view seals what it needs if this has not.
   */
  private async sealMonths(now: Date): Promise<void> {
    try {
      const sealed = await this.disclosure.sealDue(now);
      if (sealed > 0) this.logger.log(`Sealed ${sealed} month(s) of results`);
    } catch (err) {
      this.logger.warn(`Sealing months failed: ${errorName(err)}`);
    }
  }

  /**
   * After a close rewrote responses and spent tokens, vacuum those tables so the dead row versions
   * stop being readable through PostgreSQL and their space is reused. VACUUM cannot run in a
   * transaction, so this runs after commit; best effort.
   */
  /**
   * Rewrites `cycle_key` (VACUUM FULL: a small table, one row per open cycle) so the data keys that
   * closes erased leave its pages too, and a sealed copy left in a page, the WAL or a backup can
   * then never be opened, even with the key-encryption key. A deleted row can only be removed once
   * no transaction that started before its delete is still running (anywhere on the server), so
   * this waits for that — tick by tick — and then rewrites once. Best effort.
   */
  private async vacuumErasedKeys(): Promise<void> {
    const pending = this.keyResidueXid;
    if (pending === null) return;
    try {
      const [{ clear }]: { clear: boolean }[] = await this.dataSource.query(
        'SELECT txid_snapshot_xmin(txid_current_snapshot()) > $1::bigint AS clear',
        [pending],
      );
      if (!clear) return;
      await this.dataSource.query('VACUUM (FULL, SKIP_LOCKED) cycle_key');
      if (this.keyResidueXid === pending) this.keyResidueXid = null;
    } catch (err) {
      this.logger.warn(`VACUUM FULL cycle_key failed: ${errorName(err)}`);
    }
  }

  private async vacuum(): Promise<void> {
    try {
      await this.dataSource.query('VACUUM (SKIP_LOCKED) response, spent_token');
    } catch (err) {
      this.logger.warn(`VACUUM after close failed: ${err instanceof Error ? err.message : 'error'}`);
    }
  }
}
