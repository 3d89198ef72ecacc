import type {
  FavourableCell,
  GroupComparisonResponse,
  GroupTrendResponse,
  InstrumentVersion,
  PooledTrendResponse,
  TeamTrendResponse,
} from '@candor/contracts';
import { getInstrument, type Answers } from '@candor/instruments';
import { createDataSource } from '../src/database/data-source';
import { CycleStatsFavourable1795792000000 } from '../src/database/migrations/1795792000000-CycleStatsFavourable';
import { createScratchDatabase, type ScratchDatabase } from '../src/database/scratch-database';
import { CycleService } from '../src/surveys/cycle.service';
import {
  closedCycle,
  DAY,
  director,
  getter,
  monthStart,
  numbersIn,
  period,
  psAnswers,
  trustAnswers,
} from './analytics-helpers';
import { cycleStatsRows } from './cycle-stats-reference';
import { makeGroup, makeTeam, makeUser } from './factories';
import { createTestApp, testDatabaseUrl, type TestApp } from './test-app';

/** Deterministic pseudo-random answers (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomAnswers(version: InstrumentVersion, next: () => number): Answers {
  const out: Answers = {};
  for (const item of getInstrument(version).items) out[item.id] = 1 + Math.floor(next() * 7);
  return out;
}

interface Row {
  dimension: string;
  n: number;
  sum: number;
  sumSq: number;
  sumCross: number | null;
}

async function favourableRows(t: { ds: TestApp['ds'] }, cycleId: string): Promise<Row[]> {
  const rows: { dimension: string; n: number; sum: number; sum_sq: number; sum_cross: number | null }[] =
    await t.ds.query(
      `SELECT dimension, n, sum, sum_sq, sum_cross FROM cycle_stats
        WHERE cycle_id = $1 AND starts_with(dimension, 'favourable:') ORDER BY dimension`,
      [cycleId],
    );
  return rows.map((r) => ({
    dimension: r.dimension,
    n: r.n,
    sum: r.sum,
    sumSq: r.sum_sq,
    sumCross: r.sum_cross,
  }));
}

function released(cell: FavourableCell | undefined): { share: number; answers: number } {
  if (!cell || cell.status !== 'released')
    throw new Error(`favourable share not released: ${JSON.stringify(cell)}`);
  return { share: cell.share, answers: cell.answers };
}

/**
 * The favourable share (issue 13): written at close by the same SQL statement as the other cycle
 * statistics (`favourable:<dimension>` rows), equal to the JavaScript reference, released by the
 * gate's decision for the mean beside it, and summed across cycles for pooled and group cells.
 */
