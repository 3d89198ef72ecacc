/**
 * `npm run bench:tokens` — how fast Candor issues blind-signed tokens. A benchmark, not a test.
 *
 * 1. Blind-sign throughput on one core: RFC 9474 BlindSign as the server runs it
 *    (`blindSign`: OpenSSL's raw RSA private operation via crypto.privateDecrypt with
 *    RSA_NO_PADDING, plus the required s^e mod n = m check), 2048-bit keys.
 * 2. The same on every core (worker threads), to show it scales per core.
 * 3. End to end over HTTP on loopback: POST /api/cycles/:id/tokens with autocannon, every request
 *    a different invited person (own JWT, own random blinded message), against real PostgreSQL.
 *
 * Needs DATABASE_URL (a PostgreSQL server; a scratch database is created and dropped), or runs
 * the embedded PostgreSQL without it. Prints a Markdown table for docs/benchmarks.md.
 * Run: `npm run bench:tokens` (builds the API and apps/api/bench/*.ts with SWC, then runs
 * dist/api/apps/api/bench/tokens.js). BENCH_SIGN_SECONDS, BENCH_PEOPLE, BENCH_CONNECTIONS tune it.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { constants, privateDecrypt, randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { ConsoleLogger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { loadConfig } from '../src/config/config';
import { createApp } from '../src/create-app';
import { createDataSource } from '../src/database/data-source';
import { createScratchDatabase } from '../src/database/scratch-database';
import { blindSign, generateCycleKeyPair, type CycleKeyPair } from '../src/responses/blind-signing';
import { CycleService } from '../src/surveys/cycle.service';

const SIGN_SECONDS = Number(process.env.BENCH_SIGN_SECONDS ?? 5);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 4000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

/** A uniformly random value below the modulus: what a browser's blinded message looks like. */
function blindedMessages(keys: CycleKeyPair, count: number): Buffer[] {
  const top = Buffer.from(keys.publicKeySpki, 'base64')[33]!; // first byte of n in a 2048-bit SPKI
  return Array.from({ length: count }, () => {
    const b = randomBytes(256);
    b[0] = b[0]! % top;
    return b;
  });
}

/** The same raw RSA operation with the key given as PEM on every call (parsed each time). */
function pemSignLoop(keys: CycleKeyPair, seconds: number): number {
  const messages = blindedMessages(keys, 100);
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 20; i++) {
      privateDecrypt(
        { key: keys.privateKeyPkcs8, padding: constants.RSA_NO_PADDING },
        messages[(n + i) % 100]!,
      );
    }
    n += 20;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** Signs for `seconds` on this thread with the server's blindSign; returns signatures per second. */
function signLoop(keys: CycleKeyPair, seconds: number): number {
  const messages = blindedMessages(keys, 1000);
  for (let i = 0; i < 50; i++) blindSign(keys.privateKeyPkcs8, keys.publicKeySpki, messages[i]!); // warm-up
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < end) {
    for (let i = 0; i < 100; i++)
      blindSign(keys.privateKeyPkcs8, keys.publicKeySpki, messages[(n + i) % 1000]!);
    n += 100;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

async function signOnAllCores(keys: CycleKeyPair, threads: number): Promise<number> {
  const rates = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(__filename, { workerData: { keys, seconds: SIGN_SECONDS } });
          w.once('message', (rate: number) => resolve(rate));
          w.once('error', reject);
        }),
    ),
  );
  return rates.reduce((a, b) => a + b, 0);
}

