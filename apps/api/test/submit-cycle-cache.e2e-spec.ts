import request from 'supertest';
import type { OpenSurvey } from '@candor/contracts';
import { CycleService } from '../src/surveys/cycle.service';
import { obtainToken } from './blind-client';
import { makeTeam, PASSWORD, type TestTeam } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

/**
 * Submission serves an open cycle's key, instrument and window from memory. These tests make sure
 * the memory is only ever a hint: once a cycle has taken one answer (so it is cached), closing it,
 * moving its end into the past or its start into the future still refuses the next answer, and
 * nothing is stored or spent for it.
 */
const PS_ANSWERS = { ps1: 2, ps2: 6, ps3: 1, ps4: 5, ps5: 3, ps6: 6, ps7: 7 };
const HOUR = 3_600_000;

describe('submission with cached cycle data', () => {
  let t: TestApp;
  let cycles: CycleService;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
  });
  afterAll(() => t.close());

  async function openCycle(team: TestTeam) {
    const now = Date.now();
    return cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(now - HOUR),
      closesAt: new Date(now + 24 * HOUR),
      k: 3,
    });
  }

  /** Two members' tokens for the cycle; the first one's answer is stored, so the cycle is cached. */
  async function cachedCycleWithSpareToken() {
    const team = await makeTeam(t.ds, 3);
    const cycle = await openCycle(team);
    const tokens: { token: string; signature: string }[] = [];
    for (const member of team.members.slice(0, 2)) {
      const access = await login(t.http, member.email, PASSWORD);
      const res = await request(t.http)
        .get('/api/surveys/open')
        .set('Authorization', `Bearer ${access}`)
        .expect(200);
      const s = (res.body.surveys as OpenSurvey[]).find((x) => x.cycleId === cycle.id)!;
      tokens.push(await obtainToken(t.http, access, cycle.id, s.publicKeySpki));
    }
    const body = (i: number) => ({
      cycleId: cycle.id,
      instrument: 'psych-safety@1',
      ...tokens[i]!,
      answers: PS_ANSWERS,
    });
    await request(t.http).post('/api/responses').send(body(0)).expect(201);
    return { cycle, body };
  }

  async function stored(cycleId: string): Promise<{ responses: number; spent: number }> {
    const [row]: { responses: number; spent: number }[] = await t.ds.query(
      // Answers stored: sealed on the spent token while open (issue 12), response rows after close.
      `SELECT ((SELECT count(*) FROM response WHERE cycle_id = $1)
               + (SELECT count(*) FROM spent_token WHERE cycle_id = $1 AND sealed_answers IS NOT NULL))::int AS responses,
              (SELECT count(*) FROM spent_token WHERE cycle_id = $1)::int AS spent`,
      [cycleId],
    );
    return row!;
  }

  it('refuses an answer (410) once the cycle is closed, though it was open when cached', async () => {
    const { cycle, body } = await cachedCycleWithSpareToken();
    await cycles.close(cycle.id);
    const res = await request(t.http).post('/api/responses').send(body(1)).expect(410);
    expect(res.body.code).toBe('cycle_closed');
    // The one answer given while open is kept; closing deleted the spent tokens, and the refused
    // submission spent none.
    expect(await stored(cycle.id)).toEqual({ responses: 1, spent: 0 });
  });

  it('refuses an answer (410) once the end of the window was moved into the past', async () => {
    const { cycle, body } = await cachedCycleWithSpareToken();
    await t.ds.query(`UPDATE cycle SET closes_at = now() - interval '1 second' WHERE id = $1`, [cycle.id]);
    const res = await request(t.http).post('/api/responses').send(body(1)).expect(410);
    expect(res.body.code).toBe('cycle_closed');
    expect(await stored(cycle.id)).toEqual({ responses: 1, spent: 1 });
    await cycles.close(cycle.id); // leave no due cycle behind for scheduler tests sharing the database
  });

  it('refuses an answer (403) once the start of the window was moved into the future', async () => {
    const { cycle, body } = await cachedCycleWithSpareToken();
    await t.ds.query(`UPDATE cycle SET opens_at = now() + interval '1 hour' WHERE id = $1`, [cycle.id]);
    const res = await request(t.http).post('/api/responses').send(body(1)).expect(403);
    expect(res.body.code).toBe('cycle_not_open');
    expect(await stored(cycle.id)).toEqual({ responses: 1, spent: 1 });
    await cycles.close(cycle.id);
  });

  it('accepts answers again when a cycle whose end had passed is given a later end', async () => {
    const { cycle, body } = await cachedCycleWithSpareToken();
    await t.ds.query(`UPDATE cycle SET closes_at = now() - interval '1 second' WHERE id = $1`, [cycle.id]);
    await request(t.http).post('/api/responses').send(body(1)).expect(410);
    await t.ds.query(`UPDATE cycle SET closes_at = now() + interval '1 hour' WHERE id = $1`, [cycle.id]);
    await request(t.http).post('/api/responses').send(body(1)).expect(201);
    expect(await stored(cycle.id)).toEqual({ responses: 2, spent: 2 });
    await cycles.close(cycle.id);
  });
});