describe('favourable share: a cycle statistic written at close', () => {
  let t: TestApp;
  let cycles: CycleService;
  let get: ReturnType<typeof getter>;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
    get = getter(t.http);
  });
  afterAll(() => t.close());

  it('writes favourable:<dimension> rows equal to the reference, for both instruments and empty cycles', async () => {
    const team = await makeTeam(t.ds, 1);
    const next = rng(20261206);
    const start = Date.UTC(2025, 2, 3, 9);
    const plan: { version: InstrumentVersion; n: number }[] = [
      { version: 'psych-safety@1', n: 0 },
      { version: 'psych-safety@1', n: 9 },
      { version: 'psych-safety@1', n: 41 },
      { version: 'trust-equation@1', n: 0 },
      { version: 'trust-equation@1', n: 17 },
    ];
    for (const [i, { version, n }] of plan.entries()) {
      const answers = Array.from({ length: n }, () => randomAnswers(version, next));
      const id = await closedCycle(t.ds, cycles, team.teamId, new Date(start + i * 7 * DAY), answers, {
        version,
        invited: Math.max(n, 1),
      });
      const expected = cycleStatsRows(version, answers)
        .filter((r) => r.dimension.startsWith('favourable:'))
        .map(({ dimension, n: rn, sum, sumSq, sumCross }) => ({ dimension, n: rn, sum, sumSq, sumCross }))
        .sort((a, b) => a.dimension.localeCompare(b.dimension));
      expect(expected).toHaveLength(version.startsWith('psych') ? 1 : 4);
      expect(await favourableRows(t, id)).toEqual(expected);
    }
  });

  it('releases the share beside the mean on the team trend under the same k rule, and never for the trust index', async () => {
    const team = await makeTeam(t.ds, 3);
    const when = Date.UTC(2025, 4, 5, 9);
    // Psychological safety: three people answer favourably on every item (scored 6, 6, 5), one on
    // none (scored 4 everywhere): 21 of 28 answers → 75 %. Reverse items count after reversing.
    const ps = await closedCycle(
      t.ds,
      cycles,
      team.teamId,
      new Date(when),
      [psAnswers(6), psAnswers(6), psAnswers(4), psAnswers(5)],
      { k: 3, invited: 5 },
    );
    // A cycle below k: no share, no number at all.
    await closedCycle(t.ds, cycles, team.teamId, new Date(when + 14 * DAY), [psAnswers(7), psAnswers(7)], {
      k: 3,
      invited: 5,
    });
    // Trust: credibility 6, 6, 3 for everyone (2 of 3 favourable); self-orientation, where lower is
    // better, 2, 3, 4 (2 of 3 favourable: "somewhat disagree" or less).
    const te = await closedCycle(
      t.ds,
      cycles,
      team.teamId,
      new Date(when),
      Array.from({ length: 3 }, () => trustAnswers([6, 6, 3], [7, 7, 7], [1, 1, 1], [2, 3, 4])),
      { k: 3, invited: 3, version: 'trust-equation@1' },
    );

    const psTrend = (await get(team.lead.email, `/api/teams/${team.teamId}/trend?instrument=psych-safety`))
      .body as TeamTrendResponse;
    expect(psTrend.points.map((p) => p.cycleId)[0]).toBe(ps);
    const cell = psTrend.points[0]!.scores.psych_safety!;
    expect(cell.status).toBe('released');
    if (cell.status === 'released') expect(released(cell.favourable)).toEqual({ share: 0.75, answers: 28 });
    const small = psTrend.points[1]!;
    expect(small.scores.psych_safety).toEqual({ status: 'suppressed', reason: 'below-k' });
    expect(numbersIn(small.scores)).toEqual([]);

    const teTrend = (
      await get(team.everyone[1]!.email, `/api/teams/${team.teamId}/trend?instrument=trust-equation`)
    ).body as TeamTrendResponse;
    const point = teTrend.points.find((p) => p.cycleId === te)!;
    const share = (id: string) => {
      const c = point.scores[id]!;
      if (c.status !== 'released') throw new Error(`${id} suppressed`);
      return c.favourable;
    };
    expect(released(share('credibility'))).toEqual({ share: 6 / 9, answers: 9 });
    expect(released(share('reliability'))).toEqual({ share: 1, answers: 9 });
    expect(released(share('intimacy'))).toEqual({ share: 0, answers: 9 });
    expect(released(share('self_orientation'))).toEqual({ share: 6 / 9, answers: 9 });
    expect(share('trust_index')).toBeUndefined();
  });

  it('sums favourable answers across cycles on the pooled trend, the comparison and the group trend', async () => {
    // Pooled: 3 invited, k = 3, blocks of two cycles; 3 + 3 responses.
    const small = await makeTeam(t.ds, 3);
    const start = Date.UTC(2025, 6, 7, 9);
    const first = [psAnswers(6), psAnswers(6), psAnswers(2)];
    const second = [psAnswers(5), psAnswers(3), psAnswers(3)];
    await closedCycle(t.ds, cycles, small.teamId, new Date(start), first, { k: 3, invited: 3 });
    await closedCycle(t.ds, cycles, small.teamId, new Date(start + 7 * DAY), second, { k: 3, invited: 3 });
    const pooled = (await get(small.lead.email, `/api/teams/${small.teamId}/trend/pooled`))
      .body as PooledTrendResponse;
    expect(pooled.points).toHaveLength(1);
    const pooledCell = pooled.points[0]!.scores.psych_safety!;
    expect(pooledCell.status).toBe('released');
    if (pooledCell.status === 'released') {
      expect(released(pooledCell.favourable)).toEqual({ share: 21 / 42, answers: 42 });
    }

    // A group of two teams of 5 answers each, last month (over, so the group row is decided).
    const root = await makeGroup(t.ds);
    const a = await makeTeam(t.ds, 2, root);
    const b = await makeTeam(t.ds, 2, root);
    const d = await makeUser(t.ds);
    await director(t.ds, d.id, root);
    const when = monthStart(1);
    const opts = { k: 5, invited: 6 };
    await closedCycle(t.ds, cycles, a.teamId, when, [6, 6, 6, 6, 3].map(psAnswers), opts);
    await closedCycle(t.ds, cycles, b.teamId, when, [4, 4, 4, 5, 5].map(psAnswers), opts);
    const comparison = (
      await get(d.email, `/api/groups/${root}/comparison?instrument=psych-safety&period=${period(when)}`)
    ).body as GroupComparisonResponse;
    const shareOf = (id: string) => {
      const cell = comparison.rows.find((r) => r.id === id)!.scores.psych_safety!;
      if (cell.status !== 'released') throw new Error(`${id}: ${JSON.stringify(cell)}`);
      return released(cell.favourable);
    };
    expect(shareOf(a.teamId)).toEqual({ share: 28 / 35, answers: 35 });
    expect(shareOf(b.teamId)).toEqual({ share: 14 / 35, answers: 35 });
    expect(shareOf(root)).toEqual({ share: 42 / 70, answers: 70 });

    const trend = (await get(d.email, `/api/groups/${root}/trend?instrument=psych-safety&months=3`))
      .body as GroupTrendResponse;
    const month = trend.points.find((p) => p.period === period(when))!;
    const cell = month.scores.psych_safety!;
    expect(cell.status).toBe('released');
    if (cell.status === 'released')
      expect(released(cell.favourable)).toEqual({ share: 42 / 70, answers: 70 });
  });
});

