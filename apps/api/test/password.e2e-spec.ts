import request from 'supertest';
import { passwordProblems, commonPasswordCount } from '../src/auth/password-policy';
import { loadConfig } from '../src/config/config';
import { createTestApp, type TestApp } from './test-app';
import { makeUser, PASSWORD } from './factories';

describe('password policy', () => {
  it('requires 8+ characters, refuses common passwords (any case) and the own email', () => {
    // The @zxcvbn-ts/language-common list (49,233) plus the entries of the old embedded list it lacks.
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(49_000);
    expect(passwordProblems('short')).toEqual(['must be at least 8 characters']);
    expect(passwordProblems('Password1')).toEqual(['is one of the most common passwords; choose another']);
    expect(passwordProblems('QWERTYUIOP')).toHaveLength(1);
    // On the package's list, not on the ~230 passwords embedded before it.
    expect(passwordProblems('Corvette')).toEqual(['is one of the most common passwords; choose another']);
    expect(passwordProblems(' butterfly ')).toEqual(['is one of the most common passwords; choose another']);
    // Kept from the old list although the package lacks them.
    expect(passwordProblems('Summer2025')).toEqual(['is one of the most common passwords; choose another']);
    expect(passwordProblems('ada.lovelace', 'Ada.Lovelace@example.com')).toEqual([
      'must not be your email address',
    ]);
    expect(passwordProblems('correct horse battery staple')).toEqual([]);
    expect(passwordProblems('x'.repeat(1025))).toEqual(['must be at most 1024 characters']);
    expect(passwordProblems(42)).toEqual(['must be text']);
  });
});

describe('sign-in throttling, CSRF and CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    t.config.auth.login.maxFailuresPerAccount = 3;
    t.config.auth.login.maxFailuresPerAddress = 5;
  });
  afterAll(() => t.close());

  const attempt = (email: string, password: string, ip: string, cookie?: string) => {
    const req = request(t.http).post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });
    return cookie ? req.set('Cookie', cookie) : req;
  };

  it('throttles failures per account (429 with Retry-After) but lets the owner in from a known browser', async () => {
    const user = await makeUser(t.ds);
    // The owner signed in from this browser before: it holds a device cookie.
    const ok = await attempt(user.email, PASSWORD, '10.0.0.1').expect(200);
    const device = (ok.headers['set-cookie'] as unknown as string[])
      .find((c) => c.startsWith('candor_device='))!
      .split(';')[0]!;

    // An attacker from several addresses burns the account's budget.
    for (let i = 0; i < 3; i++) await attempt(user.email, 'wrong-password', `10.0.1.${i}`).expect(401);
    const blocked = await attempt(user.email, PASSWORD, '10.0.1.99').expect(429);
    expect(blocked.body).toMatchObject({
      code: 'too_many_attempts',
      message: expect.stringMatching(/Try again in \d+ second/),
    });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);

    // The owner's browser is counted on its own and still gets in.
    await attempt(user.email, PASSWORD, '10.0.1.0', device).expect(200);
  });

  it('throttles failures per address across accounts, with its own limit', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => makeUser(t.ds)));
    // Five people behind one office address mistype once each: the per-account limit (3) is not
    // what counts here, the per-address one (5) is.
    for (let i = 0; i < 5; i++) await attempt(users[i]!.email, 'wrong-password', '10.0.2.1').expect(401);
    await attempt(users[5]!.email, PASSWORD, '10.0.2.1').expect(429);
    await attempt(users[5]!.email, PASSWORD, '10.0.2.2').expect(200);
  });

  it('reads the per-account and per-address limits from separate settings (LOGIN_MAX_FAILURES is the older per-account name)', () => {
    const base = { NODE_ENV: 'test', DATABASE_URL: 'postgres://x@127.0.0.1/x', JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig(base).auth.login).toEqual({
      maxFailuresPerAccount: 10,
      maxFailuresPerAddress: 100,
      windowSeconds: 60,
    });
    expect(
      loadConfig({ ...base, LOGIN_MAX_FAILURES_PER_ACCOUNT: '4', LOGIN_MAX_FAILURES_PER_ADDRESS: '400' }).auth
        .login,
    ).toMatchObject({ maxFailuresPerAccount: 4, maxFailuresPerAddress: 400 });
    expect(loadConfig({ ...base, LOGIN_MAX_FAILURES: '7' }).auth.login).toMatchObject({
      maxFailuresPerAccount: 7,
      maxFailuresPerAddress: 100,
    });
    expect(() => loadConfig({ ...base, LOGIN_MAX_FAILURES_PER_ADDRESS: '0' })).toThrow(
      /LOGIN_MAX_FAILURES_PER_ADDRESS must be a whole number/,
    );
  });

  it('does not count successful sign-ins or malformed bodies', async () => {
    const user = await makeUser(t.ds);
    for (let i = 0; i < 5; i++) await attempt(user.email, PASSWORD, '10.0.3.1').expect(200);
    for (let i = 0; i < 5; i++) await attempt('not-an-email', 'x', '10.0.3.1').expect(400);
    await attempt(user.email, PASSWORD, '10.0.3.1').expect(200);
  });

  it('requires X-Requested-With: candor on cookie-authenticated state changes, not on bearer or safe requests', async () => {
    const user = await makeUser(t.ds);
    const agent = request.agent(t.http);
    const res = await agent
      .post('/api/auth/login')
      .set('X-Forwarded-For', '10.0.4.1')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    await agent.get('/api/auth/me').expect(200);
    const refused = await agent.post('/api/auth/logout').expect(403);
    expect(refused.body).toMatchObject({
      code: 'csrf_header_missing',
      message: expect.stringMatching(/X-Requested-With: candor/),
    });
    await agent.post('/api/auth/logout').set('X-Requested-With', 'other').expect(403);
    // A bearer client is not a browser session: no header needed.
    await request(t.http)
      .patch('/api/me/preferences')
      .set('Authorization', `Bearer ${res.body.accessToken}`)
      .send({ remindersEnabled: true })
      .expect((r) => {
        if (r.status === 403) throw new Error('bearer request refused for CSRF');
      });
    await agent.post('/api/auth/logout').set('X-Requested-With', 'candor').expect(204);
  });

  it('answers CORS only for configured origins', async () => {
    await request(t.http)
      .options('/api/auth/me')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET')
      .expect((r) => expect(r.headers['access-control-allow-origin']).toBeUndefined());
    const cors = await createTestApp({
      auth: { ...t.config.auth, corsOrigins: ['https://candor.example.com'] },
    });
    try {
      const pre = await request(cors.http)
        .options('/api/auth/logout')
        .set('Origin', 'https://candor.example.com')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'x-requested-with,content-type');
      expect(pre.headers['access-control-allow-origin']).toBe('https://candor.example.com');
      expect(pre.headers['access-control-allow-credentials']).toBe('true');
      const evil = await request(cors.http)
        .options('/api/auth/logout')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await cors.close();
    }
  });
});

