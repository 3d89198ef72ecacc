import { createHash, randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { SharedLimits } from '../src/common/shared-limits';
import { CycleService } from '../src/surveys/cycle.service';
import { blindToken, obtainToken } from './blind-client';
import { makeTeam, PASSWORD } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

const HOUR = 3_600_000;
const answers = { ps1: 4, ps2: 4, ps3: 4, ps4: 4, ps5: 4, ps6: 4, ps7: 4 };

/**
 * The per-minute limits on token issue and submission bite: 429, a Retry-After header and a
 * JSON error body. Limits are set low here; the defaults are in config.ts and the README.
 * (`trust proxy` is loopback, so X-Forwarded-For stands in for different client addresses.)
 */
describe('rate limits on token issue and submission', () => {
  let t: TestApp;
  let cycleId: string;
  let publicKey: string;
  let team: Awaited<ReturnType<typeof makeTeam>>;

  beforeAll(async () => {
    t = await createTestApp({
      rateLimits: { submitPerAddress: 5, submitPerToken: 3, tokenPerAddress: 1000, tokenPerUser: 2 },
    });
    team = await makeTeam(t.ds, 7);
    const cycle = await t.app.get(CycleService).open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - HOUR),
      closesAt: new Date(Date.now() + HOUR),
      k: 3,
    });
    cycleId = cycle.id;
    publicKey = cycle.publicKeySpki;
  });
  afterAll(() => t.close());

  const expectLimited = (res: request.Response, message: RegExp) => {
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(res.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'rate_limited',
      message: expect.stringMatching(message) as string,
    });
  };

  it('limits retries with one survey token, without touching other tokens', async () => {
    const access = await login(t.http, team.members[0]!.email, PASSWORD);
    const tok = await obtainToken(t.http, access, cycleId, publicKey);
    const submit = () =>
      request(t.http)
        .post('/api/responses')
        .set('X-Forwarded-For', '198.51.100.1')
        .send({ cycleId, instrument: 'psych-safety@1', ...tok, answers });
    expect((await submit()).status).toBe(201);
    expect((await submit()).status).toBe(200); // identical retry: the same receipt
    expect((await submit()).status).toBe(200);
    expectLimited(await submit(), /^Too many attempts with this survey token\. Try again in \d+ seconds?\.$/);
    // The answer is stored once (sealed with its spent token until the cycle closes, issue 12).
    const [row]: { n: number }[] = await t.ds.query(
      'SELECT count(*)::int AS n FROM spent_token WHERE cycle_id = $1 AND sealed_answers IS NOT NULL',
      [cycleId],
    );
    expect(row!.n).toBe(1);
  });

  it('limits submissions per address, and another address is unaffected', async () => {
    // Well-formed but unsigned tokens: counted, then refused by signature check (400).
    const forged = (i: number) => ({
      cycleId,
      instrument: 'psych-safety@1',
      token: `forged${i}`.padEnd(86, 'A'),
      signature: 'A'.repeat(342),
      answers,
    });
    const from = (address: string, i: number) =>
      request(t.http).post('/api/responses').set('X-Forwarded-For', address).send(forged(i));
    for (let i = 0; i < 5; i++) expect((await from('203.0.113.7', i)).status).toBe(400);
    expectLimited(await from('203.0.113.7', 5), /^Too many submissions from your network address\./);
    expect((await from('203.0.113.8', 6)).status).toBe(400);
  });

  const spentCount = async (): Promise<number> =>
    (
      (await t.ds.query('SELECT count(*)::int AS n FROM spent_token WHERE cycle_id = $1', [cycleId])) as {
        n: number;
      }[]
    )[0]!.n;

  /** Stored as a first submission (201, not a replay): the token had never been spent. */
  const expectFirstSubmission = async (res: request.Response, spentBefore: number) => {
    expect(res.status).toBe(201);
    expect((res.body as { replayed: boolean }).replayed).toBe(false);
    expect(await spentCount()).toBe(spentBefore + 1);
  };

  it('refuses a valid token over its own limit inside the storing statement: nothing stored until its minute is over', async () => {
    const access = await login(t.http, team.members[4]!.email, PASSWORD);
    const tok = await obtainToken(t.http, access, cycleId, publicKey);
    const body = { cycleId, instrument: 'psych-safety@1', ...tok, answers };
    const submit = (b: object) =>
      request(t.http).post('/api/responses').set('X-Forwarded-For', '198.51.100.40').send(b);
    // Three attempts with the token and a wrong signature: refused in the app, each counted.
    for (let i = 0; i < 3; i++)
      expect((await submit({ ...body, signature: 'A'.repeat(342) })).status).toBe(400);
    const before = await spentCount();
    // The valid submission passes every check in the app; its statement counts it and stores nothing.
    expectLimited(await submit(body), /^Too many attempts with this survey token\./);
    expect(await spentCount()).toBe(before);
    // Its minute over, the same token is a first submission, not a replay: it was never spent.
    const limits = t.app.get(SharedLimits);
    await t.ds.query('UPDATE rate_limit SET expire = $2 WHERE key = $1', [
      limits.storedKey('submitPerToken', tok.token),
      Date.now() - 1,
    ]);
    await expectFirstSubmission(await submit(body), before);
  });

  it('leads no counter to a person, an answer or a comment: joins on transaction id and keyed hash over every row version in the pages find nothing', async () => {
    // One person takes a token, answers, comments with the same token and retries the answer, all
    // from one address (loopback here), as people do. The retry rewrites the counters, so the
    // pages hold old row versions beside the live ones.
    const access = await login(t.http, team.members[5]!.email, PASSWORD);
    const tok = await obtainToken(t.http, access, cycleId, publicKey);
    const body = { cycleId, instrument: 'psych-safety@1', ...tok, answers };
    const res = await request(t.http).post('/api/responses').send(body);
    expect(res.status).toBe(201);
    const replyHash = createHash('sha256').update(randomBytes(32)).digest('base64url');
    const commented = await request(t.http)
      .post('/api/comments')
      .send({ cycleId, ...tok, text: 'The on-call rota wears us out', replyHash });
    expect(commented.status).toBe(201);
    expect((await request(t.http).post('/api/responses').send(body)).status).toBe(200);

    // A database superuser reads every tuple version of rate_limit from its pages, live and dead.
    await t.ds.query('CREATE EXTENSION IF NOT EXISTS pageinspect');
    const versions: { xmin: string; data: Buffer }[] = await t.ds.query(
      `SELECT h.t_xmin::text AS xmin, h.t_data AS data
         FROM generate_series(0, pg_relation_size('rate_limit') / current_setting('block_size')::int - 1) AS b,
              heap_page_items(get_raw_page('rate_limit', b::int)) AS h
        WHERE h.t_data IS NOT NULL`,
    );
    // The first column is the key, `<limit>:<keyed hash>`: a varlena with a 1-byte header (its
    // length, header included) or a 4-byte one. The table is shared with the other test files, so
    // their counters (other limits, other subjects) are read too, as an attacker would read them.
    const keyOf = (data: Buffer): [string, string] => {
      const text =
        (data[0]! & 1) === 1
          ? data.subarray(1, data[0]! >> 1).toString('latin1')
          : data.subarray(4, data.readUInt32LE(0) >> 2).toString('latin1');
      const m = /^([A-Za-z]+):([A-Za-z0-9_-]{43})$/.exec(text);
      if (!m) throw new Error(`not a counter key: ${JSON.stringify(text)}`);
      return [m[1]!, m[2]!];
    };
    const live: unknown[] = await t.ds.query('SELECT 1 FROM rate_limit');
    expect(versions.length).toBeGreaterThan(live.length); // old versions were read too

    // Join by transaction id: only the token's own counter (a keyed hash of a token nobody else
    // holds) was written with the stored answer — no address, in any version.
    const [spent] = (await t.ds.query('SELECT xmin::text AS xmin FROM spent_token WHERE receipt_id = $1', [
      (res.body as { receiptId: string }).receiptId,
    ])) as { xmin: string }[];
    const withAnswer = versions.filter((v) => v.xmin === spent!.xmin).map((v) => keyOf(v.data)[0]);
    expect(withAnswer).toEqual(['submitPerToken']);

    // Join by keyed hash across limits and across time: the address of the token request and of the
    // submission, the token of the answer and of the comment, must never show as one subject.
    const namesByHash = new Map<string, Set<string>>();
    for (const v of versions) {
      const [name, hash] = keyOf(v.data);
      namesByHash.set(hash, (namesByHash.get(hash) ?? new Set()).add(name));
    }
    expect([...namesByHash.values()].filter((names) => names.size > 1)).toEqual([]);
    const seen = new Set([...namesByHash.values()].flatMap((names) => [...names]));
    for (const name of [
      'submitPerAddress',
      'submitPerToken',
      'tokenPerAddress',
      'tokenPerUser',
      'commentPerAddress',
      'commentPerToken',
    ])
      expect(seen).toContain(name);
  });

  it('refuses a valid first submission over its address limit: nothing stored, the token unspent', async () => {
    const access = await login(t.http, team.members[2]!.email, PASSWORD);
    const tok = await obtainToken(t.http, access, cycleId, publicKey);
    const body = { cycleId, instrument: 'psych-safety@1', ...tok, answers };
    const from = (address: string) => request(t.http).post('/api/responses').set('X-Forwarded-For', address);
    // Forged tokens use up the address's five (each refused in the app, each counted on its own).
    for (let i = 0; i < 5; i++) {
      const forged = { ...body, token: `over${i}`.padEnd(86, 'A'), signature: 'A'.repeat(342) };
      expect((await from('203.0.113.20').send(forged)).status).toBe(400);
    }
    const before = await spentCount();
    // A valid, fresh token: refused by its address's count, before anything is stored.
    expectLimited(await from('203.0.113.20').send(body), /^Too many submissions from your network address\./);
    expect(await spentCount()).toBe(before);
    // The token was not spent: from another address it is a first submission, not a replay.
    await expectFirstSubmission(await from('203.0.113.21').send(body), before);
  });

  it("does not count a submission that fails on the server's side", async () => {
    const access = await login(t.http, team.members[3]!.email, PASSWORD);
    const tok = await obtainToken(t.http, access, cycleId, publicKey);
    const body = { cycleId, instrument: 'psych-safety@1', ...tok, answers };
    const submit = () =>
      request(t.http).post('/api/responses').set('X-Forwarded-For', '198.51.100.30').send(body);
    // Every insert into spent_token fails for a moment (a server-side failure inside the statement).
    await t.ds.query('ALTER TABLE spent_token ADD CONSTRAINT test_refuse_all CHECK (false) NOT VALID');
    try {
      for (let i = 0; i < 4; i++) expect((await submit()).status).toBe(500);
    } finally {
      await t.ds.query('ALTER TABLE spent_token DROP CONSTRAINT test_refuse_all');
    }
    const limits = t.app.get(SharedLimits);
    // Nothing counted: the token's count rolled back with the failed statement, the address's given back.
    const [counted] = (await t.ds.query(
      'SELECT coalesce(sum(points), 0)::int AS points FROM rate_limit WHERE key = ANY($1)',
      [
        [
          limits.storedKey('submitPerToken', tok.token),
          limits.storedKey('submitPerAddress', '198.51.100.30'),
        ],
      ],
    )) as { points: number }[];
    expect(counted!.points).toBe(0);
    // Four failures did not use up the token's three attempts: the answer is stored now.
    expect((await submit()).status).toBe(201);
  });

  it('keeps keyed hashes only in rate_limit, and deletes a counter once its minute is over', async () => {
    const token = 'sweep'.padEnd(86, 'B');
    const forged = { cycleId, instrument: 'psych-safety@1', token, signature: 'A'.repeat(342), answers };
    const res = await request(t.http)
      .post('/api/responses')
      .set('X-Forwarded-For', '203.0.113.99')
      .send(forged);
    expect(res.status).toBe(400);
    const limits = t.app.get(SharedLimits);
    const keys = [
      limits.storedKey('submitPerAddress', '203.0.113.99'),
      limits.storedKey('submitPerToken', token),
    ];
    const stored = () =>
      t.ds.query(`SELECT key, points FROM rate_limit WHERE key = ANY($1) ORDER BY key`, [keys]);
    expect(await stored()).toEqual(keys.sort().map((key) => ({ key, points: 1 })));
    for (const key of keys) {
      expect(key).toMatch(/^submitPer(Address|Token):[A-Za-z0-9_-]{43}$/);
      expect(key).not.toContain('203.0.113');
    }
    await limits.sweepExpired(); // the minute is still running: kept
    expect(await stored()).toHaveLength(2);
    await t.ds.query(`UPDATE rate_limit SET expire = $2 WHERE key = ANY($1)`, [keys, Date.now() - 1]);
    await limits.sweepExpired();
    expect(await stored()).toEqual([]);
  });

  it('keeps the counters out of the WAL (so out of WAL archives, base backups and replicas)', async () => {
    const lsn = async (): Promise<string> =>
      ((await t.ds.query('SELECT pg_current_wal_insert_lsn()::text AS lsn')) as { lsn: string }[])[0]!.lsn;
    // The reading below looks for the keys as plain bytes, which a compressed page image would hide.
    expect(
      ((await t.ds.query('SHOW wal_compression')) as { wal_compression: string }[])[0]!.wal_compression,
    ).toBe('off');
    const start = await lsn();
    const address = '203.0.113.40';
    const token = 'wal'.padEnd(86, 'C');
    const res = await request(t.http)
      .post('/api/responses')
      .set('X-Forwarded-For', address)
      .send({ cycleId, instrument: 'psych-safety@1', token, signature: 'A'.repeat(342), answers });
    expect(res.status).toBe(400);
    const limits = t.app.get(SharedLimits);
    const keys = [limits.storedKey('submitPerAddress', address), limits.storedKey('submitPerToken', token)];
    const counted: unknown[] = await t.ds.query('SELECT 1 FROM rate_limit WHERE key = ANY($1)', [keys]);
    expect(counted).toHaveLength(2);
    // The control: a logged row written in the same stretch of WAL is found by the same reading.
    const marker = `wal-probe-${randomUUID()}`;
    await t.ds.query('CREATE TABLE wal_probe (note text)');
    try {
      await t.ds.query('INSERT INTO wal_probe VALUES ($1)', [marker]);
      const end = await lsn();
      // Read the WAL segment files themselves, as whoever holds an archive of them would.
      const files: { file: string }[] = await t.ds.query(
        `SELECT DISTINCT pg_walfile_name(l) AS file FROM unnest(ARRAY[$1, $2]::pg_lsn[]) AS l`,
        [start, end],
      );
      const wal = Buffer.concat(
        await Promise.all(
          files.map(
            async ({ file }) =>
              (
                (await t.ds.query('SELECT pg_read_binary_file($1) AS data', [`pg_wal/${file}`])) as {
                  data: Buffer;
                }[]
              )[0]!.data,
          ),
        ),
      );
      expect(wal.includes(Buffer.from(marker))).toBe(true);
      for (const key of keys) expect(wal.includes(Buffer.from(key))).toBe(false);
    } finally {
      await t.ds.query('DROP TABLE wal_probe');
    }
  });

  it('limits token requests per person', async () => {
    const access = await login(t.http, team.members[1]!.email, PASSWORD);
    const blindedMessage = Buffer.from((await blindToken(publicKey)).blinded).toString('base64url');
    const issue = () =>
      request(t.http)
        .post(`/api/cycles/${cycleId}/tokens`)
        .set('Authorization', `Bearer ${access}`)
        .send({ blindedMessage });
    expect((await issue()).status).toBe(200);
    expect((await issue()).status).toBe(200); // a safe retry returns the same signature
    expectLimited(await issue(), /^Too many survey token requests from your account\./);
  });
});

