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

  // Further apps share the first one's JWT settings and stay open until the end: passport keeps
  // one "jwt" strategy per process, so the app created last verifies every app's sessions.
  const extra: TestApp[] = [];
  const app = async (oidc: { jit?: boolean; domains?: string[]; allowUnverifiedEmail?: boolean } = {}) => {
    const created = await createTestApp({
      ...(t ? { jwt: t.config.jwt } : {}),
      auth: {
        login: { maxFailuresPerAccount: 10, maxFailuresPerAddress: 100, windowSeconds: 60 },
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
          allowUnverifiedEmail: oidc.allowUnverifiedEmail ?? false,
        },
      },
    });
    if (t) extra.push(created);
    return created;
  };

  /** Who the provider says is signing in: `verified` is how it sends email_verified; `sub` defaults to one per email. */
  const as = (
    email: string,
    verified: 'true' | 'false' | 'missing' | 'string' = 'true',
    name = 'SSO Person',
    sub?: string,
  ) =>
    fetch(
      `${provider.issuer}/__as?${new URLSearchParams({ email, verified, name, ...(sub ? { sub } : {}) })}`,
    );
  /** The person a session cookie from the callback belongs to, or null when none was set. */
  const signedInAs = async (target: TestApp, res: request.Response): Promise<string | null> => {
    const session = ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) =>
      /^candor_session=[^;]/.test(c),
    );
    if (!session) return null;
    const me = await request(target.http).get('/api/auth/me').set('Cookie', session.split(';')[0]!);
    expect(me.status).toBe(200);
    return (me.body as { id: string }).id;
  };
  const bindings = (userId: string): Promise<{ subject: string }[]> =>
    t.ds.query('SELECT subject FROM sso_identity WHERE user_id = $1 ORDER BY subject', [userId]);

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
    for (const other of extra) await other.close();
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
    await as(user.email, 'false');
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
    {
      const email = `jit-${Date.now()}@test.example`;
      await as(email, 'true', 'Jit Person');
      const res = await signIn(jit, '//evil.example/steal');
      expect(res.headers.location).toBe('/'); // never an open redirect
      const rows: { name: string; password_hash: string | null }[] = await jit.ds.query(
        'SELECT name, password_hash FROM app_user WHERE email = $1',
        [email],
      );
      expect(rows).toEqual([{ name: 'Jit Person', password_hash: null }]);
      const bound: { subject: string }[] = await jit.ds.query(
        'SELECT s.subject FROM sso_identity s JOIN app_user u ON u.id = s.user_id WHERE u.email = $1',
        [email],
      );
      expect(bound).toEqual([{ subject: `acct-${email}` }]);
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

  it('refuses an ID token without email_verified, or with the string "true", and binds nobody', async () => {
    const user = await makeUser(t.ds);
    for (const verified of ['missing', 'string', 'false'] as const) {
      await as(user.email, verified);
      const res = await signIn(t);
      expect(res.headers.location).toBe('/login?sso_error=email_not_verified');
      expect(await signedInAs(t, res)).toBeNull();
    }
    expect(await bindings(user.id)).toEqual([]);
    // The same person with a verified email signs in.
    await as(user.email, 'true');
    expect(await signedInAs(t, await signIn(t))).toBe(user.id);
  });

  it('binds the first sign-in to (issuer, sub): another sub with the same email is refused', async () => {
    const victim = await makeUser(t.ds);
    await as(victim.email, 'true', 'Victim', `victim-${victim.id}`);
    expect(await signedInAs(t, await signIn(t))).toBe(victim.id);
    expect(await bindings(victim.id)).toEqual([{ subject: `victim-${victim.id}` }]);
    const [bound]: { issuer: string }[] = await t.ds.query(
      'SELECT issuer FROM sso_identity WHERE user_id = $1',
      [victim.id],
    );
    expect(bound!.issuer).toBe(provider.issuer);

    // Someone else at the provider sets (and gets verified) the victim's email: a new sub.
    await as(victim.email.toUpperCase(), 'true', 'Attacker', `attacker-${victim.id}`);
    const res = await signIn(t);
    expect(res.headers.location).toBe('/login?sso_error=already_linked');
    expect(await signedInAs(t, res)).toBeNull();
    expect(await bindings(victim.id)).toEqual([{ subject: `victim-${victim.id}` }]);
    const denied: { detail: { reason: string } }[] = await t.ds.query(
      "SELECT detail FROM audit_log WHERE action = 'auth.sso_denied' AND target = $1",
      [victim.email],
    );
    expect(denied).toEqual([{ detail: { reason: 'already_linked' } }]);
    const audited: unknown[] = await t.ds.query(
      "SELECT 1 FROM audit_log WHERE action = 'person.sso_bound' AND target = $1",
      [victim.id],
    );
    expect(audited).toHaveLength(1);
  });

  it("keeps the binding when the email changes at the provider, even to another person's", async () => {
    const owner = await makeUser(t.ds);
    const other = await makeUser(t.ds);
    const sub = `owner-${owner.id}`;
    await as(owner.email, 'true', 'Owner', sub);
    expect(await signedInAs(t, await signIn(t))).toBe(owner.id);
    // The same account at the provider now carries another Candor person's address…
    await as(other.email, 'true', 'Owner', sub);
    expect(await signedInAs(t, await signIn(t))).toBe(owner.id);
    // …or an address Candor does not know at all.
    await as(`renamed-${owner.id}@test.example`, 'true', 'Owner', sub);
    expect(await signedInAs(t, await signIn(t))).toBe(owner.id);
    expect(await bindings(owner.id)).toEqual([{ subject: sub }]);
    expect(await bindings(other.id)).toEqual([]);
    // The other person binds their own identity on their first sign-in.
    await as(other.email, 'true', 'Other', `other-${other.id}`);
    expect(await signedInAs(t, await signIn(t))).toBe(other.id);
  });

  it('OIDC_ALLOW_UNVERIFIED_EMAIL binds a first sign-in without the claim; later ones match the binding', async () => {
    const lax = await app({ allowUnverifiedEmail: true });
    {
      const user = await makeUser(lax.ds);
      await as(user.email, 'missing', 'Lax', `lax-${user.id}`);
      expect(await signedInAs(lax, await signIn(lax))).toBe(user.id);
      await as(user.email, 'missing', 'Lax', `lax-other-${user.id}`);
      expect((await signIn(lax)).headers.location).toBe('/login?sso_error=already_linked');
    }
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
