import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp } from './test-app';
import { makeUser } from './factories';

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider 9) started on 127.0.0.1
 * for this test, in a child process: discovery, authorization code + PKCE + nonce, token and
 * ID-token validation all happen for real through openid-client.
 */
const PUBLIC_URL = 'http://127.0.0.1:3999';
const REDIRECT = `${PUBLIC_URL}/api/auth/oidc/callback`;
const SECRET = 'candor-test-client-secret-0123456789';

function startProvider(): Promise<{ issuer: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'fixtures/oidc-provider.mjs'), REDIRECT, SECRET], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.once('error', reject);
    child.stdout!.once('data', (d: Buffer) =>
      resolve({ issuer: (JSON.parse(String(d)) as { issuer: string }).issuer, child }),
    );
  });
}

/** A browser at the identity provider: follows its redirects with its own cookies until it is sent back to us. */
async function throughProvider(authorizeUrl: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizeUrl;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    const location = res.headers.get('location');
    if (!location)
      throw new Error(`provider stopped at ${url} with ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const next = new URL(location, url);
    if (next.href.startsWith(REDIRECT)) return next;
    url = next.href;
  }
  throw new Error('too many redirects at the provider');
}

describe('OIDC single sign-on (real oidc-provider on 127.0.0.1)', () => {
  let provider: { issuer: string; child: ChildProcess };
  let t: TestApp;

  const app = (oidc: { jit?: boolean; domains?: string[] } = {}) =>
    createTestApp({
      auth: {
        login: { maxFailures: 10, windowSeconds: 60 },
        corsOrigins: [],
        publicUrl: PUBLIC_URL,
        inviteTtlHours: 72,
        resetTtlMinutes: 60,
        oidc: {
          issuer: provider.issuer,
          clientId: 'candor',
          clientSecret: SECRET,
          allowedDomains: oidc.domains ?? ['test.example'],
          jit: oidc.jit ?? false,
          redirectUri: REDIRECT,
          allowInsecure: true,
        },
      },
    });

  const as = (email: string, verified = true, name = 'SSO Person') =>
    fetch(`${provider.issuer}/__as?${new URLSearchParams({ email, verified: String(verified), name })}`);

  /** The whole browser flow: start → provider → callback. Returns the callback response. */
  const signIn = async (target: TestApp, returnTo = '/teams') => {
    const start = await request(target.http)
      .get(`/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`)
      .expect(302);
    const authorize = new URL(start.headers.location!);
    expect(authorize.origin).toBe(provider.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const flow = (start.headers['set-cookie'] as unknown as string[])
      .find((c) => c.startsWith('candor_oidc='))!
      .split(';')[0]!;
    const back = await throughProvider(authorize.href);
    return request(target.http).get(`${back.pathname}${back.search}`).set('Cookie', flow);
  };

  beforeAll(async () => {
    provider = await startProvider();
    t = await app();
  });
  afterAll(async () => {
    await t?.close();
    provider?.child.kill('SIGTERM');
  });

  it('signs in an existing person matched by email, with a session cookie', async () => {
    const user = await makeUser(t.ds);
    await as(user.email.toUpperCase());
    const res = await signIn(t, '/teams/abc');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/teams/abc');
    const session = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('candor_session='),
    )!;
    expect(session).toMatch(/HttpOnly/i);
    const me = await request(t.http).get('/api/auth/me').set('Cookie', session.split(';')[0]!).expect(200);
    expect(me.body.id).toBe(user.id);
    expect((await request(t.http).get('/api/auth/providers').expect(200)).body.oidc).toEqual({
      enabled: true,
      startUrl: '/api/auth/oidc/start',
    });
  });

  it('refuses unknown people without JIT, other domains, unverified emails and deactivated people', async () => {
    await as(`stranger-${Date.now()}@test.example`);
    expect((await signIn(t)).headers.location).toBe('/login?sso_error=unknown_person');
    await as(`someone-${Date.now()}@elsewhere.example`);
    expect((await signIn(t)).headers.location).toBe('/login?sso_error=domain_not_allowed');
    const user = await makeUser(t.ds);
    await as(user.email, false);
    expect((await signIn(t)).headers.location).toBe('/login?sso_error=email_not_verified');
    const inactive = await makeUser(t.ds, { active: false });
    await as(inactive.email);
    const res = await signIn(t);
    expect(res.headers.location).toBe('/login?sso_error=inactive');
    expect(res.headers['set-cookie']?.toString() ?? '').not.toMatch(/candor_session=[^;]/);
    const denied: { detail: { reason: string } }[] = await t.ds.query(
      "SELECT detail FROM audit_log WHERE action = 'auth.sso_denied' AND target = $1",
      [inactive.email],
    );
    expect(denied).toEqual([{ detail: { reason: 'inactive' } }]);
  });

  it('creates the person just in time when OIDC_JIT is on', async () => {
    const jit = await app({ jit: true });
    try {
      const email = `jit-${Date.now()}@test.example`;
      await as(email, true, 'Jit Person');
      const res = await signIn(jit, '//evil.example/steal');
      expect(res.headers.location).toBe('/'); // never an open redirect
      const rows: { name: string; password_hash: string | null }[] = await jit.ds.query(
        'SELECT name, password_hash FROM app_user WHERE email = $1',
        [email],
      );
      expect(rows).toEqual([{ name: 'Jit Person', password_hash: null }]);
    } finally {
      await jit.close();
    }
  });

  it('refuses a callback without the flow cookie, or with a forged state', async () => {
    const user = await makeUser(t.ds);
    await as(user.email);
    const start = await request(t.http).get('/api/auth/oidc/start').expect(302);
    const back = await throughProvider(start.headers.location!);
    const noCookie = await request(t.http).get(`${back.pathname}${back.search}`).expect(302);
    expect(noCookie.headers.location).toBe('/login?sso_error=flow_expired');

    const flow = (start.headers['set-cookie'] as unknown as string[])
      .find((c) => c.startsWith('candor_oidc='))!
      .split(';')[0]!;
    const forged = new URL(back.href);
    forged.searchParams.set('state', 'not-the-state');
    const res = await request(t.http)
      .get(`${forged.pathname}${forged.search}`)
      .set('Cookie', flow)
      .expect(302);
    expect(res.headers.location).toBe('/login?sso_error=provider_error');
  });

  it('answers 404 when single sign-on is not configured', async () => {
    const plain = await createTestApp();
    try {
      await request(plain.http).get('/api/auth/oidc/start').expect(404);
      await request(plain.http).get('/api/auth/oidc/callback?code=x&state=y').expect(404);
    } finally {
      await plain.close();
    }
  });
});
