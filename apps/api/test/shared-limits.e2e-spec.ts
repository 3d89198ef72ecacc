import { randomBytes } from 'node:crypto';
import { SharedLimits } from '../src/common/shared-limits';
import { CycleService } from '../src/surveys/cycle.service';
import { startAppProcess, type AppProcess } from './app-process';
import { blindToken, obtainToken } from './blind-client';
import { makeTeam, PASSWORD } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

const HOUR = 3_600_000;
const answers = { ps1: 4, ps2: 4, ps3: 4, ps4: 4, ps5: 4, ps6: 4, ps7: 4 };

/**
 * Two app processes on one database, as behind a load balancer: every documented limit holds in
 * total, not per instance. Requests alternate between the instances; the request after the limit
 * is refused by whichever instance gets it. (Before issue 14 the token and submission limits were
 * counted in each process's memory, so two instances allowed twice the numbers.)
 */
describe('limits shared by two app processes', () => {
  let t: TestApp;
  let a: AppProcess;
  let b: AppProcess;
  let cycleId: string;
  let publicKey: string;
  let team: Awaited<ReturnType<typeof makeTeam>>;

  beforeAll(async () => {
    t = await createTestApp();
    team = await makeTeam(t.ds, 6);
    const cycle = await t.app.get(CycleService).open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - HOUR),
      closesAt: new Date(Date.now() + HOUR),
      k: 3,
    });
    cycleId = cycle.id;
    publicKey = cycle.publicKeySpki;
    const env = {
      JWT_SECRET: randomBytes(32).toString('hex'), // the same on both, as in production
      RATE_LIMIT_SUBMIT_PER_TOKEN: '3',
      RATE_LIMIT_SUBMIT_PER_ADDRESS: '5',
      RATE_LIMIT_TOKEN_PER_USER: '2',
      RATE_LIMIT_TOKEN_PER_ADDRESS: '0',
      RATE_LIMIT_THREAD_READ_PER_SECRET: '3',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
    };
    [a, b] = await Promise.all([startAppProcess(env), startAppProcess(env)]);
  }, 120_000);
  afterAll(async () => {
    a?.kill();
    b?.kill();
    await t?.close();
  });

  const post = (app: AppProcess, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  /** Status codes of `n` requests made alternately on a, b, a, b, … */
  const alternate = async (n: number, send: (app: AppProcess, i: number) => Promise<Response>) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await send(i % 2 === 0 ? a : b, i)).status);
    return statuses;
  };
  const signIn = async (app: AppProcess, email: string) => {
    const res = await post(app, '/api/auth/login', { email, password: PASSWORD });
    expect(res.status).toBe(200);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };

  it('submissions with one survey token: RATE_LIMIT_SUBMIT_PER_TOKEN in total', async () => {
    // The token is obtained through the in-process app (its own secret, so its own counters).
    const tok = await obtainToken(
      t.http,
      await login(t.http, team.members[0]!.email, PASSWORD),
      cycleId,
      publicKey,
    );
    const body = { cycleId, instrument: 'psych-safety@1', ...tok, answers };
    const statuses = await alternate(5, (app) =>
      post(app, '/api/responses', body, { 'x-forwarded-for': '198.51.100.50' }),
    );
    expect(statuses).toEqual([201, 200, 200, 429, 429]);
  });

  it('submissions from one address: RATE_LIMIT_SUBMIT_PER_ADDRESS in total', async () => {
    const forged = (i: number) => ({
      cycleId,
      instrument: 'psych-safety@1',
      token: `shared${i}`.padEnd(86, 'A'),
      signature: 'A'.repeat(342),
      answers,
    });
    const statuses = await alternate(7, (app, i) =>
      post(app, '/api/responses', forged(i), { 'x-forwarded-for': '203.0.113.77' }),
    );
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
  });

  it('thread reads with one reply code: RATE_LIMIT_THREAD_READ_PER_SECRET in total', async () => {
    // An unknown code is counted like a real one (404), so no released thread is needed here.
    const secret = randomBytes(32).toString('base64url');
    const statuses = await alternate(5, (app) =>
      post(app, '/api/threads/read', { secret }, { 'x-forwarded-for': '198.51.100.60' }),
    );
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
  });

  it('token requests by one person: RATE_LIMIT_TOKEN_PER_USER in total', async () => {
    const email = team.members[1]!.email;
    const tokens = { a: await signIn(a, email), b: await signIn(b, email) };
    const blindedMessage = Buffer.from((await blindToken(publicKey)).blinded).toString('base64url');
    const statuses = await alternate(4, (app) =>
      post(
        app,
        `/api/cycles/${cycleId}/tokens`,
        { blindedMessage },
        {
          authorization: `Bearer ${app === a ? tokens.a : tokens.b}`,
        },
      ),
    );
    expect(statuses).toEqual([200, 200, 429, 429]);
  });

  it('failed sign-ins of one account: LOGIN_MAX_FAILURES_PER_ACCOUNT in total', async () => {
    const email = team.members[2]!.email;
    const statuses = await alternate(5, (app, i) =>
      post(app, '/api/auth/login', { email, password: i < 3 ? `wrong-${i}` : PASSWORD }),
    );
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('wrong current passwords on a password change: the per-account limit in total', async () => {
    const email = team.members[3]!.email;
    const tokens = { a: await signIn(a, email), b: await signIn(b, email) };
    const statuses = await alternate(5, (app, i) =>
      post(
        app,
        '/api/auth/password',
        { currentPassword: i < 3 ? `wrong-${i}` : PASSWORD, newPassword: 'a brand new passphrase' },
        { authorization: `Bearer ${app === a ? tokens.a : tokens.b}` },
      ),
    );
    expect(statuses).toEqual([400, 400, 400, 429, 429]);
  });

  it('password-reset requests for one account: the per-account limit in total', async () => {
    const email = team.members[4]!.email;
    const statuses = await alternate(5, (app) => post(app, '/api/auth/password-reset', { email }));
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
  });
});