async function httpTokenIssue(): Promise<{
  rate: number;
  p50: number;
  p99: number;
  errors: number;
  non200: number;
  issued: number;
}> {
  const db = await createScratchDatabase('candor_bench_tokens');
  try {
    const migrator = createDataSource(db.url);
    await migrator.initialize();
    await migrator.runMigrations();
    await migrator.destroy();

    const config = {
      ...loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        JWT_SECRET: randomBytes(32).toString('hex'),
        CANDOR_SEALING_KEYS: `bench:${randomBytes(32).toString('base64')}`,
        CANDOR_WEB_DIR: '/nonexistent',
        // Every simulated person calls from loopback: the per-address limit would turn most of
        // the run into 429s. The per-person limit stays on.
        RATE_LIMIT_TOKEN_PER_ADDRESS: '0',
      }),
      scheduler: { enabled: false },
    };
    const app = await createApp({
      config,
      databaseUrl: db.url,
      logger: new ConsoleLogger('Bench', { logLevels: ['error', 'warn'] }),
    });
    const server = (await app.listen(0, '127.0.0.1')) as Server;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ds = createDataSource(db.url);
      await ds.initialize();
      const [group] = await ds.query(`INSERT INTO org_group (name) VALUES ('Bench') RETURNING id`);
      const [team] = await ds.query(`INSERT INTO team (name, group_id) VALUES ('Bench', $1) RETURNING id`, [
        group.id,
      ]);
      const users: { id: string }[] = await ds.query(
        `INSERT INTO app_user (email, name) SELECT 'bench-' || g || '-' || $1 || '@bench.example', 'Bench ' || g
           FROM generate_series(1, $2) g RETURNING id`,
        [randomUUID().slice(0, 8), PEOPLE],
      );
      await ds.query(
        `INSERT INTO membership (user_id, team_id, role) SELECT u, $1, 'member' FROM unnest($2::uuid[]) u`,
        [team.id, users.map((u) => u.id)],
      );
      const cycle = await app.get(CycleService).open({
        teamId: team.id,
        instrument: 'psych-safety@1',
        opensAt: new Date(Date.now() - 3_600_000),
        closesAt: new Date(Date.now() + 3_600_000),
        k: 5,
      });
      const jwt = app.get(JwtService);
      const keys = { publicKeySpki: cycle.publicKeySpki, privateKeyPkcs8: cycle.privateKeyPkcs8! };
      const messages = blindedMessages(keys, PEOPLE);
      const bodies = users.map((u, i) => ({
        authorization: `Bearer ${jwt.sign({ sub: u.id, ver: 0 })}`,
        body: JSON.stringify({ blindedMessage: messages[i]!.toString('base64url') }),
      }));
      // Every request is a different person (autocannon would otherwise replay one list per connection).
      let next = 0;
      const run = (amount: number, connections: number) =>
        autocannon({
          url,
          connections,
          amount,
          requests: [
            {
              method: 'POST',
              path: `/api/cycles/${cycle.id}/tokens`,
              setupRequest: (req) => {
                const b = bodies[next++ % bodies.length]!;
                return {
                  ...req,
                  headers: { 'content-type': 'application/json', authorization: b.authorization },
                  body: b.body,
                };
              },
            },
          ],
        });
      await run(200, 4); // warm-up
      const result = await run(PEOPLE - 200, CONNECTIONS);
      const [issued] = await ds.query('SELECT count(*)::int AS n FROM token_issue WHERE cycle_id = $1', [
        cycle.id,
      ]);
      await ds.destroy();
      return {
        rate: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors,
        non200: result.non2xx,
        issued: issued.n,
      };
    } finally {
      await app.close();
    }
  } finally {
    await db.dispose();
  }
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  const keys = await generateCycleKeyPair();
  const one = signLoop(keys, SIGN_SECONDS);
  const pem = pemSignLoop(keys, SIGN_SECONDS);
  const all = await signOnAllCores(keys, cores);
  const http = await httpTokenIssue();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Machine: ${cores} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| measure | result |',
    '|---|---|',
    `| blind signatures, 1 core (RSA-2048, OpenSSL, with the RFC 9474 check) | ${Math.round(one).toLocaleString('en')} /s |`,
    `| the same, key parsed from PEM on every call (before the key cache), 1 core, no check | ${Math.round(pem).toLocaleString('en')} /s |`,
    `| blind signatures, ${cores} cores (${cores} worker threads) | ${Math.round(all).toLocaleString('en')} /s |`,
    `| POST /api/cycles/:id/tokens over HTTP (${CONNECTIONS} connections, ${PEOPLE - 200} people, each a new issue) | ${Math.round(http.rate).toLocaleString('en')} req/s, p50 ${http.p50} ms, p99 ${http.p99} ms |`,
    `| errors / non-2xx / token_issue rows | ${http.errors} / ${http.non200} / ${http.issued} |`,
  ];
  // The result table is the output of this command.
  console.log(lines.join('\n'));
}

if (isMainThread) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  const { keys, seconds } = workerData as { keys: CycleKeyPair; seconds: number };
  parentPort!.postMessage(signLoop(keys, seconds));
}
