import { type ChildProcess } from 'node:child_process';
import { constants, createHash, randomBytes, randomUUID, sign } from 'node:crypto';
import { request as httpRequest, Agent } from 'node:http';
import { CycleService } from '../src/surveys/cycle.service';
import { startAppProcess } from './app-process';
import { makeTeam, PASSWORD } from './factories';
import { createTestApp, type TestApp } from './test-app';

/**
 * SIGTERM under load, against the real app in its own process (`main.ts` run from source):
 * requests in flight when the signal arrives complete; everything acknowledged is stored; what
 * arrives afterwards is refused (connection refused or 503) rather than started and dropped; the
 * process exits with code 0 within 10 s and says it shut down gracefully.
 */
const SUBMITTERS = 20;
const TOKENS = 1_500;
const HOUR = 3_600_000;

interface LogLine {
  level: string;
  msg?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Errors that mean "not accepted": the server refused or closed the connection before answering. */
function refusal(err: unknown): string | null {
  const cause = (err as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  return code && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'].includes(code) ? code : null;
}

describe('SIGTERM during load', () => {
  let t: TestApp;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await t.close();
  });

  it('finishes in-flight requests, loses nothing acknowledged, and exits 0 within 10 s', async () => {
    // A team, an open cycle, and one signed token per member (minted with the cycle key, as in
    // durability.e2e-spec.ts; the blind protocol itself is covered by responses.e2e-spec.ts).
    const [group]: { id: string }[] = await t.ds.query(
      `INSERT INTO org_group (name) VALUES ('Shutdown') RETURNING id`,
    );
    const [team]: { id: string }[] = await t.ds.query(
      `INSERT INTO team (name, group_id) VALUES ('Drain', $1) RETURNING id`,
      [group!.id],
    );
    const users: { id: string }[] = await t.ds.query(
      `INSERT INTO app_user (email, name) SELECT 'drain-' || g || '-' || $1 || '@test.example', 'Drain ' || g
         FROM generate_series(1, $2) g RETURNING id`,
      [randomUUID(), TOKENS],
    );
    await t.ds.query(`INSERT INTO membership (user_id, team_id) SELECT unnest($1::uuid[]), $2`, [
      users.map((u) => u.id),
      team!.id,
    ]);
    const cycle = await t.app.get(CycleService).open({
      teamId: team!.id,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - HOUR),
      closesAt: new Date(Date.now() + HOUR),
      k: 3,
    });
    const [keys]: { private_key_pkcs8: string }[] = await t.ds.query(
      'SELECT private_key_pkcs8 FROM cycle WHERE id = $1',
      [cycle.id],
    );
    const tokens = users.map(() => {
      const token = randomBytes(64);
      const signature = sign('sha384', token, {
        key: keys!.private_key_pkcs8,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 48,
      });
      return { token: token.toString('base64url'), signature: signature.toString('base64url') };
    });

    // The real app, from source, in its own process.
    // One loopback address for every submitter: the per-address limit is for real networks.
    const app = await startAppProcess({ RATE_LIMIT_SUBMIT_PER_ADDRESS: '0' });
    child = app.child;
    const { base, exited } = app;

    // Load: each submitter sends its tokens one after another until the server stops answering.
    const acknowledged: string[] = [];
    const refusals = new Map<string, number>();
    const unexpected: string[] = [];
    let signalledAt = 0;
    let completedAfterSignal = 0;
    let next = 0;
    const submitter = async () => {
      for (;;) {
        const tok = tokens[next++];
        if (!tok) return;
        const startedBeforeSignal = signalledAt === 0;
        try {
          const res = await fetch(`${base}/api/responses`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              cycleId: cycle.id,
              instrument: 'psych-safety@1',
              ...tok,
              answers: { ps1: 4, ps2: 5, ps3: 3, ps4: 6, ps5: 2, ps6: 7, ps7: 1 },
            }),
          });
          const text = await res.text();
          if (res.status === 201) {
            acknowledged.push(tok.token);
            if (startedBeforeSignal && signalledAt !== 0) completedAfterSignal++;
          } else if (res.status === 503 && signalledAt !== 0) {
            refusals.set('503', (refusals.get('503') ?? 0) + 1);
            return;
          } else {
            unexpected.push(`${res.status} ${text.slice(0, 200)}`);
            return;
          }
        } catch (err) {
          const code = refusal(err);
          if (code === null || signalledAt === 0) unexpected.push(`${(err as Error).message} ${code ?? ''}`);
          else refusals.set(code, (refusals.get(code) ?? 0) + 1);
          return;
        }
      }
    };
    const load = Promise.all(Array.from({ length: SUBMITTERS }, submitter));
    while (acknowledged.length < 200 && next < TOKENS) await sleep(20);
    signalledAt = Date.now();
    child.kill('SIGTERM');
    const [{ code, at }] = await Promise.all([exited, load]);

    expect(unexpected).toEqual([]);
    expect(code).toBe(0);
    expect(at - signalledAt).toBeLessThan(10_000);
    // Requests that were running when the signal came were answered, not dropped.
    expect(completedAfterSignal).toBeGreaterThan(0);
    expect(next).toBeLessThan(TOKENS); // the load was still going when the app stopped

    // Everything acknowledged is stored, each exactly once, with its answer.
    const spent: { token_hash: Buffer }[] = await t.ds.query(
      'SELECT token_hash FROM spent_token WHERE cycle_id = $1',
      [cycle.id],
    );
    const stored = new Set(spent.map((s) => s.token_hash.toString('hex')));
    const missing = acknowledged.filter(
      (tok) => !stored.has(createHash('sha256').update(Buffer.from(tok, 'base64url')).digest('hex')),
    );
    expect(missing).toEqual([]);
    // Each with its answers, sealed while the cycle is open (issue 12).
    const [responses]: { n: number }[] = await t.ds.query(
      'SELECT count(*)::int AS n FROM spent_token WHERE cycle_id = $1 AND sealed_answers IS NOT NULL',
      [cycle.id],
    );
    expect(responses!.n).toBe(spent.length);

    // The logs (JSON lines) say so.
    const logged = app
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
    expect(logged.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        'SIGTERM: finishing in-flight requests and shutting down',
        expect.stringMatching(/^Shut down gracefully in \d+ ms$/),
      ]),
    );
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);
  }, 120_000);
});

