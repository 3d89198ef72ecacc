import request from 'supertest';
import type { ScoreEstimate, TeamTrendResponse } from '@candor/contracts';
import { getInstrument, scoreResponse, type Answers } from '@candor/instruments';
import { CycleService } from '../src/surveys/cycle.service';
import { makeGroup, makeTeam, makeUser, PASSWORD, type TestTeam } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

const DAY = 86_400_000;

/** Answers of a person whose item scores all equal `v` after reverse-scoring. */
function psAnswers(v: number): Answers {
  return { ps1: 8 - v, ps2: v, ps3: 8 - v, ps4: v, ps5: 8 - v, ps6: v, ps7: v };
}

describe('team trend (GET /api/teams/:teamId/trend)', () => {
  let t: TestApp;
  let cycles: CycleService;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
  });
  afterAll(() => t.close());

  /** A closed cycle with these answers, inserted as the submit endpoint would store them. */
  async function closedCycle(team: TestTeam, weeksAgo: number, answers: Answers[], k = 3): Promise<string> {
    const opensAt = new Date(Date.now() - weeksAgo * 7 * DAY);
    const cycle = await cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt,
      closesAt: new Date(opensAt.getTime() + 5 * DAY),
      k,
    });
    for (const a of answers) {
      await t.ds.query('INSERT INTO response (cycle_id, instrument_version, answers) VALUES ($1, $2, $3)', [
        cycle.id,
        'psych-safety@1',
        JSON.stringify(a),
      ]);
    }
    await cycles.close(cycle.id);
    return cycle.id;
  }

  it('releases mean, n and a finite-population-corrected 95% interval that match a hand computation', async () => {
    const team = await makeTeam(t.ds, 6);
    const answers = [psAnswers(4), psAnswers(5), psAnswers(6), psAnswers(6)];
    await closedCycle(team, 2, answers);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const res = await request(t.http)
      .get(`/api/teams/${team.teamId}/trend?instrument=psych-safety`)
      .set('Authorization', `Bearer ${lead}`)
      .expect(200);
    const body = res.body as TeamTrendResponse;
    expect(body.points).toHaveLength(1);
    const cell = body.points[0]!.scores.psych_safety as { status: 'released' } & ScoreEstimate;
    // By hand: x = 4, 5, 6, 6; mean 5.25; s² = Σ(x−x̄)²/(n−1) = (1.5625+0.0625+0.5625+0.5625)/3 = 0.916667;
    // se = s/√n · √((N−n)/(N−1)) = 0.957427/2 · √(2/5) = 0.302765; t(0.975, 3) = 3.182446.
    expect(cell.status).toBe('released');
    expect(cell.n).toBe(4);
    expect(cell.mean).toBeCloseTo(5.25, 10);
    expect(cell.lower).toBeCloseTo(5.25 - 3.182446 * 0.302765, 4);
    expect(cell.upper).toBeCloseTo(5.25 + 3.182446 * 0.302765, 4);
    expect(body.points[0]!.participation).toEqual({ status: 'released', n: 4, invited: 6, rate: 4 / 6 });
    // The scoring used is the instrument's own (reverse items), cross-checked here.
    const scored = answers.map(
      (a) => scoreResponse(getInstrument('psych-safety@1'), a).dimensions.psych_safety,
    );
    expect(scored).toEqual([4, 5, 6, 6]);
  });

  it('suppresses a cycle with n < k: no mean, no interval, no count', async () => {
    const team = await makeTeam(t.ds, 8);
    await closedCycle(team, 3, [psAnswers(5), psAnswers(6), psAnswers(7), psAnswers(5), psAnswers(6)], 5);
    await closedCycle(team, 2, [psAnswers(2), psAnswers(3), psAnswers(2), psAnswers(3)], 5);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const res = await request(t.http)
      .get(`/api/teams/${team.teamId}/trend`)
      .set('Authorization', `Bearer ${lead}`)
      .expect(200);
    const [released, suppressed] = (res.body as TeamTrendResponse).points;
    expect(released!.scores.psych_safety!.status).toBe('released');
    expect(suppressed!.scores.psych_safety).toEqual({ status: 'suppressed', reason: 'below-k' });
    expect(suppressed!.participation).toEqual({ status: 'suppressed', reason: 'below-k' });
    expect(JSON.stringify(suppressed)).not.toMatch(/"(mean|lower|upper|n|rate)"/);
  });

  it('flags a large change as significant and a tiny one as not', async () => {
    const team = await makeTeam(t.ds, 12);
    const low = [3, 3, 4, 3, 2, 3, 4, 3, 3, 2].map(psAnswers);
    const high = [6, 6, 7, 6, 5, 6, 7, 6, 6, 5].map(psAnswers);
    const high2 = [6, 6, 7, 6, 5, 6, 7, 6, 5, 6].map(psAnswers);
    await closedCycle(team, 4, low);
    await closedCycle(team, 3, high);
    await closedCycle(team, 2, high2);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const res = await request(t.http)
      .get(`/api/teams/${team.teamId}/trend`)
      .set('Authorization', `Bearer ${lead}`)
      .expect(200);
    const points = (res.body as TeamTrendResponse).points.map((p) => p.scores.psych_safety as ScoreEstimate);
    expect(points[0]!.change).toBeNull();
    expect(points[1]!.change).toMatchObject({ delta: 3, significant: true, direction: 'up' });
    expect(points[1]!.change!.p).toBeLessThan(0.001);
    expect(points[2]!.change).toMatchObject({ significant: false, direction: 'none' });
  });

  it('shows an open cycle only as a live count, and only to its leads', async () => {
    const team = await makeTeam(t.ds, 4);
    const open = await cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - DAY),
      closesAt: new Date(Date.now() + DAY),
      k: 3,
    });
    await t.ds.query('INSERT INTO response (cycle_id, instrument_version, answers) VALUES ($1, $2, $3)', [
      open.id,
      'psych-safety@1',
      JSON.stringify(psAnswers(5)),
    ]);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const member = await login(t.http, team.members[0]!.email, PASSWORD);
    const asLead = (
      await request(t.http)
        .get(`/api/teams/${team.teamId}/trend`)
        .set('Authorization', `Bearer ${lead}`)
        .expect(200)
    ).body as TeamTrendResponse;
    const asMember = (
      await request(t.http)
        .get(`/api/teams/${team.teamId}/trend`)
        .set('Authorization', `Bearer ${member}`)
        .expect(200)
    ).body as TeamTrendResponse;
    expect(asLead.points).toEqual([]);
    expect(asLead.openCycle).toMatchObject({ cycleId: open.id, responses: 1, k: 3, invited: 4 });
    expect(asMember.openCycle).toMatchObject({ cycleId: open.id, responses: null });
  });

  it('lets members, leads and directors above the team see results; refuses others', async () => {
    const division = await makeGroup(t.ds);
    const department = await makeGroup(t.ds, division);
    const team = await makeTeam(t.ds, 3, department);
    const sibling = await makeTeam(t.ds, 3, department);
    const director = await makeUser(t.ds);
    await t.ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [
      director.id,
      division,
    ]);
    const admin = await makeUser(t.ds, { isAdmin: true });
    const get = async (email: string, teamId: string) =>
      (
        await request(t.http)
          .get(`/api/teams/${teamId}/trend`)
          .set('Authorization', `Bearer ${await login(t.http, email, PASSWORD)}`)
      ).status;
    expect(await get(team.members[0]!.email, team.teamId)).toBe(200);
    expect(await get(team.lead.email, team.teamId)).toBe(200);
    expect(await get(director.email, team.teamId)).toBe(200);
    expect(await get(sibling.lead.email, team.teamId)).toBe(403);
    expect(await get(admin.email, team.teamId)).toBe(403);
    expect(await get(team.lead.email, '00000000-0000-4000-8000-000000000000')).toBe(404);
    expect(await get(team.lead.email, 'not-a-uuid')).toBe(404);
    const denials: unknown[] = await t.ds.query(
      `SELECT 1 FROM audit_log WHERE action = 'access.denied' AND actor_id = $1`,
      [admin.id],
    );
    expect(denials).toHaveLength(1);
  });

  it('rejects an unknown instrument with a field message', async () => {
    const team = await makeTeam(t.ds, 3);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const res = await request(t.http)
      .get(`/api/teams/${team.teamId}/trend?instrument=horoscope`)
      .set('Authorization', `Bearer ${lead}`)
      .expect(400);
    expect(res.body.fields).toHaveProperty('instrument');
  });
});
