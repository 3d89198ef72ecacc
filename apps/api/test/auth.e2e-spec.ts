import { createHmac } from 'node:crypto';
import request from 'supertest';
import { createTestApp, login, type TestApp } from './test-app';
import { makeTeam, makeUser, PASSWORD } from './factories';

describe('sign-in (POST /api/auth/login, /me, /logout)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('signs in with the right password: token, user with teams, and an httpOnly session cookie', async () => {
    const team = await makeTeam(t.ds, 3);
    const res = await request(t.http)
      .post('/api/auth/login')
      .send({ email: team.lead.email.toUpperCase(), password: PASSWORD })
      .expect(200);
    expect(typeof res.body.accessToken).toBe('string');
    expect(res.body.user).toMatchObject({ id: team.lead.id, email: team.lead.email, isAdmin: false });
    expect(res.body.user.teams).toEqual([expect.objectContaining({ teamId: team.teamId, role: 'lead' })]);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/candor_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('refuses a wrong password and an unknown account with the same 401', async () => {
    const user = await makeUser(t.ds);
    const wrong = await request(t.http)
      .post('/api/auth/login')
      .send({ email: user.email, password: 'nope-nope' });
    const unknown = await request(t.http)
      .post('/api/auth/login')
      .send({ email: 'nobody@test.example', password: 'nope-nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe('invalid_credentials');
  });

  it('refuses a deactivated account', async () => {
    const user = await makeUser(t.ds, { active: false });
    await request(t.http).post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(401);
  });

  it.each([
    [{}, ['email', 'password']],
    [{ email: 'not-an-email', password: 'x' }, ['email']],
    [{ email: 'a@b.example', password: '' }, ['password']],
    [{ email: 42, password: ['x'] }, ['email', 'password']],
    [{ email: 'a@b.example', password: 'x', isAdmin: true }, ['isAdmin']],
  ])('answers malformed body %j with 400 and field messages', async (body, fields) => {
    const res = await request(t.http).post('/api/auth/login').send(body).expect(400);
    expect(Object.keys(res.body.fields).sort()).toEqual([...fields].sort());
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('answers invalid JSON with 400, not 500', async () => {
    const res = await request(t.http)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.example", "password": ')
      .expect(400);
    expect(res.body).toMatchObject({ code: 'invalid_json', fields: { body: expect.any(Array) } });
  });

  it('answers an oversized body with 413', async () => {
    const res = await request(t.http)
      .post('/api/auth/login')
      .send({ email: 'a@b.example', password: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
  });

  it('knows the person by bearer token or by cookie; sign-out ends every session', async () => {
    const user = await makeUser(t.ds);
    const agent = request.agent(t.http);
    const res = await agent
      .post('/api/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    const token = res.body.accessToken as string;
    await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    const me = await agent.get('/api/auth/me').expect(200);
    expect(me.body.id).toBe(user.id);
    await agent.post('/api/auth/logout').set('X-Requested-With', 'candor').expect(204);
    await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('refuses expired, wrong-issuer, wrong-audience and algorithm-swapped tokens with 401', async () => {
    const user = await makeUser(t.ds);
    const secret = t.config.jwt.secret;
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const sign = (header: object, payload: object, alg = 'sha256') => {
      const unsigned = `${b64(header)}.${b64(payload)}`;
      return `${unsigned}.${createHmac(alg, secret).update(unsigned).digest('base64url')}`;
    };
    const now = Math.floor(Date.now() / 1000);
    const good = { sub: user.id, ver: 0, iss: 'candor', aud: 'candor-web', iat: now, exp: now + 600 };
    // Control: a token we forge with the right secret and claims is accepted, so the refusals below are about the claims.
    await request(t.http)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${sign({ alg: 'HS256', typ: 'JWT' }, good)}`)
      .expect(200);
    const forged = [
      sign({ alg: 'HS256', typ: 'JWT' }, { ...good, exp: now - 10 }),
      sign({ alg: 'HS256', typ: 'JWT' }, { ...good, iss: 'someone-else' }),
      sign({ alg: 'HS256', typ: 'JWT' }, { ...good, aud: 'another-app' }),
      sign({ alg: 'HS512', typ: 'JWT' }, good, 'sha512'),
      sign({ alg: 'HS256', typ: 'JWT' }, { ...good, ver: 1 }),
    ];
    for (const token of forged) {
      await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    }
  });

  it('refuses missing, forged and tampered tokens with 401', async () => {
    const user = await makeUser(t.ds);
    const token = await login(t.http, user.email, PASSWORD);
    const [h, p] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ sub: user.id, ver: 0, iss: 'candor', aud: 'candor-web', exp: 9999999999 })).toString('base64url')}.${token.split('.')[2]}`;
    await request(t.http).get('/api/auth/me').expect(401);
    for (const bad of [none, tampered, 'garbage', `${token}x`]) {
      await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${bad}`).expect(401);
    }
  });
});