describe('SIGTERM with idle keep-alive connections', () => {
  let t: TestApp;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await t.close();
  });

  /** One request on the keep-alive agent's socket: status, headers and body, or the socket error. */
  const get = (agent: Agent | false, url: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string } | { error: string }>(
      (resolve) => {
        const req = httpRequest(url, { agent, headers }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        });
        req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
        req.end();
      },
    );

  it('answers 503 on a connection that was idle when draining began, instead of closing it', async () => {
    const team = await makeTeam(t.ds, 2);
    const app = await startAppProcess();
    child = app.child;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // A request that stays in flight: it needs app_user, which this test holds locked.
      const token = await fetch(`${app.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: team.lead.email, password: PASSWORD }),
      }).then(async (r) => ((await r.json()) as { accessToken: string }).accessToken);
      // The kept-alive connection: one request, then idle in the agent.
      const first = await get(agent, `${app.base}/api/health/live`);
      expect(first).toMatchObject({ status: 200 });

      const blocker = t.ds.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      await blocker.query('LOCK TABLE app_user IN ACCESS EXCLUSIVE MODE');
      let inFlight: Promise<Awaited<ReturnType<typeof get>>> | undefined;
      try {
        inFlight = get(false, `${app.base}/api/auth/me`, { authorization: `Bearer ${token}` });
        // Wait until the request is in the app (it shows in pg_locks as waiting).
        for (let waiting = 0; waiting === 0;) {
          const rows: { n: number }[] = await t.ds.query(
            `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
              WHERE c.relname = 'app_user' AND NOT l.granted`,
          );
          waiting = rows[0]!.n;
          if (waiting === 0) await sleep(20);
        }
        child.kill('SIGTERM');
        // Draining has begun once readiness (on a new connection) says so.
        for (let draining = false; !draining;) {
          const ready = await get(false, `${app.base}/api/health/ready`);
          expect(ready).not.toHaveProperty('error'); // still listening while it drains
          draining = 'status' in ready && ready.status === 503;
          if (!draining) await sleep(20);
        }
        // The idle kept-alive connection gets an answer, not a reset.
        const onIdle = await get(agent, `${app.base}/api/health/live`);
        expect(onIdle).toMatchObject({ status: 503, headers: { connection: 'close' } });
        expect(JSON.parse((onIdle as { body: string }).body)).toMatchObject({ code: 'shutting_down' });
      } finally {
        await blocker.commitTransaction();
        await blocker.release();
      }
      // The request that was running finishes, then the process exits cleanly.
      expect(await inFlight).toMatchObject({ status: 200 });
      expect((await app.exited).code).toBe(0);
    } finally {
      agent.destroy();
    }
  }, 60_000);
});
