import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { AdminTeam } from '@candor/contracts';
import { createTestApp, login, type TestApp } from './test-app';
import { makeGroup, makeTeam, makeUser, PASSWORD } from './factories';

describe('admin org API (/api/admin/*)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  const as = (token: string) => ({
    get: (url: string) => request(t.http).get(url).set('Authorization', `Bearer ${token}`),
    post: (url: string, body?: object) =>
      request(t.http).post(url).set('Authorization', `Bearer ${token}`).send(body),
    patch: (url: string, body?: object) =>
      request(t.http).patch(url).set('Authorization', `Bearer ${token}`).send(body),
    put: (url: string, body?: object) =>
      request(t.http).put(url).set('Authorization', `Bearer ${token}`).send(body),
    delete: (url: string) => request(t.http).delete(url).set('Authorization', `Bearer ${token}`),
  });

  beforeAll(async () => {
    t = await createTestApp();
    const user = await makeUser(t.ds, { isAdmin: true });
    admin = { id: user.id, token: await login(t.http, user.email, PASSWORD) };
  });
  afterAll(() => t.close());

  it('refuses people who are not admins (403) and callers without credentials (401)', async () => {
    const team = await makeTeam(t.ds, 2);
    const leadToken = await login(t.http, team.lead.email, PASSWORD);
    await as(leadToken).get('/api/admin/people').expect(403);
    await as(leadToken).post('/api/admin/groups', { name: 'x' }).expect(403);
    await request(t.http).get('/api/admin/groups').expect(401);
    const denied: { detail: { route: string } }[] = await t.ds.query(
      "SELECT detail FROM audit_log WHERE action = 'access.denied' AND actor_id = $1 ORDER BY id",
      [team.lead.id],
    );
    expect(denied.map((d) => d.detail.route)).toEqual(['GET /api/admin/people', 'POST /api/admin/groups']);
  });

  it('creates, renames and moves groups, and refuses a move that would create a cycle (409)', async () => {
    const a = as(admin.token);
    const root = (await a.post('/api/admin/groups', { name: '  Acme ' }).expect(201)).body;
    expect(root).toMatchObject({ name: 'Acme', parentId: null });
    const product = (await a.post('/api/admin/groups', { name: 'Product', parentId: root.id }).expect(201))
      .body;
    const payments = (
      await a.post('/api/admin/groups', { name: 'Payments', parentId: product.id }).expect(201)
    ).body;
    await a.patch(`/api/admin/groups/${product.id}`, { name: 'Product & Design' }).expect(200);

    const cycle = await a.patch(`/api/admin/groups/${root.id}`, { parentId: payments.id }).expect(409);
    expect(cycle.body).toMatchObject({ code: 'group_cycle', message: expect.stringMatching(/cycle/) });
    const self = await a.patch(`/api/admin/groups/${root.id}`, { parentId: root.id }).expect(409);
    expect(self.body.message).toMatch(/own parent/);

    // Moving a leaf to the root and back is fine.
    await a.patch(`/api/admin/groups/${payments.id}`, { parentId: null }).expect(200);
    const moved = await a.patch(`/api/admin/groups/${payments.id}`, { parentId: root.id }).expect(200);
    expect(moved.body.parentId).toBe(root.id);

    const list = (await a.get('/api/admin/groups').expect(200)).body.groups as { id: string }[];
    expect(list.map((g) => g.id)).toEqual(expect.arrayContaining([root.id, product.id, payments.id]));
  });

  it('answers bad input with field messages and unknown ids with 404', async () => {
    const a = as(admin.token);
    const bad = await a.post('/api/admin/groups', { name: '   ', parentId: 'nope', extra: 1 }).expect(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['extra', 'name', 'parentId']);
    const unknownParent = await a
      .post('/api/admin/groups', { name: 'x', parentId: randomUUID() })
      .expect(400);
    expect(unknownParent.body.fields.parentId).toEqual(['is not an existing group']);
    await a.patch(`/api/admin/groups/${randomUUID()}`, { name: 'x' }).expect(404);
    await a.patch('/api/admin/groups/not-a-uuid', { name: 'x' }).expect(404);
    await a.get(`/api/admin/people/${randomUUID()}`).expect(404);
    await a.put(`/api/admin/teams/${randomUUID()}/members/${admin.id}`, { role: 'member' }).expect(404);
    const role = await a
      .put(`/api/admin/teams/${(await makeTeam(t.ds, 1)).teamId}/members/${admin.id}`, { role: 'boss' })
      .expect(400);
    expect(role.body.fields.role).toEqual(['must be member or lead']);
    await a.get('/api/admin/people?limit=1000').expect(400);
  });

  it('creates, renames, moves, deactivates and reactivates teams', async () => {
    const a = as(admin.token);
    const g1 = await makeGroup(t.ds);
    const g2 = await makeGroup(t.ds);
    const team = (await a.post('/api/admin/teams', { name: 'Core', groupId: g1 }).expect(201)).body;
    expect(team).toMatchObject({ name: 'Core', groupId: g1, active: true, memberCount: 0 });
    const moved = (
      await a.patch(`/api/admin/teams/${team.id}`, { groupId: g2, name: 'Core API' }).expect(200)
    ).body;
    expect(moved).toMatchObject({ name: 'Core API', groupId: g2 });
    const person = await makeUser(t.ds);
    await a.put(`/api/admin/teams/${team.id}/members/${person.id}`, { role: 'lead' }).expect(200);
    const token = await login(t.http, person.email, PASSWORD);
    await a.patch(`/api/admin/teams/${team.id}`, { active: false }).expect(200);
    // The lead's session ended; the team no longer counts for them.
    await as(token).get('/api/auth/me').expect(401);
    const again = await login(t.http, person.email, PASSWORD);
    expect((await as(again).get('/api/auth/me').expect(200)).body.teams).toEqual([]);
    // History is kept: the membership is still there.
    const members = (await a.get(`/api/admin/teams/${team.id}/members`).expect(200)).body.members;
    expect(members).toEqual([expect.objectContaining({ userId: person.id, role: 'lead' })]);
    await a.patch(`/api/admin/teams/${team.id}`, { active: true }).expect(200);
    expect((await as(again).get('/api/auth/me').expect(200)).body.teams).toHaveLength(1);
  });

  it('creates people (email unique, lower-cased), renames and deactivates them', async () => {
    const a = as(admin.token);
    const email = `New.Person-${randomUUID()}@Test.Example`;
    const created = (await a.post('/api/admin/people', { email, name: 'New Person' }).expect(201)).body;
    expect(created).toMatchObject({
      email: email.toLowerCase(),
      active: true,
      hasPassword: false,
      isAdmin: false,
    });
    const dup = await a.post('/api/admin/people', { email: email.toUpperCase(), name: 'Again' }).expect(409);
    expect(dup.body.code).toBe('email_taken');

    const user = await makeUser(t.ds);
    const token = await login(t.http, user.email, PASSWORD);
    await a.patch(`/api/admin/people/${user.id}`, { name: 'Renamed' }).expect(200);
    await as(token).get('/api/auth/me').expect(200); // a rename does not end sessions
    const off = await a.patch(`/api/admin/people/${user.id}`, { active: false }).expect(200);
    expect(off.body.active).toBe(false);
    await as(token).get('/api/auth/me').expect(401);
    await request(t.http).post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(401);
    // Still listed (history kept), unless asked for active people only.
    const listed = (await a.get(`/api/admin/people?q=${encodeURIComponent(user.email)}`).expect(200)).body;
    expect(listed.people).toEqual([expect.objectContaining({ id: user.id, active: false, name: 'Renamed' })]);
    const activeOnly = await a.get(
      `/api/admin/people?q=${encodeURIComponent(user.email)}&includeInactive=false`,
    );
    expect(activeOnly.body.people).toEqual([]);
    await a.patch(`/api/admin/people/${user.id}`, { active: true }).expect(200);
    await login(t.http, user.email, PASSWORD);

    const self = await a.patch(`/api/admin/people/${admin.id}`, { isAdmin: false }).expect(409);
    expect(self.body.code).toBe('cannot_demote_self');
  });

  it('adds members, changes roles (ending sessions), removes members; grants and revokes director scopes', async () => {
    const a = as(admin.token);
    const team = await makeTeam(t.ds, 1);
    const person = await makeUser(t.ds);
    await a.put(`/api/admin/teams/${team.teamId}/members/${person.id}`, { role: 'member' }).expect(200);
    const token = await login(t.http, person.email, PASSWORD);
    // Adding the same role again changes nothing and keeps the session.
    await a.put(`/api/admin/teams/${team.teamId}/members/${person.id}`, { role: 'member' }).expect(200);
    await as(token).get('/api/auth/me').expect(200);
    await a.put(`/api/admin/teams/${team.teamId}/members/${person.id}`, { role: 'lead' }).expect(200);
    await as(token).get('/api/auth/me').expect(401);
    const t2 = await login(t.http, person.email, PASSWORD);
    const me = (await as(t2).get('/api/auth/me').expect(200)).body;
    expect(me.teams).toEqual([expect.objectContaining({ teamId: team.teamId, role: 'lead' })]);
    await a.delete(`/api/admin/teams/${team.teamId}/members/${person.id}`).expect(204);
    await a.delete(`/api/admin/teams/${team.teamId}/members/${person.id}`).expect(404);
    await as(t2).get('/api/auth/me').expect(401);

    const director = await makeUser(t.ds);
    await a.put(`/api/admin/groups/${team.groupId}/directors/${director.id}`).expect(204);
    await a.put(`/api/admin/groups/${team.groupId}/directors/${director.id}`).expect(204); // idempotent
    const dToken = await login(t.http, director.email, PASSWORD);
    await as(dToken).get(`/api/teams/${team.teamId}/trend?instrument=psych-safety`).expect(200);
    const list = (await a.get(`/api/admin/groups/${team.groupId}/directors`).expect(200)).body.directors;
    expect(list).toEqual([expect.objectContaining({ userId: director.id })]);
    const detail = (await a.get(`/api/admin/people/${director.id}`).expect(200)).body;
    expect(detail.directorOf).toEqual([expect.objectContaining({ groupId: team.groupId })]);
    await a.delete(`/api/admin/groups/${team.groupId}/directors/${director.id}`).expect(204);
    await as(dToken).get('/api/auth/me').expect(401);
    const d2 = await login(t.http, director.email, PASSWORD);
    await as(d2).get(`/api/teams/${team.teamId}/trend?instrument=psych-safety`).expect(403);
  });

  it('searches people by email or name with literal wildcards, and pages with a cursor', async () => {
    const a = as(admin.token);
    const tag = randomUUID().slice(0, 8);
    for (let i = 0; i < 5; i++) {
      await a
        .post('/api/admin/people', { email: `p${i}-${tag}@test.example`, name: `Pager ${tag} ${i}` })
        .expect(201);
    }
    await a
      .post('/api/admin/people', { email: `pct-${tag}@test.example`, name: `100% ${tag}_x` })
      .expect(201);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/admin/people?q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await a.get(url).expect(200)).body as {
        people: { email: string }[];
        nextCursor: string | null;
      };
      expect(page.people.length).toBeLessThanOrEqual(2);
      seen.push(...page.people.map((p) => p.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect([...seen].sort()).toEqual(seen);

    // `%` and `_` match themselves only.
    const pct = (await a.get(`/api/admin/people?q=${encodeURIComponent(`0% ${tag}_`)}`).expect(200)).body
      .people;
    expect(pct.map((p: { email: string }) => p.email)).toEqual([`pct-${tag}@test.example`]);
    expect(
      (await a.get(`/api/admin/people?q=${encodeURIComponent('%_%_%')}${tag}`).expect(200)).body.people,
    ).toEqual([]);
    const byName = (await a.get(`/api/admin/people?q=${encodeURIComponent(`pager ${tag} 3`)}`).expect(200))
      .body;
    expect(byName.people).toHaveLength(1);
    await a.get('/api/admin/people?cursor=%00%00').expect(400);
  });

  it('records every admin change in the audit log, readable by admins with paging', async () => {
    const a = as(admin.token);
    const g = (await a.post('/api/admin/groups', { name: `Audited ${randomUUID()}` }).expect(201)).body;
    await a.patch(`/api/admin/groups/${g.id}`, { name: 'Audited, renamed' }).expect(200);
    const page1 = (await a.get('/api/admin/audit?limit=1').expect(200)).body;
    expect(page1.entries).toHaveLength(1);
    expect(page1.entries[0]).toMatchObject({
      action: 'group.rename',
      target: g.id,
      actorId: admin.id,
      detail: { name: { to: 'Audited, renamed' } },
    });
    const page2 = (await a.get(`/api/admin/audit?limit=5&cursor=${page1.nextCursor}`).expect(200)).body;
    expect(
      page2.entries.find(
        (e: { action: string; target: string }) => e.action === 'group.create' && e.target === g.id,
      ),
    ).toBeTruthy();
    const creates = (await a.get('/api/admin/audit?action=group.create&limit=100').expect(200)).body.entries;
    expect(creates.every((e: { action: string }) => e.action === 'group.create')).toBe(true);
    await a.get('/api/admin/audit?cursor=abc').expect(400);
  });

  it('lets an admin give themselves results access, and audits it as a self-grant other admins see', async () => {
    const selfAdmin = await makeUser(t.ds, { isAdmin: true });
    const token = await login(t.http, selfAdmin.email, PASSWORD);
    const groupId = await makeGroup(t.ds);
    const team = await makeTeam(t.ds, 2, groupId);
    await as(token).put(`/api/admin/groups/${groupId}/directors/${selfAdmin.id}`).expect(204);
    await as(token)
      .put(`/api/admin/teams/${team.teamId}/members/${selfAdmin.id}`, { role: 'member' })
      .expect(200);
    // Another admin finds both in the audit log, marked as self-grants.
    const grants = (await as(admin.token).get('/api/admin/audit?action=director.grant&limit=100').expect(200))
      .body.entries as { actorId: string; target: string; detail: Record<string, unknown> }[];
    expect(grants.find((e) => e.target === groupId)).toMatchObject({
      actorId: selfAdmin.id,
      detail: { userId: selfAdmin.id, self: true },
    });
    const adds = (await as(admin.token).get('/api/admin/audit?action=membership.add&limit=100').expect(200))
      .body.entries as { actorId: string; target: string; detail: Record<string, unknown> }[];
    expect(adds.find((e) => e.target === team.teamId)).toMatchObject({
      actorId: selfAdmin.id,
      detail: { userId: selfAdmin.id, role: 'member', self: true },
    });
    // Granting someone else is not marked.
    const other = await makeUser(t.ds);
    await as(admin.token).put(`/api/admin/groups/${groupId}/directors/${other.id}`).expect(204);
    const [row]: { detail: Record<string, unknown> }[] = await t.ds.query(
      `SELECT detail FROM audit_log WHERE action = 'director.grant' AND target = $1 AND actor_id = $2`,
      [groupId, admin.id],
    );
    expect(row!.detail).toEqual({ userId: other.id });
  });

  it('lists each team with its active members and the k its next cycles open with, so a team smaller than k shows', async () => {
    const a = as(admin.token);
    const root = await makeGroup(t.ds);
    const sub = await makeGroup(t.ds, root);
    const team = await makeTeam(t.ds, 4, sub);
    const unscheduled = await makeTeam(t.ds, 2, root);
    const gone = await makeUser(t.ds, { active: false });
    await t.ds.query('INSERT INTO membership (user_id, team_id, role) VALUES ($1, $2, $3)', [
      gone.id,
      team.teamId,
      'member',
    ]);
    const schedule = { instrument: 'psych-safety', cadence: 'weekly', weekday: 1, hour: 9, windowDays: 5 };
    await a.post('/api/schedules', { ...schedule, groupId: root, k: 5 }).expect(201);
    await a
      .post('/api/schedules', { ...schedule, teamId: team.teamId, instrument: 'trust-equation', k: 6 })
      .expect(201);
    // A paused schedule does not count.
    await a.post('/api/schedules', { ...schedule, teamId: team.teamId, k: 9, active: false }).expect(201);

    const teams = (await a.get(`/api/admin/teams?groupId=${sub}`).expect(200)).body.teams as AdminTeam[];
    expect(teams).toEqual([
      expect.objectContaining({
        id: team.teamId,
        memberCount: 5,
        activeMemberCount: 4,
        nextK: 6,
        activeSchedules: 2,
      }),
    ]);
    const rootTeams = (await a.get(`/api/admin/teams?groupId=${root}`).expect(200)).body.teams as AdminTeam[];
    expect(rootTeams.find((x) => x.id === unscheduled.teamId)).toMatchObject({
      activeMemberCount: 2,
      nextK: 5,
      activeSchedules: 1,
    });
    // Without any schedule, the default k.
    const alone = await makeTeam(t.ds, 1);
    const [single] = (await a.get(`/api/admin/teams?groupId=${alone.groupId}`).expect(200)).body
      .teams as AdminTeam[];
    expect(single).toMatchObject({ activeMemberCount: 1, nextK: 5, activeSchedules: 0 });
  });
});
