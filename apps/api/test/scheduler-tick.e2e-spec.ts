import { createDataSource } from '../src/database/data-source';
import { createScratchDatabase, type ScratchDatabase } from '../src/database/scratch-database';
import { NotificationService } from '../src/notifications/notification.service';
import { SCHEDULER_LOCK_KEY, SchedulerService } from '../src/surveys/scheduler.service';
import { makeTeam } from './factories';
import { createTestApp, testDatabaseUrl, type TestApp } from './test-app';

/**
 * The contract of SchedulerService.tick (see its doc comment): the report of `await tick(now)` is
 * that of a run at `now`, and a tick that stood aside for another instance says so.
 *
 * On a database of its own: one test holds the scheduler's advisory lock (a lock per database),
 * which on the shared test database would hold up other files' ticks.
 */
describe('scheduler tick contract', () => {
  let own: ScratchDatabase;
  let t: TestApp;
  let scheduler: SchedulerService;
  beforeAll(async () => {
    own = await createScratchDatabase('candor_test_tick', testDatabaseUrl());
    const migrate = createDataSource(own.url);
    await migrate.initialize();
    await migrate.runMigrations();
    await migrate.destroy();
    t = await createTestApp({}, { databaseUrl: own.url });
    scheduler = t.app.get(SchedulerService);
  });
  afterAll(async () => {
    await t?.close();
    await own?.dispose();
  });
  // Each test's schedule opens only in that test.
  afterEach(() => t.ds.query('UPDATE schedule SET active = false'));

  /** A team of 3 with a weekly Monday 09:00 UTC schedule from `startsOn`, open for 2 days. */
  async function scheduledTeam(startsOn: string): Promise<string> {
    const team = await makeTeam(t.ds, 3);
    await t.ds.query(
      `INSERT INTO schedule (team_id, instrument, cadence, weekday, hour, timezone, window_days, k, starts_on)
       VALUES ($1, 'psych-safety', 'weekly', 1, 9, 'UTC', 2, 3, $2)`,
      [team.teamId, startsOn],
    );
    return team.teamId;
  }
  const cyclesOf = (teamId: string): Promise<{ id: string; status: string }[]> =>
    t.ds.query('SELECT id, status FROM cycle WHERE team_id = $1 ORDER BY opens_at', [teamId]);

  it('a call with a different now waits for the running tick, then runs its own', async () => {
    const teamId = await scheduledTeam('2022-01-03');
    const first = scheduler.tick(new Date('2022-01-03T09:00Z')); // the cycle opens
    const second = scheduler.tick(new Date('2022-01-05T09:00Z')); // and closes
    expect(second).not.toBe(first);
    const [opening, closing] = await Promise.all([first, second]);
    const [cycle] = await cyclesOf(teamId);
    expect(opening).toMatchObject({ acted: true, opened: [cycle!.id], closed: [] });
    expect(opening.notifications.outbox).toBe(3);
    expect(closing).toMatchObject({ acted: true, opened: [], closed: [cycle!.id] });
    expect(cycle!.status).toBe('closed');
  });

  it('identical calls share a run only while it has not started; a later one runs again', async () => {
    const teamId = await scheduledTeam('2022-02-07');
    const opens = new Date('2022-02-07T09:00Z');
    const a = scheduler.tick(opens);
    const b = scheduler.tick(new Date(opens));
    expect(b).toBe(a);
    await new Promise((resolve) => setImmediate(resolve)); // a has started
    const c = scheduler.tick(opens);
    expect(c).not.toBe(a);
    const [first, again] = await Promise.all([a, c]);
    const [cycle] = await cyclesOf(teamId);
    expect(first.opened).toEqual([cycle!.id]);
    expect(first.notifications.outbox).toBe(3);
    // Its own run at the same instant: everything was done already.
    expect(again).toEqual({
      acted: true,
      opened: [],
      closed: [],
      notifications: { sent: 0, failed: 0, outbox: 0 },
    });
  });

  it('stands aside while another instance holds the lock (acted: false); with waitForLock it waits, then acts', async () => {
    const teamId = await scheduledTeam('2022-03-07');
    const opens = new Date('2022-03-07T09:00Z');
    // Another instance's tick: a transaction holding the scheduler lock.
    const other = t.ds.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query('SELECT pg_advisory_xact_lock($1)', [SCHEDULER_LOCK_KEY]);

      const aside = await scheduler.tick(opens);
      expect(aside).toEqual({
        acted: false,
        opened: [],
        closed: [],
        notifications: { sent: 0, failed: 0, outbox: 0 },
      });
      expect(await cyclesOf(teamId)).toEqual([]);

      let settled = false;
      const waiting = scheduler.tick(opens, { waitForLock: true }).finally(() => {
        settled = true;
      });
      // It is waiting for the lock in PostgreSQL, not done.
      let queuedForLock = false;
      for (const deadline = Date.now() + 10_000; !queuedForLock && Date.now() < deadline;) {
        const waiters: unknown[] = await other.query(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [SCHEDULER_LOCK_KEY],
        );
        queuedForLock = waiters.length > 0;
        if (!queuedForLock) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(queuedForLock).toBe(true);
      expect(settled).toBe(false);
      expect(await cyclesOf(teamId)).toEqual([]);

      await other.commitTransaction();
      const report = await waiting;
      const [cycle] = await cyclesOf(teamId);
      expect(report).toMatchObject({ acted: true, opened: [cycle!.id] });
      expect(report.notifications.outbox).toBe(3);
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
  });

  it('a tick that fails rejects its own call only; the tick queued behind it runs', async () => {
    const teamId = await scheduledTeam('2022-04-04');
    const collect = jest
      .spyOn(t.app.get(NotificationService), 'collect')
      .mockRejectedValueOnce(new Error('collect failed'));
    try {
      const failing = scheduler.tick(new Date('2022-04-04T09:00Z'));
      const next = scheduler.tick(new Date('2022-04-04T09:01Z'));
      await expect(failing).rejects.toThrow('collect failed');
      const report = await next;
      // The failed tick's transaction was rolled back, so the next one opens the cycle.
      const cycles = await cyclesOf(teamId);
      expect(cycles).toHaveLength(1);
      expect(report).toMatchObject({ acted: true, opened: [cycles[0]!.id] });
    } finally {
      collect.mockRestore();
    }
  });
});
