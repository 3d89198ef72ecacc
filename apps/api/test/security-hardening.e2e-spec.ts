import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { jsonShapeProblem, textProblem } from '../src/common/hostile-input';
import { type AppConfig, loadConfig } from '../src/config/config';
import { makeGroup, makeTeam, makeUser, PASSWORD } from './factories';
import { createTestApp, login, testDatabaseUrl, type TestApp } from './test-app';

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

describe('behind a reverse proxy: TRUST_PROXY', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const a of apps) await a.close();
  });
  /** An app whose sign-in throttle shows which client address it saw: 2 failures per address. */
  const behind = async (trustProxy: AppConfig['network']['trustProxy']) => {
    const base = apps[0];
    const t = await createTestApp({
      ...(base ? { jwt: base.config.jwt } : {}),
      network: { trustProxy, slackAllowLocal: false },
    });
    apps.push(t);
    t.config.auth.login.maxFailuresPerAddress = 2;
    t.config.auth.login.maxFailuresPerAccount = 100;
    return t;
  };
  const failFrom = async (t: TestApp, forwardedFor: string) => {
    const user = await makeUser(t.ds);
    return request(t.http)
      .post('/api/auth/login')
      .set('X-Forwarded-For', forwardedFor)
      .send({ email: user.email, password: 'wrong password' });
  };
  const sessionCookie = async (t: TestApp, proto: string) => {
    const user = await makeUser(t.ds);
    const res = await request(t.http)
      .post('/api/auth/login')
      .set('X-Forwarded-Proto', proto)
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    return (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('candor_session='))!;
  };

  it('reads TRUST_PROXY as Express does: false, true, hops, or addresses, CIDR ranges and names', () => {
    const base = { NODE_ENV: 'test', DATABASE_URL: 'postgres://x@127.0.0.1/x', JWT_SECRET: 'x'.repeat(32) };
    const read = (value?: string) =>
      loadConfig(value === undefined ? base : { ...base, TRUST_PROXY: value }).network.trustProxy;
    expect(read()).toEqual(['loopback']);
    expect(read('false')).toBe(false);
    expect(read('true')).toBe(true);
    expect(read('2')).toBe(2);
    expect(read('10.0.0.0/8, loopback ,fd00::/8,192.0.2.7')).toEqual([
      '10.0.0.0/8',
      'loopback',
      'fd00::/8',
      '192.0.2.7',
    ]);
    expect(() => read('the load balancer')).toThrow(/TRUST_PROXY must be/);
    expect(() => read('10.0.0.0/99')).toThrow(/TRUST_PROXY must be/);
  });

  it('a trusted proxy decides client address and protocol: X-Forwarded-For and -Proto count', async () => {
    const t = await behind(1); // one hop: the load balancer that connects to us
    expect(await sessionCookie(t, 'https')).toMatch(/;\s*Secure/i);
    expect(await sessionCookie(t, 'http')).not.toMatch(/;\s*Secure/i);
    // The client is the address the proxy appended (the last one), not what the client claimed.
    expect((await failFrom(t, '6.6.6.6, 198.51.100.20')).status).toBe(401);
    expect((await failFrom(t, '7.7.7.7, 198.51.100.20')).status).toBe(401);
    expect((await failFrom(t, '8.8.8.8, 198.51.100.20')).status).toBe(429);
    expect((await failFrom(t, '6.6.6.6, 198.51.100.21')).status).toBe(401);
  });

  it('an untrusted peer cannot claim an address or https', async () => {
    const t = await behind(['192.0.2.0/24']); // the proxy is elsewhere; our peer here is 127.0.0.1
    expect(await sessionCookie(t, 'https')).not.toMatch(/;\s*Secure/i);
    // Every claimed address is the same client (127.0.0.1): the third failure is refused.
    expect((await failFrom(t, '203.0.113.1')).status).toBe(401);
    expect((await failFrom(t, '203.0.113.2')).status).toBe(401);
    expect((await failFrom(t, '203.0.113.3')).status).toBe(429);
  });
});

describe('sessions: CSRF by how the session was read, JWT expiry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('treats a request as cookie-authenticated unless a bearer token was actually read', async () => {
    const user = await makeUser(t.ds);
    const res = await request(t.http)
      .post('/api/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    const cookie = (res.headers['set-cookie'] as unknown as string[])
      .find((c) => c.startsWith('candor_session='))!
      .split(';')[0]!;
    // "Bearer" followed by a no-break space: no token is read from it, the cookie authenticates.
    for (const authorization of ['Bearer\u00a0', 'Bearer', 'Basic abc']) {
      const refused = await request(t.http)
        .post('/api/auth/logout')
        .set('Cookie', cookie)
        .set('Authorization', authorization);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'csrf_header_missing' });
    }
    // A token that is read but invalid is refused as such, never falls back to the cookie.
    await request(t.http)
      .post('/api/auth/logout')
      .set('Cookie', cookie)
      .set('Authorization', 'Bearer\u00a0x')
      .expect(401);
    // The session is still alive, and a real bearer token needs no header.
    await request(t.http).get('/api/auth/me').set('Cookie', cookie).expect(200);
    await request(t.http)
      .post('/api/auth/logout')
      .set('Authorization', `Bearer ${(res.body as { accessToken: string }).accessToken}`)
      .expect(204);
  });

  it('refuses a correctly signed JWT without exp', async () => {
    const user = await makeUser(t.ds);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const sign = (payload: object) => {
      const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
      return `${unsigned}.${createHmac('sha256', t.config.jwt.secret).update(unsigned).digest('base64url')}`;
    };
    const claims = {
      sub: user.id,
      ver: 0,
      iss: 'candor',
      aud: 'candor-web',
      iat: Math.floor(Date.now() / 1000),
    };
    const forever = await request(t.http)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${sign(claims)}`);
    expect(forever.status).toBe(401);
    // The same token with an expiry is fine: the signature and claims were right.
    await request(t.http)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${sign({ ...claims, exp: claims.iat + 600 })}`)
      .expect(200);
  });
});

