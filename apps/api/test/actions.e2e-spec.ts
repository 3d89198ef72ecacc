import request from 'supertest';
import type {
  ActionItem,
  ActionListResponse,
  ActionOwnersResponse,
  ScoreEstimate,
  TeamTrendResponse,
} from '@candor/contracts';
import { playsFor } from '@candor/instruments';
import { welchTest } from '@candor/stats';
import { CycleService } from '../src/surveys/cycle.service';
import { closedCycle, monthStart, psAnswers } from './analytics-helpers';
import { makeGroup, makeTeam, makeUser, PASSWORD } from './factories';
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
    }
    // Reading the list: the team's members may (issue 13), another team's lead may not.
    await request(t.http)
      .get(`/api/teams/${team.teamId}/actions`)
      .set('Authorization', `Bearer ${member}`)
      .expect(200);
    await request(t.http)
      .get(`/api/teams/${team.teamId}/actions`)
      .set('Authorization', `Bearer ${otherLead}`)
      .expect(403);
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

  it('records owner, due date, status and the play an action came from; changes them; lists them to everyone who sees the results', async () => {
    const group = await makeGroup(t.ds);
    const team = await makeTeam(t.ds, 4, group);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const member = await login(t.http, team.members[0]!.email, PASSWORD);
    const director = await makeUser(t.ds);
    await t.ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [director.id, group]);
    const directorToken = await login(t.http, director.email, PASSWORD);
    const play = playsFor('credibility')[0]!;
    const owner = team.members[1]!;

    const owners = (
      await request(t.http)
        .get(`/api/teams/${team.teamId}/action-owners`)
        .set('Authorization', `Bearer ${lead}`)
        .expect(200)
    ).body as ActionOwnersResponse;
    expect(owners.people.map((p) => p.id).sort()).toEqual(team.everyone.map((p) => p.id).sort());
    const ownerName = owners.people.find((p) => p.id === owner.id)!.name;

    // Started from a play in one request: its title as the text, an owner, a due date.
    const started = (
      await request(t.http)
        .post(`/api/teams/${team.teamId}/actions`)
        .set('Authorization', `Bearer ${lead}`)
        .send({
          dimension: 'credibility',
          text: play.title,
          date: '2026-03-02',
          playKey: play.key,
          ownerId: owner.id,
          dueDate: '2026-03-30',
        })
        .expect(201)
    ).body as ActionItem;
    expect(started).toMatchObject({
      dimension: 'credibility',
      text: play.title,
      playKey: play.key,
      owner: { id: owner.id, name: ownerName },
      dueDate: '2026-03-30',
      status: 'doing',
    });
    // Without the new fields: no owner, no due date, no play, doing.
    const plain = (
      await request(t.http)
        .post(`/api/teams/${team.teamId}/actions`)
        .set('Authorization', `Bearer ${lead}`)
        .send({ dimension: 'psych_safety', text: 'Retro on Fridays', date: '2026-03-09', status: 'planned' })
        .expect(201)
    ).body as ActionItem;
    expect(plain).toMatchObject({ playKey: null, owner: null, dueDate: null, status: 'planned' });

    const done = (
      await request(t.http)
        .patch(`/api/teams/${team.teamId}/actions/${started.id}`)
        .set('Authorization', `Bearer ${lead}`)
        .send({ status: 'done', ownerId: null })
        .expect(200)
    ).body as ActionItem;
    expect(done).toMatchObject({ status: 'done', owner: null, dueDate: '2026-03-30', text: play.title });
    expect(Date.parse(done.updatedAt!)).toBeGreaterThanOrEqual(Date.parse(started.updatedAt!));

    // Members and directors see the team's actions; only leads change them.
    for (const token of [member, directorToken]) {
      const list = (
        await request(t.http)
          .get(`/api/teams/${team.teamId}/actions`)
          .set('Authorization', `Bearer ${token}`)
          .expect(200)
      ).body as ActionListResponse;
      expect(list.actions.map((a) => [a.text, a.status])).toEqual([
        [play.title, 'done'],
        ['Retro on Fridays', 'planned'],
      ]);
      await request(t.http)
        .patch(`/api/teams/${team.teamId}/actions/${started.id}`)
        .set('Authorization', `Bearer ${token}`)
        .send({ status: 'dropped' })
        .expect(403);
      await request(t.http)
        .get(`/api/teams/${team.teamId}/action-owners`)
        .set('Authorization', `Bearer ${token}`)
        .expect(403);
    }
  });

  it('refuses a play of another dimension, an unknown play, an owner off the team and a due date before the start, changing nothing', async () => {
    const team = await makeTeam(t.ds, 3);
    const other = await makeTeam(t.ds, 3);
    const gone = await makeUser(t.ds, { active: false });
    await t.ds.query('INSERT INTO membership (user_id, team_id, role) VALUES ($1, $2, $3)', [
      gone.id,
      team.teamId,
      'member',
    ]);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const base = { dimension: 'reliability', text: 'Warn early', date: '2026-04-06' };
    const post = (body: object) =>
      request(t.http)
        .post(`/api/teams/${team.teamId}/actions`)
        .set('Authorization', `Bearer ${lead}`)
        .send(body);

    const wrongPlay = await post({ ...base, playKey: playsFor('intimacy')[0]!.key }).expect(400);
    expect(wrongPlay.body.fields.playKey[0]).toMatch(/is a play for intimacy, not for reliability/);
    const unknown = await post({ ...base, playKey: 'reliability/telepathy@1' }).expect(400);
    expect(unknown.body.fields).toHaveProperty('playKey');
    for (const ownerId of [other.lead.id, gone.id]) {
      const res = await post({ ...base, ownerId }).expect(400);
      expect(res.body.fields.ownerId).toEqual(['is not an active member or lead of this team']);
    }
    const early = await post({ ...base, dueDate: '2026-04-05' }).expect(400);
    expect(early.body.fields.dueDate).toEqual(['must be on or after the start date']);
    const shapes = await post({ ...base, status: 'finished', ownerId: 'me', dueDate: 'soon' }).expect(400);
    expect(Object.keys(shapes.body.fields as object).sort()).toEqual(['dueDate', 'ownerId', 'status']);
    // The deactivated member is not offered as an owner.
    const owners = (
      await request(t.http)
        .get(`/api/teams/${team.teamId}/action-owners`)
        .set('Authorization', `Bearer ${lead}`)
    ).body as ActionOwnersResponse;
    expect(owners.people.map((p) => p.id)).not.toContain(gone.id);

    const saved = (await post({ ...base, ownerId: team.members[0]!.id, dueDate: '2026-04-20' }).expect(201))
      .body as ActionItem;
    const patch = (body: object) =>
      request(t.http)
        .patch(`/api/teams/${team.teamId}/actions/${saved.id}`)
        .set('Authorization', `Bearer ${lead}`)
        .send(body);
    expect((await patch({ dueDate: '2026-04-01' }).expect(400)).body.fields).toHaveProperty('dueDate');
    expect((await patch({ date: '2026-05-01' }).expect(400)).body.fields).toHaveProperty('dueDate');
    expect((await patch({ ownerId: other.lead.id }).expect(400)).body.fields).toHaveProperty('ownerId');
    expect((await patch({ text: '   ' }).expect(400)).body.fields).toHaveProperty('text');
    expect((await patch({ dimension: 'intimacy' }).expect(400)).body.fields).toHaveProperty('dimension');
    await request(t.http)
      .patch(`/api/teams/${other.teamId}/actions/${saved.id}`)
      .set('Authorization', `Bearer ${await login(t.http, other.lead.email, PASSWORD)}`)
      .send({ status: 'done' })
      .expect(404);
    await patch({ status: 'done' }).expect(200);
    const [row] = (await t.ds.query(
      'SELECT text, date::text, owner_id, due_date::text, status, dimension FROM action WHERE id = $1',
      [saved.id],
    )) as Record<string, string>[];
    expect(row).toEqual({
      text: 'Warn early',
      date: '2026-04-06',
      owner_id: team.members[0]!.id,
      due_date: '2026-04-20',
      status: 'done',
      dimension: 'reliability',
    });
  });
});
