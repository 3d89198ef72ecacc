import request from 'supertest';
import type { ActionItem, ActionListResponse, ScoreEstimate, TeamTrendResponse } from '@candor/contracts';
import { welchTest } from '@candor/stats';
import { CycleService } from '../src/surveys/cycle.service';
import { closedCycle, monthStart, psAnswers } from './analytics-helpers';
import { makeTeam, PASSWORD } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

describe('team actions (/api/teams/:teamId/actions)', () => {
  let t: TestApp;
  let cycles: CycleService;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
  });
  afterAll(() => t.close());

  it('lets a lead record, list and delete actions; the trend carries each with the change across it', async () => {
    const team = await makeTeam(t.ds, 4);
    const before = [3, 3, 4, 2, 3, 4];
    const after = [5, 6, 5, 6, 6, 5];
    await closedCycle(t.ds, cycles, team.teamId, monthStart(3), before.map(psAnswers), { k: 3, invited: 8 });
    await closedCycle(t.ds, cycles, team.teamId, monthStart(1), after.map(psAnswers), { k: 3, invited: 8 });
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const member = await login(t.http, team.members[0]!.email, PASSWORD);
    const date = monthStart(2).toISOString().slice(0, 10);

    const created = await request(t.http)
      .post(`/api/teams/${team.teamId}/actions`)
      .set('Authorization', `Bearer ${lead}`)
      .send({ dimension: 'psych_safety', text: 'Blameless incident reviews', date })
      .expect(201);
    const action = created.body as ActionItem;
    expect(action).toMatchObject({ teamId: team.teamId, dimension: 'psych_safety', date });
    // A trust-equation action is not drawn on the psych-safety trend.
    await request(t.http)
      .post(`/api/teams/${team.teamId}/actions`)
      .set('Authorization', `Bearer ${lead}`)
      .send({ dimension: 'credibility', text: 'Share design docs', date })
      .expect(201);

    const list = await request(t.http)
      .get(`/api/teams/${team.teamId}/actions`)
      .set('Authorization', `Bearer ${lead}`)
      .expect(200);
    expect((list.body as ActionListResponse).actions).toHaveLength(2);

    const trend = (
      await request(t.http)
        .get(`/api/teams/${team.teamId}/trend`)
        .set('Authorization', `Bearer ${member}`)
        .expect(200)
    ).body as TeamTrendResponse;
    expect(trend.actions).toHaveLength(1);
    const drawn = trend.actions![0]!;
    expect(drawn.beforeCycleId).toBe(trend.points[0]!.cycleId);
    expect(drawn.afterCycleId).toBe(trend.points[1]!.cycleId);
    const w = welchTest(
      { n: 6, sum: before.reduce((a, b) => a + b), sumSq: before.reduce((a, b) => a + b * b, 0) },
      { n: 6, sum: after.reduce((a, b) => a + b), sumSq: after.reduce((a, b) => a + b * b, 0) },
    )!;
    expect(drawn.change!.delta).toBeCloseTo(w.delta, 12);
    expect(drawn.change!.p).toBeCloseTo(w.p, 12);
    const second = trend.points[1]!.scores.psych_safety as ScoreEstimate;
    expect(drawn.change!.delta).toBeCloseTo(second.change!.delta, 12);

    await request(t.http)
      .delete(`/api/teams/${team.teamId}/actions/${action.id}`)
      .set('Authorization', `Bearer ${lead}`)
      .expect(204);
    await request(t.http)
      .delete(`/api/teams/${team.teamId}/actions/${action.id}`)
      .set('Authorization', `Bearer ${lead}`)
      .expect(404);
  });

  it('refuses members and other teams, and bad input with field messages', async () => {
    const team = await makeTeam(t.ds, 3);
    const other = await makeTeam(t.ds, 3);
    const member = await login(t.http, team.members[0]!.email, PASSWORD);
    const otherLead = await login(t.http, other.lead.email, PASSWORD);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const body = { dimension: 'psych_safety', text: 'x', date: '2026-01-05' };
    for (const token of [member, otherLead]) {
      await request(t.http)
        .post(`/api/teams/${team.teamId}/actions`)
        .set('Authorization', `Bearer ${token}`)
        .send(body)
        .expect(403);
      await request(t.http)
        .get(`/api/teams/${team.teamId}/actions`)
        .set('Authorization', `Bearer ${token}`)
        .expect(403);
    }
    const bad = await request(t.http)
      .post(`/api/teams/${team.teamId}/actions`)
      .set('Authorization', `Bearer ${lead}`)
      .send({ dimension: 'mood', text: '', date: '2026-02-30', extra: 1 })
      .expect(400);
    expect(Object.keys(bad.body.fields as object).sort()).toEqual(['date', 'dimension', 'extra', 'text']);
    const long = await request(t.http)
      .post(`/api/teams/${team.teamId}/actions`)
      .set('Authorization', `Bearer ${lead}`)
      .send({ ...body, text: 'a'.repeat(501) })
      .expect(400);
    expect(long.body.fields).toHaveProperty('text');
    await request(t.http)
      .delete(`/api/teams/${team.teamId}/actions/not-a-uuid`)
      .set('Authorization', `Bearer ${lead}`)
      .expect(404);
  });
});
