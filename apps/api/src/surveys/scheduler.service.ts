import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import type { InstrumentId, TrustSubject } from '@candor/contracts';
import { CURRENT_VERSION } from '@candor/instruments';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { NotificationService, type PendingDelivery } from '../notifications/notification.service';
import { Metrics } from '../observability/metrics';
import { CycleService } from './cycle.service';
import { latestOpening, type Recurrence } from './schedule-occurrences';

/** Key of the transaction-scoped advisory lock: one instance acts per tick. ("cndr") */
export const SCHEDULER_LOCK_KEY = 0x636e6472;
const TICK_INTERVAL_MS = 60_000;
/** Cycles closed per closeMany call: 10,000 due cycles are five set-based batches. */
export const CLOSE_BATCH = 2_000;

/** An error's name, and its PostgreSQL SQLSTATE when it has one; never its message. */
function errorName(err: unknown): string {
  if (!(err instanceof Error)) return 'error';
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `${err.name} ${code}` : err.name;
}

export interface TickReport {
  /** False when another instance held the lock: this one did nothing. */
  acted: boolean;
  opened: string[];
  closed: string[];
  notifications: { sent: number; failed: number; outbox: number };
}

interface ScheduleRow {
  id: string;
  team_id: string | null;
  group_id: string | null;
  instrument: InstrumentId;
  trust_subject: TrustSubject | null;
  cadence: Recurrence['cadence'];
  weekday: number;
  hour: number;
  timezone: string;
  window_days: number;
  k: number;
  starts_on: string;
}

/**
 * The minute tick: closes expired cycles, opens due ones, sends what is due.
 *
 * Everything happens in one transaction that first takes `pg_try_advisory_xact_lock`: when two
 * instances tick at the same moment, one acts and the other returns at once. Each step is
 * idempotent on its own too (the unique (team, instrument version, opens_at) constraint, the
 * closed status, the `notification_sent` keys), so a tick after downtime catches up without
 * duplicates: it opens only the *current* period of each schedule, and only if that period's
 * window has not ended.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private running: Promise<TickReport> | null = null;
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
    if (this.stopped || this.running) return;
    try {
      await this.tick();
    } catch (err) {
      this.logger.error(
        `Tick failed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}`,
      );
    }
  }

  /** One tick at `now` (tests pass their own clock). Overlapping calls share one run. */
  async tick(now: Date = new Date()): Promise<TickReport> {
    if (this.running) return this.running;
    this.running = this.run(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(now: Date): Promise<TickReport> {
    const report: TickReport = {
      acted: false,
      opened: [],
      closed: [],
      notifications: { sent: 0, failed: 0, outbox: 0 },
    };
    let pending: PendingDelivery[] = [];
    await this.dataSource.transaction(async (tx) => {
      const lock: { locked: boolean }[] = await tx.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        SCHEDULER_LOCK_KEY,
      ]);
      if (!lock[0]?.locked) return;
      report.acted = true;
      report.closed = await this.closeExpired(tx, now);
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
    if (report.opened.length + report.closed.length > 0) {
      this.logger.log(`Opened ${report.opened.length} cycle(s), closed ${report.closed.length}`);
    }
    this.metrics.schedulerLastTick.set(Date.now() / 1000);
    return report;
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
          this.logger.error(`Closing cycle ${id} failed: ${errorName(err)}`);
        }
      }
    }
    return closed;
  }

  private async openDue(tx: EntityManager, now: Date): Promise<string[]> {
    const schedules: ScheduleRow[] = await tx.query(
      `SELECT id, team_id, group_id, instrument, trust_subject, cadence, weekday, hour, timezone, window_days, k,
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
          : `WITH RECURSIVE tree(id) AS (
               SELECT $1::uuid UNION SELECT g.id FROM org_group g JOIN tree ON g.parent_id = tree.id
             )
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
   * After a close rewrote responses and spent tokens, vacuum those tables so the dead,
   * pre-shuffle row versions stop being readable through PostgreSQL and their space is reused.
   * VACUUM cannot run in a transaction, so this runs after commit; best effort.
   */
  private async vacuum(): Promise<void> {
    try {
      await this.dataSource.query('VACUUM (SKIP_LOCKED) response, spent_token');
    } catch (err) {
      this.logger.warn(`VACUUM after close failed: ${err instanceof Error ? err.message : 'error'}`);
    }
  }
}
