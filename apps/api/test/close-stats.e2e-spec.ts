import type { InstrumentVersion } from '@candor/contracts';
import { getInstrument, type Answers } from '@candor/instruments';
import { cycleStatsInsertSql } from '../src/analytics/cycle-stats.sql';
import { CycleService } from '../src/surveys/cycle.service';
import { DAY } from './analytics-helpers';
import { cycleStatsRows } from './cycle-stats-reference';
import { makeTeam } from './factories';
import { createTestApp, type TestApp } from './test-app';

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

interface StoredStats {
  dimension: string;
  n: number;
  sum: number;
  sum_sq: number;
  sum_cross: number | null;
  counts: number[] | null;
}

describe('batch close: cycle_stats', () => {
  let t: TestApp;
  let cycles: CycleService;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
  });
  afterAll(() => t.close());

  async function openCycle(teamId: string, version: InstrumentVersion, opensAt: Date): Promise<string> {
    const rows: { id: string }[] = await t.ds.query(
      `INSERT INTO cycle (team_id, instrument_version, trust_subject, opens_at, closes_at, status, k, k_comments, invited, public_key_spki, private_key_pkcs8)
       VALUES ($1, $2, $3, $4, $5, 'open', 3, 5, 40, 'test-key', 'secret') RETURNING id`,
      [
        teamId,
        version,
        version.startsWith('trust') ? 'team' : null,
        opensAt,
        new Date(opensAt.getTime() + DAY),
      ],
    );
    return rows[0]!.id;
  }

  async function insertResponses(
    cycleId: string,
    version: InstrumentVersion,
    answers: Answers[],
  ): Promise<void> {
    if (answers.length === 0) return;
    await t.ds.query(
      `INSERT INTO response (cycle_id, instrument_version, answers)
       SELECT $1, $2, a FROM unnest($3::jsonb[]) AS a`,
      [cycleId, version, answers.map((a) => JSON.stringify(a))],
    );
    await t.ds.query(
      `INSERT INTO spent_token (cycle_id, token_hash, submission_digest, receipt_id)
       SELECT $1, decode(md5(random()::text) || md5(random()::text), 'hex'), decode(md5(random()::text), 'hex'), gen_random_uuid()
         FROM generate_series(1, $2)`,
      [cycleId, answers.length],
    );
  }

  /** Cycles of both instruments, with and without answers, each with a stray answer of the other version. */
  async function cyclesWithAnswers(seed: number, year: number) {
    const team = await makeTeam(t.ds, 1);
    const next = rng(seed);
    const plan: { version: InstrumentVersion; n: number }[] = [
      { version: 'psych-safety@1', n: 0 },
      { version: 'psych-safety@1', n: 1 },
      { version: 'psych-safety@1', n: 7 },
      { version: 'psych-safety@1', n: 37 },
      { version: 'trust-equation@1', n: 0 },
      { version: 'trust-equation@1', n: 2 },
      { version: 'trust-equation@1', n: 23 },
    ];
    const expected = new Map<string, ReturnType<typeof cycleStatsRows>>();
    const stored = new Map<string, string[]>();
    const versions = new Map<string, InstrumentVersion>();
    for (const [i, p] of plan.entries()) {
      const id = await openCycle(team.teamId, p.version, new Date(Date.UTC(year, 0, 1 + 7 * i)));
      const answers = Array.from({ length: p.n }, () => randomAnswers(p.version, next));
      await insertResponses(id, p.version, answers);
      // A response of another instrument version in the cycle is kept but not counted.
      const stray: InstrumentVersion = p.version === 'psych-safety@1' ? 'trust-equation@1' : 'psych-safety@1';
      if (p.n > 0) await insertResponses(id, stray, [randomAnswers(stray, next)]);
      expected.set(id, cycleStatsRows(p.version, answers));
      stored.set(id, [...answers.map((a) => JSON.stringify(a)), ...(p.n > 0 ? ['stray'] : [])]);
      versions.set(id, p.version);
    }
    return { ids: [...expected.keys()], expected, stored, versions };
  }

  async function statsOf(id: string): Promise<StoredStats[]> {
    return t.ds.query(
      'SELECT dimension, n, sum, sum_sq, sum_cross, counts FROM cycle_stats WHERE cycle_id = $1 ORDER BY dimension',
      [id],
    );
  }

  it('writes exactly the rows of the JavaScript reference (both instruments, empty cycles, stray versions), in one call', async () => {
    const { ids, expected, stored } = await cyclesWithAnswers(20261127, 2025);
    const closed = await cycles.closeMany([...ids, ids[0]!]);
    expect(closed.sort()).toEqual([...ids].sort());
    expect(await cycles.closeMany(ids)).toEqual([]);
    expect(await cycles.close(ids[1]!)).toBe(false);

    for (const id of ids) {
      const rows = await statsOf(id);
      const want = [...expected.get(id)!].sort((a, b) => (a.dimension < b.dimension ? -1 : 1));
      expect(rows.map((r) => r.dimension)).toEqual(want.map((w) => w.dimension));
      rows.forEach((row, j) => {
        const w = want[j]!;
        expect(row.n).toBe(w.n);
        // Integer sums are exact; means of items agree to the last few bits (the close divides once).
        expect(row.sum).toBeCloseTo(w.sum, 9);
        expect(row.sum_sq).toBeCloseTo(w.sumSq, 9);
        if (w.sumCross === null) expect(row.sum_cross).toBeNull();
        else expect(row.sum_cross).toBeCloseTo(w.sumCross, 9);
        expect([row.dimension, row.counts]).toEqual([w.dimension, w.counts]);
      });
      const [c]: { status: string; private_key_pkcs8: string | null }[] = await t.ds.query(
        'SELECT status, private_key_pkcs8 FROM cycle WHERE id = $1',
        [id],
      );
      expect(c).toEqual({ status: 'closed', private_key_pkcs8: null });
      const [{ responses, spent }]: { responses: number; spent: number }[] = await t.ds.query(
        `SELECT (SELECT count(*)::int FROM response WHERE cycle_id = $1) AS responses,
                (SELECT count(*)::int FROM spent_token WHERE cycle_id = $1) AS spent`,
        [id],
      );
      expect(responses).toBe(stored.get(id)!.length);
      expect(spent).toBe(0);
    }
  });

  it('the SQL statement of migrations and the data generator writes the same rows as the close', async () => {
    const { ids, versions } = await cyclesWithAnswers(4242, 2023);
    expect((await cycles.closeMany(ids)).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const fromClose = await statsOf(id);
      await t.ds.query('DELETE FROM cycle_stats WHERE cycle_id = $1', [id]);
      const version = versions.get(id)!;
      await t.ds.query(cycleStatsInsertSql(version), [[id], version]);
      const fromSql = await statsOf(id);
      expect(fromSql.map((r) => [r.dimension, r.n, r.sum_cross, r.counts])).toEqual(
        fromClose.map((r) => [r.dimension, r.n, r.sum_cross, r.counts]),
      );
      fromSql.forEach((row, j) => {
        // Both divide an exact integer sum once; PostgreSQL through numeric, so the last bit may differ.
        expect(row.sum).toBeCloseTo(fromClose[j]!.sum, 12);
        expect(row.sum_sq).toBeCloseTo(fromClose[j]!.sum_sq, 12);
      });
    }
  });

  it('rewrites the responses of all the cycles in one transaction, same answers, new ids', async () => {
    const team = await makeTeam(t.ds, 1);
    const next = rng(7);
    const ids: string[] = [];
    const answers = new Map<string, string[]>();
    for (let i = 0; i < 3; i++) {
      const id = await openCycle(team.teamId, 'psych-safety@1', new Date(Date.UTC(2024, 0, 1 + 7 * i)));
      const a = Array.from({ length: 6 }, () => randomAnswers('psych-safety@1', next));
      await insertResponses(id, 'psych-safety@1', a);
      ids.push(id);
      answers.set(id, a.map((x) => JSON.stringify(Object.entries(x).sort())).sort());
    }
    const before: { id: string }[] = await t.ds.query(
      'SELECT id FROM response WHERE cycle_id = ANY($1::uuid[])',
      [ids],
    );
    expect(await cycles.closeMany(ids)).toHaveLength(3);
    const after: { id: string; cycle_id: string; answers: Answers; x: string }[] = await t.ds.query(
      'SELECT id, cycle_id, answers, xmin::text AS x FROM response WHERE cycle_id = ANY($1::uuid[])',
      [ids],
    );
    expect(after).toHaveLength(18);
    expect(new Set(after.map((r) => r.x)).size).toBe(1);
    expect(after.some((r) => before.some((b) => b.id === r.id))).toBe(false);
    for (const id of ids) {
      const got = after
        .filter((r) => r.cycle_id === id)
        .map((r) => JSON.stringify(Object.entries(r.answers).sort()))
        .sort();
      expect(got).toEqual(answers.get(id));
    }
  });
});
