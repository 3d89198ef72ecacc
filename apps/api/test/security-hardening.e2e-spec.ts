import request from 'supertest';
import { jsonShapeProblem, textProblem } from '../src/common/hostile-input';
import { makeGroup, makeTeam, makeUser, PASSWORD } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

/**
 * The penetration test's findings of issue 14 that do not have a file of their own, each as the
 * attack that used to work. (SSO: oidc.e2e-spec.ts; limits across instances: shared-limits.e2e-spec.ts;
 * Slack targets: notifications.e2e-spec.ts; draining keep-alive connections:
 * graceful-shutdown.e2e-spec.ts; the sweep over every route: hostile-input.e2e-spec.ts.)
 */
describe('hostile bodies: nesting limits and control characters', () => {
  let t: TestApp;
  let admin: string;
  let lead: string;
  let teamId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const a = await makeUser(t.ds, { isAdmin: true });
    admin = await login(t.http, a.email, PASSWORD);
    const team = await makeTeam(t.ds, 3);
    teamId = team.teamId;
    lead = await login(t.http, team.lead.email, PASSWORD);
  });
  afterAll(() => t.close());

  const counts = async () =>
    t.ds.query(
      `SELECT (SELECT count(*) FROM org_group)::int g, (SELECT count(*) FROM team)::int t, (SELECT count(*) FROM app_user)::int u,
              (SELECT count(*) FROM action)::int a, (SELECT count(*) FROM team WHERE slack_webhook_url IS NOT NULL)::int s`,
    );

  it('answers deep nesting with 400 body_too_complex, on anonymous routes too, before validation', async () => {
    for (const body of [
      `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`,
      `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
    ]) {
      for (const path of ['/api/responses', '/api/auth/login', '/api/auth/password-reset']) {
        const res = await request(t.http).post(path).set('Content-Type', 'application/json').send(body);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          code: 'body_too_complex',
          message: 'The request body is too deeply nested or too large to accept',
          fields: { body: ['is nested more than 32 levels deep'] },
        });
      }
    }
    const many = JSON.stringify(Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`k${i}`, i])));
    const res = await request(t.http)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(many);
    expect(res.body).toMatchObject({
      code: 'body_too_complex',
      fields: { body: ['has more than 1000 keys'] },
    });
  });

  it('counts depth, keys and array items on the raw bytes, ignoring what is inside strings', () => {
    expect(jsonShapeProblem(Buffer.from(JSON.stringify({ a: '{{{{[[[[:::,,,,' })))).toBeNull();
    expect(jsonShapeProblem(Buffer.from(JSON.stringify({ a: '\\"{' })))).toBeNull(); // escaped quote
    expect(jsonShapeProblem(Buffer.from('['.repeat(32) + ']'.repeat(32)))).toBeNull();
    expect(jsonShapeProblem(Buffer.from('['.repeat(33) + ']'.repeat(33)))).toBe(
      'is nested more than 32 levels deep',
    );
    expect(jsonShapeProblem(Buffer.from(JSON.stringify(Array(10_000).fill(0))))).toBeNull();
    expect(jsonShapeProblem(Buffer.from(JSON.stringify(Array(10_001).fill(0))))).toBe(
      'has more than 10000 array items',
    );
    expect(jsonShapeProblem(Buffer.from(JSON.stringify([[], [], []])))).toBeNull();
  });

  it('refuses NUL and other control characters with a field-level 400 and stores nothing', async () => {
    const groupId = await makeGroup(t.ds);
    const before = await counts();
    const expectField = (res: request.Response, field: string) => {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'validation_failed',
        fields: { [field]: ['must not contain control characters (such as NUL)'] },
      });
    };
    const asAdmin = (r: request.Test) => r.set('Authorization', `Bearer ${admin}`);
    const asLead = (r: request.Test) => r.set('Authorization', `Bearer ${lead}`);
    // A name (group, team, person), an action's text, a Slack URL.
    expectField(await asAdmin(request(t.http).post('/api/admin/groups')).send({ name: 'Ops\u0000' }), 'name');
    expectField(
      await asAdmin(request(t.http).post('/api/admin/teams')).send({ name: 'A\u0000B', groupId }),
      'name',
    );
    expectField(
      await asAdmin(request(t.http).post('/api/admin/people')).send({
        name: 'Ada\u0000',
        email: `ada-${Date.now()}@test.example`,
      }),
      'name',
    );
    expectField(
      await asLead(request(t.http).post(`/api/teams/${teamId}/actions`)).send({
        dimension: 'psych_safety',
        text: 'Blameless reviews\u0000',
        date: '2026-03-02',
      }),
      'text',
    );
    expectField(
      await asLead(request(t.http).put(`/api/teams/${teamId}/slack`)).send({
        webhookUrl: 'https://hooks.slack.com/services/T0/B0/\u0000',
      }),
      'webhookUrl',
    );
    // People search and a cursor (query strings), a route parameter.
    expectField(await asAdmin(request(t.http).get('/api/admin/people?q=a%00b')), 'q');
    expectField(await asAdmin(request(t.http).get('/api/admin/people?cursor=%00')), 'cursor');
    expectField(await asAdmin(request(t.http).get('/api/admin/audit?cursor=x%00')), 'cursor');
    expectField(await asAdmin(request(t.http).get('/api/admin/people/abc%00def')), 'userId');
    // Other control characters, in keys too, and broken Unicode.
    expectField(
      await asAdmin(request(t.http).post('/api/admin/groups')).send({ name: 'x\u001b[2J' }),
      'name',
    );
    expectField(await asAdmin(request(t.http).post('/api/admin/groups')).send({ name: 'x\u0085' }), 'name');
    const key = await asAdmin(request(t.http).post('/api/admin/groups')).send({ name: 'ok', ['k\u0000']: 1 });
    expect(key.body).toMatchObject({
      fields: { body: ['has a key that must not contain control characters (such as NUL)'] },
    });
    const surrogate = await asAdmin(request(t.http).post('/api/admin/groups'))
      .set('Content-Type', 'application/json')
      .send('{"name":"x\\ud800"}');
    expect(surrogate.body).toMatchObject({ fields: { name: ['must be valid Unicode text'] } });
    // Tabs and line breaks are text, not control: the policy lets them through to validation.
    expect(textProblem('line one\nline two\tand\r\n')).toBeNull();
    expect(await counts()).toEqual(before);
  });
});
