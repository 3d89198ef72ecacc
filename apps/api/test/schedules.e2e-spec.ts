import request from 'supertest';
import type {
  CycleView,
  ScheduleListResponse,
  SchedulePreviewResponse,
  ScheduleView,
} from '@candor/contracts';
import { ConfigError, loadConfig } from '../src/config/config';
import { CycleService } from '../src/surveys/cycle.service';
import { makeGroup, makeTeam, makeUser, PASSWORD } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

const HOUR = 3_600_000;

describe('schedules API and the k lock', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp({ timezone: 'Europe/Berlin' });
    const a = await makeUser(t.ds, { isAdmin: true });
    admin = await login(t.http, a.email, PASSWORD);
  });
  afterAll(() => t.close());

  const post = (token: string, body: object) =>
    request(t.http).post('/api/schedules').set('Authorization', `Bearer ${token}`).send(body);

  const base = { instrument: 'psych-safety', cadence: 'weekly', weekday: 1, hour: 9, windowDays: 5 };

  it('admin creates a team schedule: defaults k, the organisation time zone and today; shows the next openings', async () => {
    const team = await makeTeam(t.ds, 3);
    const res = await post(admin, { ...base, teamId: team.teamId }).expect(201);
    const s = res.body as ScheduleView;
    expect(s).toMatchObject({
      teamId: team.teamId,
      groupId: null,
      instrument: 'psych-safety',
      trustSubject: null,
      cadence: 'weekly',
      k: 5,
      timezone: 'Europe/Berlin',
      active: true,
    });
    expect(s.startsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(s.nextOpenings).toHaveLength(3);
    const got = await request(t.http)
      .get(`/api/schedules/${s.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(got.body).toEqual(s);
    const audit: { action: string }[] = await t.ds.query('SELECT action FROM audit_log WHERE target = $1', [
      s.id,
    ]);
    expect(audit).toEqual([{ action: 'schedule.create' }]);
  });

  it('admin creates a group trust-equation schedule; trustSubject defaults to team and may be lead', async () => {
    const group = await makeGroup(t.ds);
    const a = await post(admin, {
      ...base,
      instrument: 'trust-equation',
      groupId: group,
      cadence: 'monthly',
    }).expect(201);
    expect(a.body).toMatchObject({ groupId: group, teamId: null, trustSubject: 'team', cadence: 'monthly' });
    const b = await post(admin, {
      ...base,
      instrument: 'trust-equation',
      trustSubject: 'lead',
      groupId: group,
      cadence: 'quarterly',
      k: 7,
    }).expect(201);
    expect(b.body).toMatchObject({ trustSubject: 'lead', k: 7 });
  });

  it('leads manage their own teams only; members cannot manage schedules at all', async () => {
    const team = await makeTeam(t.ds, 3);
    const other = await makeTeam(t.ds, 3);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const member = await login(t.http, team.members[0]!.email, PASSWORD);

    const mine = (await post(lead, { ...base, teamId: team.teamId }).expect(201)).body as ScheduleView;
    expect((await post(lead, { ...base, teamId: other.teamId }).expect(403)).body.code).toBe(
      'team_access_denied',
    );
    expect((await post(lead, { ...base, groupId: team.groupId }).expect(403)).body.code).toBe(
      'group_schedule_admin_only',
    );
    const theirs = (await post(admin, { ...base, teamId: other.teamId }).expect(201)).body as ScheduleView;

    const list = await request(t.http)
      .get('/api/schedules')
      .set('Authorization', `Bearer ${lead}`)
      .expect(200);
    expect((list.body as ScheduleListResponse).schedules.map((s) => s.id)).toEqual([mine.id]);
    await request(t.http)
      .get(`/api/schedules/${theirs.id}`)
      .set('Authorization', `Bearer ${lead}`)
      .expect(403);
    await request(t.http)
      .patch(`/api/schedules/${theirs.id}`)
      .set('Authorization', `Bearer ${lead}`)
      .send({ active: false })
      .expect(403);
    // Moving one's own schedule to a team one does not lead is refused too.
    await request(t.http)
      .patch(`/api/schedules/${mine.id}`)
      .set('Authorization', `Bearer ${lead}`)
      .send({ teamId: other.teamId })
      .expect(403);

    await request(t.http).get('/api/schedules').set('Authorization', `Bearer ${member}`).expect(403);
    await post(member, { ...base, teamId: team.teamId }).expect(403);
    await request(t.http).get('/api/schedules').expect(401);

    const adminList = await request(t.http)
      .get(`/api/schedules?teamId=${other.teamId}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect((adminList.body as ScheduleListResponse).schedules.map((s) => s.id)).toEqual([theirs.id]);
  });

  it('pauses and resumes; a paused schedule has no next openings; a new k is stored for future cycles', async () => {
    const team = await makeTeam(t.ds, 3);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const s = (await post(lead, { ...base, teamId: team.teamId }).expect(201)).body as ScheduleView;
    const patch = (body: object) =>
      request(t.http).patch(`/api/schedules/${s.id}`).set('Authorization', `Bearer ${lead}`).send(body);
    const paused = (await patch({ active: false }).expect(200)).body as ScheduleView;
    expect(paused).toMatchObject({ active: false, nextOpenings: [] });
    const resumed = (await patch({ active: true, k: 6, hour: 14 }).expect(200)).body as ScheduleView;
    expect(resumed).toMatchObject({ active: true, k: 6, hour: 14, weekday: 1, cadence: 'weekly' });
    expect(resumed.nextOpenings).toHaveLength(3);
  });

  it('answers every bad field with a field-level 400 (shape first, then the rules between fields)', async () => {
    const team = await makeTeam(t.ds, 3);
    const shape = await post(admin, {
      teamId: 'nope',
      instrument: 'nps',
      trustSubject: 'boss',
      cadence: 'daily',
      weekday: 8,
      hour: '9',
      windowDays: 0,
      timezone: 42,
      startsOn: 'tomorrow',
      active: 'yes',
      extra: 1,
    }).expect(400);
    expect(Object.keys(shape.body.fields as object).sort()).toEqual(
      [
        'active',
        'cadence',
        'extra',
        'hour',
        'instrument',
        'startsOn',
        'teamId',
        'timezone',
        'trustSubject',
        'weekday',
        'windowDays',
      ].sort(),
    );
    expect(shape.body.fields.weekday).toEqual(['must be a whole number from 1 (Monday) to 7 (Sunday)']);

    const rules = await post(admin, {
      ...base,
      teamId: team.teamId,
      groupId: team.groupId,
      trustSubject: 'team',
      windowDays: 10,
      k: 2,
      timezone: 'Mars/Olympus_Mons',
      startsOn: '2027-02-30',
    }).expect(400);
    expect(rules.body).toMatchObject({ code: 'invalid_schedule' });
    expect(rules.body.fields).toEqual({
      groupId: ['give exactly one of teamId and groupId'],
      trustSubject: ['applies to the trust-equation instrument only'],
      timezone: ['must be an IANA time zone such as Europe/Berlin'],
      k: ['k must be a whole number from 3 to 50'],
      windowDays: ['must not be longer than the cadence (7 days for weekly)'],
      startsOn: ['must be a date YYYY-MM-DD'],
    });
    const missingTeam = await post(admin, { ...base, teamId: '00000000-0000-4000-8000-000000000000' }).expect(
      400,
    );
    expect(missingTeam.body.fields).toEqual({ teamId: ['no such team'] });
    const noScope = await post(admin, { ...base }).expect(400);
    expect(noScope.body.fields).toEqual({ teamId: ['give exactly one of teamId and groupId'] });
    const kString = await post(admin, { ...base, teamId: team.teamId, k: '5' }).expect(400);
    expect(kString.body.fields).toEqual({ k: ['k must be a whole number from 3 to 50'] });
    await request(t.http)
      .get('/api/schedules/not-a-uuid')
      .set('Authorization', `Bearer ${admin}`)
      .expect(404);
    await request(t.http)
      .get('/api/schedules?teamId=1%27%20OR%201=1')
      .set('Authorization', `Bearer ${admin}`)
      .expect(400);
  });

  it('previews the next openings before saving, in the chosen zone (across a DST change)', async () => {
    const team = await makeTeam(t.ds, 3);
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const res = await request(t.http)
      .post('/api/schedules/preview?count=4')
      .set('Authorization', `Bearer ${lead}`)
      .send({
        ...base,
        teamId: team.teamId,
        timezone: 'America/New_York',
        startsOn: '2031-03-01',
        weekday: 1,
      })
      .expect(200);
    const body = res.body as SchedulePreviewResponse;
    expect(body.timezone).toBe('America/New_York');
    // US DST starts on Sunday 9 March 2031: 09:00 local is 14:00Z before, 13:00Z after.
    expect(body.openings.map((o) => o.opensAt)).toEqual([
      '2031-03-03T14:00:00.000Z',
      '2031-03-10T13:00:00.000Z',
      '2031-03-17T13:00:00.000Z',
      '2031-03-24T13:00:00.000Z',
    ]);
    expect(body.openings[0]!.closesAt).toBe('2031-03-08T14:00:00.000Z');
    const bad = await request(t.http)
      .post('/api/schedules/preview?count=99')
      .set('Authorization', `Bearer ${lead}`)
      .send(base)
      .expect(400);
    expect(bad.body.fields).toEqual({ count: ['must be a whole number from 1 to 20'] });
    const missing = await request(t.http)
      .post('/api/schedules/preview')
      .set('Authorization', `Bearer ${lead}`)
      .send({ cadence: 'weekly' })
      .expect(400);
    expect(Object.keys(missing.body.fields as object).sort()).toEqual(['hour', 'weekday', 'windowDays']);
  });

  it('k is locked once a cycle opens: PATCH /api/cycles/:id { k } → 409 for a change, 400 for a bad k', async () => {
    const team = await makeTeam(t.ds, 4);
    const cycle = await t.app.get(CycleService).open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - HOUR),
      closesAt: new Date(Date.now() + HOUR),
      k: 4,
    });
    const lead = await login(t.http, team.lead.email, PASSWORD);
    const member = await login(t.http, team.members[0]!.email, PASSWORD);
    const patch = (token: string, body: object, id = cycle.id) =>
      request(t.http).patch(`/api/cycles/${id}`).set('Authorization', `Bearer ${token}`).send(body);

    const locked = await patch(lead, { k: 6 }).expect(409);
    expect(locked.body.code).toBe('k_locked');
    await patch(admin, { k: 3 }).expect(409);
    expect(((await patch(lead, { k: 4 }).expect(200)).body as CycleView).k).toBe(4);
    expect((await patch(lead, { k: 2 }).expect(400)).body.fields).toEqual({
      k: ['k must be a whole number from 3 to 50'],
    });
    await patch(member, { k: 6 }).expect(403);
    await patch(lead, { k: 6 }, '00000000-0000-4000-8000-000000000000').expect(404);
    await patch(lead, { k: 6, status: 'closed' }).expect(400);
    const [row]: { k: number }[] = await t.ds.query('SELECT k FROM cycle WHERE id = $1', [cycle.id]);
    expect(row!.k).toBe(4);
  });

  it('config: CANDOR_TIMEZONE is validated with luxon; the scheduler is off in tests unless enabled', () => {
    const env = { NODE_ENV: 'test', DATABASE_URL: 'postgres://x@127.0.0.1/x', JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig(env)).toMatchObject({ timezone: 'UTC', scheduler: { enabled: false } });
    expect(loadConfig({ ...env, CANDOR_TIMEZONE: 'Europe/Berlin', SCHEDULER_ENABLED: 'true' })).toMatchObject(
      {
        timezone: 'Europe/Berlin',
        scheduler: { enabled: true },
      },
    );
    expect(loadConfig({ ...env, NODE_ENV: 'development' }).scheduler.enabled).toBe(true);
    expect(() => loadConfig({ ...env, CANDOR_TIMEZONE: 'Mars/Base' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, SCHEDULER_ENABLED: 'maybe' })).toThrow(/SCHEDULER_ENABLED/);
  });

  it('the preview names the teams a schedule would survey that are smaller than its k, for scopes the caller may schedule', async () => {
    const group = await makeGroup(t.ds);
    const sub = await makeGroup(t.ds, group);
    const big = await makeTeam(t.ds, 6, group);
    const small = await makeTeam(t.ds, 3, sub);
    // A deactivated person is not invited, so does not count.
    const gone = await makeUser(t.ds, { active: false });
    await t.ds.query('INSERT INTO membership (user_id, team_id, role) VALUES ($1, $2, $3)', [
      gone.id,
      small.teamId,
      'member',
    ]);
    const preview = (token: string, body: object) =>
      request(t.http).post('/api/schedules/preview').set('Authorization', `Bearer ${token}`).send(body);

    const forGroup = (await preview(admin, { ...base, groupId: group, k: 4 }).expect(200))
      .body as SchedulePreviewResponse;
    expect(forGroup.audience).toEqual({
      teams: 2,
      smallTeams: [{ teamId: small.teamId, teamName: expect.any(String), activeMembers: 3 }],
    });
    const withK3 = (await preview(admin, { ...base, groupId: group, k: 3 }).expect(200))
      .body as SchedulePreviewResponse;
    expect(withK3.audience).toEqual({ teams: 2, smallTeams: [] });

    // A lead sees the audience of the team they lead, and nothing about another team.
    const lead = await login(t.http, small.lead.email, PASSWORD);
    const own = (await preview(lead, { ...base, teamId: small.teamId }).expect(200))
      .body as SchedulePreviewResponse;
    expect(own.audience).toEqual({
      teams: 1,
      smallTeams: [{ teamId: small.teamId, teamName: expect.any(String), activeMembers: 3 }],
    });
    const other = (await preview(lead, { ...base, teamId: big.teamId }).expect(200))
      .body as SchedulePreviewResponse;
    expect(other.audience).toBeUndefined();
    const wholeGroup = (await preview(lead, { ...base, groupId: group }).expect(200))
      .body as SchedulePreviewResponse;
    expect(wholeGroup.audience).toBeUndefined();
  });
});
