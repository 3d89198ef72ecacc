import request from 'supertest';
import { createTestApp, login, type TestApp } from './test-app';
import { makeUser, PASSWORD } from './factories';

/** What the web app's admin forms rely on: field-level errors and editing a person's email. */
describe('admin forms API: field errors and email changes', () => {
  let t: TestApp;
  let token: string;
  const as = () => ({
    post: (url: string, body?: object) =>
      request(t.http).post(url).set('Authorization', `Bearer ${token}`).send(body),
    patch: (url: string, body?: object) =>
      request(t.http).patch(url).set('Authorization', `Bearer ${token}`).send(body),
  });

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await makeUser(t.ds, { isAdmin: true });
    token = await login(t.http, admin.email, PASSWORD);
  });
  afterAll(() => t.close());

  it('names the parentId field when a group move would create a cycle', async () => {
    const root = (await as().post('/api/admin/groups', { name: 'Forms root' }).expect(201)).body;
    const child = (
      await as().post('/api/admin/groups', { name: 'Forms child', parentId: root.id }).expect(201)
    ).body;
    const cycle = await as().patch(`/api/admin/groups/${root.id}`, { parentId: child.id }).expect(409);
    expect(cycle.body).toMatchObject({
      code: 'group_cycle',
      fields: { parentId: ['is inside this group: that would be a cycle'] },
    });
    const self = await as().patch(`/api/admin/groups/${root.id}`, { parentId: root.id }).expect(409);
    expect(self.body.fields).toEqual({ parentId: ['cannot be the group itself'] });
  });

  it('changes a person’s email (lower-cased, audited); the new address signs in, a taken one is a field error', async () => {
    const person = await makeUser(t.ds);
    const other = await makeUser(t.ds);
    const email = `Renamed-${Date.now()}@Test.Example`;
    const updated = await as().patch(`/api/admin/people/${person.id}`, { email }).expect(200);
    expect(updated.body.email).toBe(email.toLowerCase());
    await login(t.http, email, PASSWORD);
    await request(t.http)
      .post('/api/auth/login')
      .send({ email: person.email, password: PASSWORD })
      .expect(401);
    const audit: { detail: { email: { from: string; to: string } } }[] = await t.ds.query(
      "SELECT detail FROM audit_log WHERE action = 'person.email' AND target = $1",
      [person.id],
    );
    expect(audit[0]!.detail.email).toEqual({ from: person.email, to: email.toLowerCase() });

    const taken = await as().patch(`/api/admin/people/${person.id}`, { email: other.email }).expect(409);
    expect(taken.body).toMatchObject({
      code: 'email_taken',
      fields: { email: ['is already used by another person'] },
    });
    const bad = await as().patch(`/api/admin/people/${person.id}`, { email: 'not-an-email' }).expect(400);
    expect(Object.keys(bad.body.fields)).toEqual(['email']);
    const dup = await as().post('/api/admin/people', { email: other.email, name: 'Dup' }).expect(409);
    expect(dup.body.fields).toEqual({ email: ['is already used by another person'] });
  });
});
