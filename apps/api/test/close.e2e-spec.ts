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

  it('opens the sealed answers, writes responses and cycle_stats, deletes spent tokens in one transaction, erases both keys; idempotent', async () => {
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
    // While open (issue 12): no response row, one sealed submission per spent token, a data key.
    const before: { responses: number; sealed: number; keys: number }[] = await t.ds.query(
      `SELECT (SELECT count(*)::int FROM response WHERE cycle_id = $1) AS responses,
              (SELECT count(*)::int FROM spent_token WHERE cycle_id = $1 AND sealed_answers IS NOT NULL) AS sealed,
              (SELECT count(*)::int FROM cycle_key WHERE cycle_id = $1) AS keys`,
      [cycle.id],
    );
    expect(before).toEqual([{ responses: 0, sealed: 5, keys: 1 }]);

    expect(await cycles.close(cycle.id)).toBe(true);
    expect(await cycles.close(cycle.id)).toBe(false);

    const rows: { id: string; answers: Record<string, number>; x: string }[] = await t.ds.query(
      'SELECT id, answers, xmin::text AS x FROM response WHERE cycle_id = $1',
      [cycle.id],
    );
    // Same answers (as a multiset), and one transaction id shared by all rows.
    const canon = (a: Record<string, number>) => JSON.stringify(Object.entries(a).sort());
    expect(rows.map((r) => canon(r.answers)).sort()).toEqual(submitted.map(canon).sort());
    expect(new Set(rows.map((r) => r.x)).size).toBe(1);
    // The data key is erased with the signing key: no sealed copy can be opened again.
    const keys: { n: number }[] = await t.ds.query(
      'SELECT count(*)::int AS n FROM cycle_key WHERE cycle_id = $1',
      [cycle.id],
    );
    expect(keys).toEqual([{ n: 0 }]);
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
