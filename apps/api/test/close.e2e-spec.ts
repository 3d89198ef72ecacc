import request from 'supertest';
import { CycleService } from '../src/surveys/cycle.service';
import { obtainToken } from './blind-client';
import { makeTeam, PASSWORD } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

const HOUR = 3_600_000;

describe('closing a cycle', () => {
  let t: TestApp;
  let cycles: CycleService;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
  });
  afterAll(() => t.close());

  it('writes cycle_stats, rewrites responses and deletes spent tokens in one transaction, erases the key; idempotent', async () => {
    const team = await makeTeam(t.ds, 5);
    const cycle = await cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - HOUR),
      closesAt: new Date(Date.now() + HOUR),
      k: 3,
    });
    const submitted: Record<string, number>[] = [];
    for (const [i, person] of team.everyone.entries()) {
      const access = await login(t.http, person.email, PASSWORD);
      const tok = await obtainToken(t.http, access, cycle.id, cycle.publicKeySpki);
      const v = (i % 7) + 1;
      const answers = { ps1: 8 - v, ps2: v, ps3: 8 - v, ps4: v, ps5: 8 - v, ps6: v, ps7: v };
      submitted.push(answers);
      await request(t.http)
        .post('/api/responses')
        .send({ cycleId: cycle.id, instrument: 'psych-safety@1', ...tok, answers })
        .expect(201);
    }
    const idsBefore: { id: string }[] = await t.ds.query('SELECT id FROM response WHERE cycle_id = $1', [
      cycle.id,
    ]);
    const xminBefore: { x: string }[] = await t.ds.query(
      'SELECT DISTINCT xmin::text AS x FROM response WHERE cycle_id = $1',
      [cycle.id],
    );
    expect(xminBefore).toHaveLength(5); // one transaction per submission while open

    expect(await cycles.close(cycle.id)).toBe(true);
    expect(await cycles.close(cycle.id)).toBe(false);

    const rows: { id: string; answers: Record<string, number>; x: string }[] = await t.ds.query(
      'SELECT id, answers, xmin::text AS x FROM response WHERE cycle_id = $1',
      [cycle.id],
    );
    // Same answers (as a multiset), new ids, and one transaction id shared by all rows.
    const canon = (a: Record<string, number>) => JSON.stringify(Object.entries(a).sort());
    expect(rows.map((r) => canon(r.answers)).sort()).toEqual(submitted.map(canon).sort());
    expect(rows.some((r) => idsBefore.some((b) => b.id === r.id))).toBe(false);
    expect(new Set(rows.map((r) => r.x)).size).toBe(1);
    // Spent tokens refuse a second use while the cycle is open; closing deletes them.
    const spent: { n: number }[] = await t.ds.query(
      'SELECT count(*)::int AS n FROM spent_token WHERE cycle_id = $1',
      [cycle.id],
    );
    expect(spent).toEqual([{ n: 0 }]);

    const [c]: { status: string; private_key_pkcs8: string | null }[] = await t.ds.query(
      'SELECT status, private_key_pkcs8 FROM cycle WHERE id = $1',
      [cycle.id],
    );
    expect(c).toEqual({ status: 'closed', private_key_pkcs8: null });

    const stats: { dimension: string; n: number; sum: number; sum_sq: number }[] = await t.ds.query(
      `SELECT dimension, n, sum, sum_sq FROM cycle_stats WHERE cycle_id = $1 AND dimension = 'psych_safety'`,
      [cycle.id],
    );
    // Scores 1..5 (reverse items scored 8 − x): n 5, Σ 15, Σx² 55.
    expect(stats).toEqual([{ dimension: 'psych_safety', n: 5, sum: 15, sum_sq: 55 }]);
    const items: { n: number }[] = await t.ds.query(
      `SELECT count(*)::int AS n FROM cycle_stats WHERE cycle_id = $1 AND dimension LIKE 'item:%'`,
      [cycle.id],
    );
    expect(items[0]!.n).toBe(7);
  });
});
