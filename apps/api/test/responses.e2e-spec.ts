import request from 'supertest';
import type { OpenSurvey, SubmitReceipt } from '@candor/contracts';
import { CycleService } from '../src/surveys/cycle.service';
import { blindToken, finalizeToken, obtainToken } from './blind-client';
import { makeTeam, makeUser, PASSWORD, type TestTeam } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

const PS_ANSWERS = { ps1: 2, ps2: 6, ps3: 1, ps4: 5, ps5: 3, ps6: 6, ps7: 7 };
const HOUR = 3_600_000;

describe('anonymous submission (blind token → POST /api/responses)', () => {
  let t: TestApp;
  let cycles: CycleService;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
  });
  afterAll(() => t.close());

  async function openCycle(team: TestTeam, k = 3) {
    const now = Date.now();
    return cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(now - HOUR),
      closesAt: new Date(now + 24 * HOUR),
      k,
    });
  }

  async function survey(accessToken: string, cycleId: string): Promise<OpenSurvey> {
    const res = await request(t.http)
      .get('/api/surveys/open')
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(200);
    const found = (res.body.surveys as OpenSurvey[]).find((s) => s.cycleId === cycleId);
    if (!found) throw new Error('open survey not listed');
    return found;
  }

  it('lists the open cycle, issues a token, stores the answers and replays the receipt', async () => {
    const team = await makeTeam(t.ds, 4);
    const cycle = await openCycle(team);
    const access = await login(t.http, team.members[0]!.email, PASSWORD);
    const s = await survey(access, cycle.id);
    expect(s).toMatchObject({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      k: 3,
      invited: 4,
      tokenIssued: false,
    });

    const { token, signature } = await obtainToken(t.http, access, cycle.id, s.publicKeySpki);
    expect((await survey(access, cycle.id)).tokenIssued).toBe(true);

    const body = { cycleId: cycle.id, instrument: 'psych-safety@1', token, signature, answers: PS_ANSWERS };
    const first = await request(t.http).post('/api/responses').send(body).expect(201);
    const receipt = first.body as SubmitReceipt;
    expect(receipt).toMatchObject({ cycleId: cycle.id, replayed: false, teamId: team.teamId });

    // Same token, same answers (a retry after a dropped connection): the first receipt again.
    const again = await request(t.http).post('/api/responses').send(body).expect(200);
    expect(again.body).toEqual({ ...receipt, replayed: true });

    // Same token, other answers: refused, and nothing changes.
    const other = await request(t.http)
      .post('/api/responses')
      .send({ ...body, answers: { ...PS_ANSWERS, ps1: 7 } })
      .expect(409);
    expect(other.body.code).toBe('token_already_used');

    // While open, the answers exist only sealed on the spent token (issue 12); the close opens them.
    const open: { n: number }[] = await t.ds.query(
      'SELECT count(*)::int AS n FROM response WHERE cycle_id = $1',
      [cycle.id],
    );
    expect(open[0]!.n).toBe(0);
    const sealed: { n: number }[] = await t.ds.query(
      'SELECT count(*)::int AS n FROM spent_token WHERE cycle_id = $1 AND sealed_answers IS NOT NULL',
      [cycle.id],
    );
    expect(sealed[0]!.n).toBe(1);
    expect(await cycles.close(cycle.id)).toBe(true);
    const rows: { answers: Record<string, number> }[] = await t.ds.query(
      'SELECT answers FROM response WHERE cycle_id = $1',
      [cycle.id],
    );
    expect(rows).toEqual([{ answers: PS_ANSWERS }]);
  });

  it('stores no user id, timestamp, IP or user agent in the response row', async () => {
    const columns: { column_name: string }[] = await t.ds.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'response' ORDER BY column_name`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(['answers', 'cycle_id', 'id', 'instrument_version']);
  });

  it('ignores cookies and Authorization headers sent to the submit endpoint', async () => {
    const team = await makeTeam(t.ds, 3);
    const cycle = await openCycle(team);
    const agent = request.agent(t.http);
    const login1 = await agent
      .post('/api/auth/login')
      .send({ email: team.lead.email, password: PASSWORD })
      .expect(200);
    const access = login1.body.accessToken as string;
    const s = await survey(access, cycle.id);
    const { token, signature } = await obtainToken(t.http, access, cycle.id, s.publicKeySpki);
    await agent
      .post('/api/responses')
      .set('Authorization', `Bearer ${access}`)
      .send({ cycleId: cycle.id, instrument: 'psych-safety@1', token, signature, answers: PS_ANSWERS })
      .expect(201);
    const audit: unknown[] = await t.ds.query(`SELECT 1 FROM audit_log WHERE actor_id = $1`, [team.lead.id]);
    expect(audit).toEqual([]);
  });

  it('re-signs the same blinded message (safe retry) and refuses a second, different one with 409', async () => {
    const team = await makeTeam(t.ds, 3);
    const cycle = await openCycle(team);
    const access = await login(t.http, team.members[0]!.email, PASSWORD);
    const s = await survey(access, cycle.id);
    const state = await blindToken(s.publicKeySpki);
    const blindedMessage = Buffer.from(state.blinded).toString('base64url');
    const post = (m: string) =>
      request(t.http)
        .post(`/api/cycles/${cycle.id}/tokens`)
        .set('Authorization', `Bearer ${access}`)
        .send({ blindedMessage: m });
    const a = await post(blindedMessage).expect(200);
    const b = await post(blindedMessage).expect(200);
    expect(b.body.blindSignature).toBe(a.body.blindSignature);
    const { token, signature } = await finalizeToken(state, a.body.blindSignature);
    expect(token.length).toBeGreaterThan(0);
    expect(signature.length).toBeGreaterThan(0);
    const second = await blindToken(s.publicKeySpki);
    const res = await post(Buffer.from(second.blinded).toString('base64url')).expect(409);
    expect(res.body.code).toBe('token_already_issued');
  });

  it('refuses tokens to people who are not invited (403), unknown cycles (404) and closed cycles (410)', async () => {
    const team = await makeTeam(t.ds, 3);
    const cycle = await openCycle(team);
    const outsider = await makeUser(t.ds);
    const outsiderAccess = await login(t.http, outsider.email, PASSWORD);
    const blinded = Buffer.alloc(256, 1).toString('base64url');
    await request(t.http)
      .post(`/api/cycles/${cycle.id}/tokens`)
      .set('Authorization', `Bearer ${outsiderAccess}`)
      .send({ blindedMessage: blinded })
      .expect(403);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' OR '1'='1"]) {
      await request(t.http)
        .post(`/api/cycles/${encodeURIComponent(id)}/tokens`)
        .set('Authorization', `Bearer ${outsiderAccess}`)
        .send({ blindedMessage: blinded })
        .expect(404);
    }
    await request(t.http)
      .post(`/api/cycles/${cycle.id}/tokens`)
      .send({ blindedMessage: blinded })
      .expect(401);
    const member = await login(t.http, team.members[0]!.email, PASSWORD);
    await cycles.close(cycle.id);
    await request(t.http)
      .post(`/api/cycles/${cycle.id}/tokens`)
      .set('Authorization', `Bearer ${member}`)
      .send({ blindedMessage: blinded })
      .expect(410);
  });

  it('answers malformed submissions with 400 and field messages, stores nothing', async () => {
    const team = await makeTeam(t.ds, 3);
    const cycle = await openCycle(team);
    const access = await login(t.http, team.members[0]!.email, PASSWORD);
    const s = await survey(access, cycle.id);
    const good = await obtainToken(t.http, access, cycle.id, s.publicKeySpki);
    const base = { cycleId: cycle.id, instrument: 'psych-safety@1', ...good, answers: PS_ANSWERS };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, answers: { ...PS_ANSWERS, ps1: 8 } }, 'answers.ps1'],
      [{ ...base, answers: { ...PS_ANSWERS, ps1: 2.5 } }, 'answers.ps1'],
      [{ ...base, answers: { ...PS_ANSWERS, ps1: '3' } }, 'answers.ps1'],
      [{ ...base, answers: { ps1: 3 } }, 'answers.ps2'],
      [{ ...base, answers: { ...PS_ANSWERS, extra: 3 } }, 'answers.extra'],
      [{ ...base, answers: [1, 2, 3] }, 'answers'],
      [{ ...base, instrument: 'trust-equation@1' }, 'instrument'],
      [{ ...base, token: 'not base64!' }, 'token'],
      [{ ...base, token: Buffer.alloc(10).toString('base64url') }, 'token'],
      [{ ...base, signature: Buffer.alloc(256, 7).toString('base64url') }, 'signature'],
      [{ ...base, cycleId: 'nope' }, 'cycleId'],
      [{ ...base, userId: 'sneaky' }, 'userId'],
    ];
    for (const [body, field] of cases) {
      const res = await request(t.http).post('/api/responses').send(body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(Object.keys(res.body.fields ?? {})).toContain(field);
    }
    const rows: unknown[] = await t.ds.query('SELECT 1 FROM response WHERE cycle_id = $1', [cycle.id]);
    expect(rows).toHaveLength(0);
    // The good token still works afterwards.
    await request(t.http).post('/api/responses').send(base).expect(201);
  });

  it('refuses a token signed for another cycle', async () => {
    const team = await makeTeam(t.ds, 3);
    const a = await openCycle(team);
    const b = await cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - 2 * HOUR),
      closesAt: new Date(Date.now() + HOUR),
      k: 3,
    });
    const access = await login(t.http, team.members[0]!.email, PASSWORD);
    const tokenA = await obtainToken(t.http, access, a.id, (await survey(access, a.id)).publicKeySpki);
    const res = await request(t.http)
      .post('/api/responses')
      .send({ cycleId: b.id, instrument: 'psych-safety@1', ...tokenA, answers: PS_ANSWERS })
      .expect(400);
    expect(res.body.code).toBe('invalid_signature');
  });

  it('refuses answers once the cycle has closed (410), even with a valid token', async () => {
    const team = await makeTeam(t.ds, 3);
    const cycle = await openCycle(team);
    const access = await login(t.http, team.members[0]!.email, PASSWORD);
    const tok = await obtainToken(t.http, access, cycle.id, (await survey(access, cycle.id)).publicKeySpki);
    await cycles.close(cycle.id);
    const res = await request(t.http)
      .post('/api/responses')
      .send({ cycleId: cycle.id, instrument: 'psych-safety@1', ...tok, answers: PS_ANSWERS })
      .expect(410);
    expect(res.body.code).toBe('cycle_closed');
  });

  it('keeps exactly one response per token under concurrent duplicate submissions', async () => {
    const team = await makeTeam(t.ds, 5);
    const cycle = await openCycle(team);
    const tokens = [];
    for (const person of team.everyone) {
      const access = await login(t.http, person.email, PASSWORD);
      tokens.push(
        await obtainToken(t.http, access, cycle.id, (await survey(access, cycle.id)).publicKeySpki),
      );
    }
    const sends = tokens.flatMap((tok) =>
      [0, 1, 2].map(() =>
        request(t.http)
          .post('/api/responses')
          .send({ cycleId: cycle.id, instrument: 'psych-safety@1', ...tok, answers: PS_ANSWERS }),
      ),
    );
    const results = await Promise.all(sends);
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(await cycles.close(cycle.id)).toBe(true);
    const rows: { n: number }[] = await t.ds.query(
      'SELECT count(*)::int AS n FROM response WHERE cycle_id = $1',
      [cycle.id],
    );
    expect(rows[0]!.n).toBe(5);
  });
});