describe('SharedLimits.hitAll', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('counts each charge in one statement on the library’s rows, and starts a new window once one ends', async () => {
    const limits = t.app.get(SharedLimits);
    const a = `a-${randomBytes(4).toString('hex')}`;
    const b = `b-${randomBytes(4).toString('hex')}`;
    expect((await limits.hit('submitPerAddress', a, 5, 60)).count).toBe(1);
    const [first, second] = await limits.hitAll([
      { name: 'submitPerAddress', subject: a, points: 5, seconds: 60 },
      { name: 'submitPerToken', subject: b, points: 3, seconds: 60 },
    ]);
    expect(first!.count).toBe(2);
    expect(second!.count).toBe(1);
    expect(first!.msLeft).toBeGreaterThan(55_000);
    expect(first!.msLeft).toBeLessThanOrEqual(60_000);
    // A single hit counts on the same row.
    expect((await limits.hit('submitPerAddress', a, 5, 60)).count).toBe(3);
    // The library's reward (refund) works on the rows this upsert writes.
    await limits.refund('submitPerAddress', a, 5, 60);
    const [afterRefund] = await limits.hitAll([
      { name: 'submitPerAddress', subject: a, points: 5, seconds: 60 },
    ]);
    expect(afterRefund!.count).toBe(3);
    // A window that has ended starts again at 1 with a new expiry.
    await t.ds.query('UPDATE rate_limit SET expire = $1 WHERE key = $2', [
      Date.now() - 1,
      limits.storedKey('submitPerToken', b),
    ]);
    const [again] = await limits.hitAll([{ name: 'submitPerToken', subject: b, points: 3, seconds: 60 }]);
    expect(again!.count).toBe(1);
    expect(again!.msLeft).toBeGreaterThan(55_000);
    // The same counter charged twice in one call counts twice.
    const twice = await limits.hitAll([
      { name: 'submitPerToken', subject: b, points: 3, seconds: 60 },
      { name: 'submitPerToken', subject: b, points: 3, seconds: 60 },
    ]);
    expect(twice.map((h) => h.count)).toEqual([2, 3]);
  });
});
