import { format } from 'node:util';
import type { LoggerService } from '@nestjs/common';
import { CycleService } from '../src/surveys/cycle.service';
import { CLOSE_BATCH, SchedulerService } from '../src/surveys/scheduler.service';
import { makeGroup } from './factories';
import { createTestApp, type TestApp } from './test-app';

/**
 * The tick closes due cycles set-based, CLOSE_BATCH at a time, and a batch that fails falls back to
 * closing its cycles one by one, so one cycle that cannot close holds back only itself.
 *
 * The failing cycle is honest, not mocked: a cycle row whose instrument version this release does
 * not know (as after rolling back a release that introduced `psych-safety@2`). Its statistics
 * statement cannot be built, so closing it throws; nothing else about it is special.
 */
describe('scheduler: due cycles close in batches, a failing cycle blocks no other', () => {
  let t: TestApp;
  let scheduler: SchedulerService;
  let cycles: CycleService;
  const lines: string[] = [];
  const capture: LoggerService = {
    log: (...a: unknown[]) => lines.push(format(...a)),
    error: (...a: unknown[]) => lines.push(format(...a)),
    warn: (...a: unknown[]) => lines.push(format(...a)),
    debug: (...a: unknown[]) => lines.push(format(...a)),
    verbose: (...a: unknown[]) => lines.push(format(...a)),
    fatal: (...a: unknown[]) => lines.push(format(...a)),
  };
  beforeAll(async () => {
    t = await createTestApp({}, { logger: capture });
    scheduler = t.app.get(SchedulerService);
    cycles = t.app.get(CycleService);
  });
  afterAll(() => t.close());

  it('closes more than one batch of due cycles in one tick; the unknown-version cycle stays open and the next tick retries it', async () => {
    const group = await makeGroup(t.ds);
    // The production batch is CLOSE_BATCH (2,000); 50 here gives three batches for 130 cycles
    // while keeping this tick short, since every API test file shares the database and the
    // scheduler's lock.
    expect(CLOSE_BATCH).toBe(2_000);
    const batch = 50;
    scheduler.closeBatch = batch;
    const good = 2 * batch + 30;
    // One team per cycle (one open pulse per team and instrument), all due in January 2003 (a stretch of time no other test uses).
    const teams: { id: string }[] = await t.ds.query(
      `INSERT INTO team (name, group_id) SELECT 'Batch ' || g, $1 FROM generate_series(1, $2::int) g RETURNING id`,
      [group, good + 1],
    );
    const ids = teams.map((tm) => tm.id);
    const goodCycles: { id: string }[] = await t.ds.query(
      `INSERT INTO cycle (team_id, instrument_version, opens_at, closes_at, status, k, k_comments, invited, public_key_spki, private_key_pkcs8)
       SELECT team_id, 'psych-safety@1', '2003-01-06T09:00Z', '2003-01-11T09:00Z', 'open', 3, 5, 5, 'test-key', 'secret'
         FROM unnest($1::uuid[]) AS team_id RETURNING id`,
      [ids.slice(0, good)],
    );
    // Due last, so it falls into the third batch with 30 good cycles.
    const [bad] = (await t.ds.query(
      `INSERT INTO cycle (team_id, instrument_version, opens_at, closes_at, status, k, k_comments, invited, public_key_spki, private_key_pkcs8)
       VALUES ($1, 'psych-safety@2', '2003-01-06T09:00Z', '2003-01-11T10:00Z', 'open', 3, 5, 5, 'test-key', 'secret') RETURNING id`,
      [ids[good]],
    )) as { id: string }[];
    // Answers in the first and the last good cycle, to see their statistics written.
    const answers = { ps1: 2, ps2: 6, ps3: 3, ps4: 5, ps5: 2, ps6: 6, ps7: 7 };
    const first = goodCycles[0]!.id;
    const last = goodCycles[good - 1]!.id;
    for (const id of [first, first, first, last, last, last]) {
      await t.ds.query('INSERT INTO response (cycle_id, instrument_version, answers) VALUES ($1, $2, $3)', [
        id,
        'psych-safety@1',
        JSON.stringify(answers),
      ]);
    }
    await t.ds.query('INSERT INTO response (cycle_id, instrument_version, answers) VALUES ($1, $2, $3)', [
      bad!.id,
      'psych-safety@2',
      JSON.stringify(answers),
    ]);

    const mine = new Set([...goodCycles.map((c) => c.id), bad!.id]);
    const closeMany = jest.spyOn(cycles, 'closeMany');
    try {
      const report = await scheduler.tick(new Date('2003-01-11T12:00Z'), { waitForLock: true });
      expect(report.acted).toBe(true);
      const closedMine = report.closed.filter((id) => mine.has(id));
      expect(closedMine).toHaveLength(good);
      expect(new Set(closedMine)).toEqual(new Set(goodCycles.map((c) => c.id)));
      // Set-based: two closeMany calls of a full batch; the third (with the bad cycle) fails as a
      // whole, then each of its 31 cycles is closed on its own.
      const calls = closeMany.mock.calls.map(([ids]) => ids.filter((id) => mine.has(id)).length);
      expect(calls.slice(0, 3)).toEqual([batch, batch, 31]);
      expect(calls.slice(3)).toEqual(Array.from({ length: 31 }, () => 1));
    } finally {
      closeMany.mockRestore();
      scheduler.closeBatch = CLOSE_BATCH;
    }

    const status: { status: string; n: string }[] = await t.ds.query(
      `SELECT status, count(*)::text AS n FROM cycle WHERE team_id = ANY($1::uuid[]) GROUP BY status ORDER BY status`,
      [ids],
    );
    expect(status).toEqual([
      { status: 'closed', n: String(good) },
      { status: 'open', n: '1' },
    ]);
    const keys: { n: string }[] = await t.ds.query(
      `SELECT count(*)::text AS n FROM cycle WHERE team_id = ANY($1::uuid[]) AND private_key_pkcs8 IS NOT NULL`,
      [ids],
    );
    expect(keys).toEqual([{ n: '1' }]); // only the cycle that could not close keeps its key
    const stats: { cycle_id: string; n: number }[] = await t.ds.query(
      `SELECT cycle_id, n FROM cycle_stats WHERE dimension = 'psych_safety' AND cycle_id = ANY($1::uuid[])`,
      [[first, last, bad!.id]],
    );
    expect(new Map(stats.map((s) => [s.cycle_id, s.n]))).toEqual(
      new Map([
        [first, 3],
        [last, 3],
      ]),
    );
    const statRows: { n: string }[] = await t.ds.query(
      `SELECT count(DISTINCT cycle_id)::text AS n FROM cycle_stats WHERE cycle_id = ANY($1::uuid[])`,
      [goodCycles.map((c) => c.id)],
    );
    expect(statRows).toEqual([{ n: String(good) }]);

    // The failure is logged with the cycle id and the error's name, never an answer.
    const failures = lines.filter((l) => l.includes(bad!.id));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/Closing cycle .* failed: Error/);
    expect(lines.some((l) => /Closing 31 cycle\(s\) together failed/.test(l))).toBe(true);
    for (const l of lines) expect(l).not.toContain('"ps1"');

    // Once its version is one this release knows, the next tick closes it.
    await t.ds.query(`UPDATE cycle SET instrument_version = 'psych-safety@1' WHERE id = $1`, [bad!.id]);
    await t.ds.query(`UPDATE response SET instrument_version = 'psych-safety@1' WHERE cycle_id = $1`, [
      bad!.id,
    ]);
    const retry = await scheduler.tick(new Date('2003-01-11T12:01Z'), { waitForLock: true });
    expect(retry.closed.filter((id) => mine.has(id))).toEqual([bad!.id]);
  });
});