/**
 * Migration CycleStatsFavourable on a database of its own: undone, closed cycles have no
 * favourable rows (as before it existed); run again, it writes them from the response rows, equal
 * to what closing writes, and copies them into the frozen month rows the group views read.
 */
describe('migration CycleStatsFavourable', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchDatabase('candor_test_favourable', testDatabaseUrl());
  });
  afterAll(() => db.dispose());

  it('backfills closed cycles from their responses, and the month rows', async () => {
    const ds = createDataSource(db.url);
    await ds.initialize();
    try {
      await ds.runMigrations();
      const app = await createTestApp({}, { databaseUrl: db.url });
      const team = await makeTeam(ds, 1);
      const next = rng(7);
      const ids: string[] = [];
      try {
        const service = app.app.get(CycleService);
        for (const [i, version] of (['psych-safety@1', 'trust-equation@1'] as const).entries()) {
          const answers = Array.from({ length: 6 }, () => randomAnswers(version, next));
          ids.push(
            await closedCycle(ds, service, team.teamId, new Date(Date.UTC(2025, 0, 6 + i, 9)), answers, {
              version,
              invited: 6,
            }),
          );
        }
        // An open cycle gets nothing: its statistics are written when it closes.
        ids.push(
          await closedCycle(ds, service, team.teamId, new Date(Date.UTC(2025, 1, 6, 9)), [psAnswers(5)], {
            open: true,
          }),
        );
      } finally {
        await app.close();
      }
      const snapshot = async () => ({
        rows: await Promise.all(ids.map((id) => favourableRows({ ds }, id))),
        month: (
          (await ds.query(
            `SELECT cycle_id, (SELECT jsonb_object_agg(k, stats -> k) FROM jsonb_object_keys(stats) AS k
                                WHERE starts_with(k, 'favourable:')) AS favourable
               FROM team_month_cycle WHERE team_id = $1 ORDER BY cycle_id`,
            [team.teamId],
          )) as { cycle_id: string; favourable: Record<string, number[]> | null }[]
        ).map((r) => [r.cycle_id, r.favourable]),
      });
      const before = await snapshot();
      expect(before.rows.map((r) => r.length)).toEqual([1, 4, 0]);
      expect(before.month).toHaveLength(2);
      for (const [, f] of before.month) expect(f).not.toBeNull();

      // The later migrations first (if any), then this one.
      const last = async () =>
        ((await ds.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1')) as { name: string }[])[0]!
          .name;
      while ((await last()) !== 'CycleStatsFavourable1795792000000') await ds.undoLastMigration();
      await ds.undoLastMigration();
      const undone = await snapshot();
      expect(undone.rows.map((r) => r.length)).toEqual([0, 0, 0]);
      for (const [, f] of undone.month) expect(f).toBeNull();

      await ds.runMigrations();
      expect(await snapshot()).toEqual(before);
      // Its statements run again change nothing (ON CONFLICT DO NOTHING; the same keys merged).
      const runner = ds.createQueryRunner();
      try {
        await new CycleStatsFavourable1795792000000().up(runner);
      } finally {
        await runner.release();
      }
      expect(await snapshot()).toEqual(before);
    } finally {
      await ds.destroy();
    }
  });
});