describe('web routes answer HEAD like GET', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Candor</title>');
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: testDatabaseUrl(),
      JWT_SECRET: 'h'.repeat(40),
      CANDOR_WEB_DIR: dir,
    });
    t = await createTestApp({ webDir: config.webDir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('HEAD / and client routes: 200 with the headers of GET and no body', async () => {
    for (const path of ['/', '/teams/abc', '/login']) {
      const get = await request(t.http).get(path).expect(200);
      const head = await request(t.http).head(path).expect(200);
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
      expect(head.text ?? '').toBe('');
    }
    await request(t.http).head('/api/health').expect(200);
    await request(t.http).head('/api/no-such-route').expect(404);
  });
});

describe('permission before existence, and a bounded audit log of denials', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers a lead creating a schedule for a team they do not lead with 403, whether it exists or not', async () => {
    const mine = await makeTeam(t.ds, 2);
    const other = await makeTeam(t.ds, 2);
    const token = await login(t.http, mine.lead.email, PASSWORD);
    const base = { instrument: 'psych-safety', cadence: 'weekly', weekday: 1, hour: 9, windowDays: 5 };
    const create = (body: object) =>
      request(t.http)
        .post('/api/schedules')
        .set('Authorization', `Bearer ${token}`)
        .send({ ...base, ...body });
    const real = await create({ teamId: other.teamId });
    const missing = await create({ teamId: randomUUID() });
    expect(real.status).toBe(403);
    expect(missing.status).toBe(403);
    expect(missing.body).toEqual(real.body);
    const group = await create({ groupId: other.groupId });
    const noGroup = await create({ groupId: randomUUID() });
    expect(group.status).toBe(403);
    expect(noGroup.body).toEqual(group.body);
    // Their own team still works, and bad fields are still field-level 400s.
    await create({ teamId: mine.teamId }).expect(201);
    const bad = await create({ teamId: mine.teamId, instrument: 'psych-safety', k: 1 }).expect(400);
    expect(Object.keys(bad.body.fields as object)).toEqual(['k']);
  });

  it('writes at most 20 access.denied rows per person per hour, then one row saying more were refused', async () => {
    const user = await makeUser(t.ds);
    const token = await login(t.http, user.email, PASSWORD);
    for (let i = 0; i < 30; i++) {
      await request(t.http).get('/api/admin/people').set('Authorization', `Bearer ${token}`).expect(403);
    }
    const rows: { action: string; n: number }[] = await t.ds.query(
      `SELECT action, count(*)::int AS n FROM audit_log WHERE actor_id = $1 GROUP BY action ORDER BY action`,
      [user.id],
    );
    expect(rows).toEqual([
      { action: 'access.denied', n: 20 },
      { action: 'access.denied_suppressed', n: 1 },
    ]);
  });
});

describe('password reset answers before it looks the account up', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 202 for a real account while the account work is blocked, then sends the link', async () => {
    const user = await makeUser(t.ds);
    // Hold a lock that the reset of a real account needs (it writes auth_token); an unknown
    // address needs none. If the answer waited for that work, it would wait for the lock.
    const blocker = t.ds.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query('LOCK TABLE auth_token IN ACCESS EXCLUSIVE MODE');
    try {
      const answered = await Promise.race([
        request(t.http).post('/api/auth/password-reset').send({ email: user.email }),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000)),
      ]);
      expect(answered?.status).toBe(202);
      const unknown = await request(t.http)
        .post('/api/auth/password-reset')
        .send({ email: `nobody-${randomUUID()}@test.example` })
        .expect(202);
      expect(unknown.body).toEqual(answered!.body);
      const sent: unknown[] = await t.ds.query('SELECT 1 FROM outbox WHERE to_address = $1', [user.email]);
      expect(sent).toEqual([]); // not yet: the work is still waiting for the lock
    } finally {
      await blocker.commitTransaction();
      await blocker.release();
    }
    // Once the lock is gone the link goes out.
    for (let i = 0; i < 100; i++) {
      const sent: unknown[] = await t.ds.query('SELECT 1 FROM outbox WHERE to_address = $1', [user.email]);
      if (sent.length > 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the reset link was never sent');
  });
});