describe('invitations, password reset and password change', () => {
  let t: TestApp;
  let adminToken: string;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await makeUser(t.ds, { isAdmin: true });
    adminToken = (
      await request(t.http)
        .post('/api/auth/login')
        .send({ email: admin.email, password: PASSWORD })
        .expect(200)
    ).body.accessToken;
  });
  afterAll(() => t.close());

  /** The newest outbox message to this address, and the token in its link. */
  const lastMail = async (to: string) => {
    const rows: { subject: string; body: string; kind: string }[] = await t.ds.query(
      'SELECT subject, body, kind FROM outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1',
      [to],
    );
    const mail = rows[0];
    return mail ? { ...mail, token: /#token=([\w-]+)/.exec(mail.body)?.[1] ?? '' } : null;
  };

  it('invites a person by email: a single-use link sets the password, then they sign in', async () => {
    const email = `invitee-${Date.now()}@test.example`;
    const person = (
      await request(t.http)
        .post('/api/admin/people')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ email, name: 'Invitee' })
        .expect(201)
    ).body;
    const invited = await request(t.http)
      .post(`/api/admin/people/${person.id}/invitation`)
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(201);
    expect(new Date(invited.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 71 * 3600_000);
    const mail = (await lastMail(email))!;
    expect(mail).toMatchObject({ kind: 'invitation', subject: expect.stringMatching(/invited/) });
    expect(mail.body).toContain('http://localhost:3000/accept-invitation#token=');
    // Only the hash is stored.
    const stored: { token_hash: Buffer }[] = await t.ds.query(
      'SELECT token_hash FROM auth_token WHERE user_id = $1',
      [person.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash.toString('base64url')).not.toBe(mail.token);

    const weak = await request(t.http)
      .post('/api/auth/invitations/accept')
      .send({ token: mail.token, password: 'password1' })
      .expect(400);
    expect(weak.body.fields.password).toEqual(['is one of the most common passwords; choose another']);
    // Only on the new list: refused the same way.
    const common = await request(t.http)
      .post('/api/auth/invitations/accept')
      .send({ token: mail.token, password: 'MERCEDES' })
      .expect(400);
    expect(common.body.fields.password).toEqual(['is one of the most common passwords; choose another']);
    // A weak try does not burn the link; a good one signs the person in at once.
    const accepted = await request(t.http)
      .post('/api/auth/invitations/accept')
      .send({ token: mail.token, password: 'a long and unusual phrase' })
      .expect(200);
    expect(accepted.body).toMatchObject({ user: { id: person.id, email }, accessToken: expect.any(String) });
    const cookies = accepted.headers['set-cookie'] as unknown as string[];
    expect(cookies.some((c) => /^candor_session=[^;]+;.*HttpOnly/i.test(c))).toBe(true);
    await request(t.http)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${accepted.body.accessToken}`)
      .expect(200);
    await request(t.http)
      .post('/api/auth/invitations/accept')
      .send({ token: mail.token, password: 'another long phrase' })
      .expect(400);
    await request(t.http)
      .post('/api/auth/login')
      .send({ email, password: 'a long and unusual phrase' })
      .expect(200);
    // A reset token is not an invitation token.
    await request(t.http)
      .post('/api/auth/password-reset/confirm')
      .send({ token: mail.token, password: 'x long phrase here' })
      .expect(400);
  });

  it('resets a password with an expiring single-use link, ending old sessions; unknown emails look the same', async () => {
    const user = await makeUser(t.ds);
    const old = (
      await request(t.http)
        .post('/api/auth/login')
        .send({ email: user.email, password: PASSWORD })
        .expect(200)
    ).body.accessToken;
    const known = await request(t.http)
      .post('/api/auth/password-reset')
      .send({ email: user.email.toUpperCase() })
      .expect(202);
    const unknown = await request(t.http)
      .post('/api/auth/password-reset')
      .send({ email: 'nobody-here@test.example' })
      .expect(202);
    expect(known.body).toEqual(unknown.body);
    const mail = (await lastMail(user.email))!;
    expect(mail.kind).toBe('password_reset');
    const reset = await request(t.http)
      .post('/api/auth/password-reset/confirm')
      .send({ token: mail.token, password: 'brand new passphrase' })
      .expect(200);
    expect(reset.body.user.id).toBe(user.id);
    await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${old}`).expect(401);
    await request(t.http)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${reset.body.accessToken}`)
      .expect(200);
    await request(t.http).post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(401);
    await request(t.http)
      .post('/api/auth/login')
      .send({ email: user.email, password: 'brand new passphrase' })
      .expect(200);
    await request(t.http)
      .post('/api/auth/password-reset/confirm')
      .send({ token: mail.token, password: 'brand new passphrase 2' })
      .expect(400);

    // Expired links do not work.
    await request(t.http).post('/api/auth/password-reset').send({ email: user.email }).expect(202);
    const second = (await lastMail(user.email))!;
    await t.ds.query(
      "UPDATE auth_token SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND used_at IS NULL",
      [user.id],
    );
    const expired = await request(t.http)
      .post('/api/auth/password-reset/confirm')
      .send({ token: second.token, password: 'brand new passphrase 3' })
      .expect(400);
    expect(expired.body).toMatchObject({ code: 'invalid_token', message: expect.stringMatching(/expired/) });
  });

  it('changes the password of the signed-in person with the current one and the policy', async () => {
    const user = await makeUser(t.ds);
    const token = (
      await request(t.http)
        .post('/api/auth/login')
        .send({ email: user.email, password: PASSWORD })
        .expect(200)
    ).body.accessToken;
    const auth = { Authorization: `Bearer ${token}` };
    const wrong = await request(t.http)
      .post('/api/auth/password')
      .set(auth)
      .send({ currentPassword: 'nope', newPassword: 'fine passphrase 1' })
      .expect(400);
    expect(Object.keys(wrong.body.fields)).toEqual(['currentPassword']);
    const short = await request(t.http)
      .post('/api/auth/password')
      .set(auth)
      .send({ currentPassword: PASSWORD, newPassword: 'short' })
      .expect(400);
    expect(short.body.fields.newPassword).toEqual(['must be at least 8 characters']);
    await request(t.http)
      .post('/api/auth/password')
      .set(auth)
      .send({ currentPassword: PASSWORD, newPassword: 'fine passphrase 1' })
      .expect(204);
    await request(t.http).get('/api/auth/me').set(auth).expect(401);
    await request(t.http)
      .post('/api/auth/login')
      .send({ email: user.email, password: 'fine passphrase 1' })
      .expect(200);
  });

  it('throttles wrong current passwords on a password change, per person, even with the right one', async () => {
    t.config.auth.login.maxFailuresPerAccount = 3;
    try {
      const user = await makeUser(t.ds);
      const token = (
        await request(t.http)
          .post('/api/auth/login')
          .send({ email: user.email, password: PASSWORD })
          .expect(200)
      ).body.accessToken;
      const change = (currentPassword: string) =>
        request(t.http)
          .post('/api/auth/password')
          .set('Authorization', `Bearer ${token}`)
          .send({ currentPassword, newPassword: 'another fine passphrase' });
      for (let i = 0; i < 3; i++) expect((await change(`guess-${i}`)).status).toBe(400);
      const refused = await change(PASSWORD);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: 'too_many_attempts' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Nothing changed: the old password still signs in.
      await request(t.http)
        .post('/api/auth/login')
        .send({ email: user.email, password: PASSWORD })
        .expect(200);
    } finally {
      t.config.auth.login.maxFailuresPerAccount = 10;
    }
  });

  it('lists the sign-in methods', async () => {
    expect((await request(t.http).get('/api/auth/providers').expect(200)).body).toEqual({
      password: true,
      oidc: { enabled: false, startUrl: null },
    });
  });
});