describe('sign-in throttle across instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp();
    const login = { maxFailuresPerAccount: 3, maxFailuresPerAddress: 3, windowSeconds: 60 };
    a.config.auth.login = login;
    // A second instance on the same database with the same secrets, as behind a load balancer.
    b = await createTestApp({ jwt: a.config.jwt, auth: { ...a.config.auth, login } });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('counts failed sign-ins in PostgreSQL, so every instance refuses the next one', async () => {
    const team = await makeTeam(a.ds, 2);
    const email = team.members[0]!.email;
    const attempt = (t: TestApp, password: string) =>
      request(t.http).post('/api/auth/login').set('X-Forwarded-For', '192.0.2.44').send({ email, password });
    expect((await attempt(a, 'wrong-1')).status).toBe(401);
    expect((await attempt(b, 'wrong-2')).status).toBe(401);
    expect((await attempt(a, 'wrong-3')).status).toBe(401);
    for (const t of [a, b]) {
      const res = await attempt(t, PASSWORD);
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(res.body).toMatchObject({ code: 'too_many_attempts' });
    }
    // The table holds keyed hashes only: no email or address.
    const rows: { key: string }[] = await a.ds.query('SELECT key FROM login_failure');
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const { key } of rows) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(key).not.toContain('@');
    }
  });
});
