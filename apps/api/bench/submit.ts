/**
 * `npm run bench:submit` — sustained anonymous submissions per second over HTTP, with zero loss,
 * against what PostgreSQL itself reaches for the same transaction. A benchmark, not a test.
 *
 * 1. A scratch database (on the server in DATABASE_URL, else embedded PostgreSQL), one team, one
 *    open cycle, and one signed survey token per submission (minted with the cycle's key, as the
 *    durability test does; the browser's blinding is measured by bench:tokens, not here).
 * 2. The real app in its own process (dist/api/apps/api/src/main.js, NODE_ENV=production, so
 *    PostgreSQL must have fsync and synchronous_commit on; JSON request logs to /dev/null), driven
 *    by autocannon over loopback with `--connections` connections, every request a new token.
 *    Afterwards every 201 must be in the database — a spent token with its sealed answers.
 * 3. pgbench with the same client count, running the very statement a submission sends
 *    (`SUBMIT_SQL`: lock the cycle FOR SHARE; count the token's rate limit; spend the token with its
 *    sealed answers), with fresh values of the same sizes per transaction, over the extended
 *    protocol like node-postgres.
 * Runs alternate app and pgbench `--runs` times and reports medians and the ratio (target ≥ 0.5).
 *
 * Options: --tokens 8000 (submissions per HTTP run), --connections 16, --seconds 15 (pgbench run),
 * --runs 3. Run: `npm run bench:submit`. BENCH_APP_NODE_FLAGS (space-separated) are passed to the
 * app's Node process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it under the load.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { constants, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ConsoleLogger } from '@nestjs/common';
import { loadConfig } from '../src/config/config';
import { createApp } from '../src/create-app';
import { createDataSource } from '../src/database/data-source';
import { createScratchDatabase } from '../src/database/scratch-database';
import { freePort } from '../src/database/embedded-postgres';
import { SUBMIT_SQL } from '../src/responses/response.service';
import { CycleService } from '../src/surveys/cycle.service';
import { arg } from './bench-db';

const TOKENS = arg('tokens', 8000);
/** One key-encryption key for the setup and the app process, so the app can seal for the cycle. */
const SEALING_KEYS = `bench:${randomBytes(32).toString('base64')}`;
const CONNECTIONS = arg('connections', 16);
const PG_SECONDS = arg('seconds', 15);
const RUNS = arg('runs', 3);
const WARM_UP = 2000;
const ANSWERS = { ps1: 4, ps2: 5, ps3: 3, ps4: 6, ps5: 2, ps6: 7, ps7: 1 };
const PGBENCH = ['/usr/lib/postgresql/15/bin/pgbench', '/usr/bin/pgbench'].find(
  (p) => spawnSync(p, ['--version']).status === 0,
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** One team with an open cycle; returns its id and private key. */
async function openCycle(url: string): Promise<{ cycleId: string; privateKey: string }> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    CANDOR_SEALING_KEYS: SEALING_KEYS,
    CANDOR_WEB_DIR: '/nonexistent',
  });
  const app = await createApp({
    config,
    databaseUrl: url,
    logger: new ConsoleLogger('Bench', { logLevels: ['error', 'warn'] }),
  });
  await app.init();
  try {
    const ds = createDataSource(url);
    await ds.initialize();
    const [group]: { id: string }[] = await ds.query(
      `INSERT INTO org_group (name) VALUES ('Bench') RETURNING id`,
    );
    const [team]: { id: string }[] = await ds.query(
      `INSERT INTO team (name, group_id) VALUES ('Bench', $1) RETURNING id`,
      [group!.id],
    );
    await ds.destroy();
    const cycle = await app.get(CycleService).open({
      teamId: team!.id,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - 3_600_000),
      closesAt: new Date(Date.now() + 6 * 3_600_000),
      k: 5,
    });
    return { cycleId: cycle.id, privateKey: cycle.privateKeyPkcs8! };
  } finally {
    await app.close();
  }
}

function mintTokens(privateKey: string, count: number): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const token = randomBytes(64);
    const signature = sign('sha384', token, {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 48,
    });
    bodies.push(token.toString('base64url') + '.' + signature.toString('base64url'));
  }
  return bodies;
}

async function startApp(url: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  // The build (dist/api/…/main.js) as `npm run bench:submit` runs it; from source (apps/api/…/main.ts
  // through the SWC require hook) when this file itself was started that way.
  const built = join(__dirname, '../src/main.js');
  const args = existsSync(built)
    ? [built]
    : ['-r', join(__dirname, '../test/fixtures/swc-register.js'), join(__dirname, '../src/main.ts')];
  const flags = (process.env.BENCH_APP_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, ...args], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      CANDOR_SEALING_KEYS: SEALING_KEYS,
      CANDOR_WEB_DIR: '/nonexistent',
      SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'log',
      // Every request comes from one loopback address: no per-address limit here.
      RATE_LIMIT_SUBMIT_PER_ADDRESS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    const ok = await fetch(`${base}/api/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, base };
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function httpRun(
  base: string,
  appPid: number,
  cycleId: string,
  tokens: string[],
): Promise<{
  rate: number;
  ok: number;
  other: number;
  errors: number;
  p50: number;
  p99: number;
  appCpuMs: number;
}> {
  let next = 0;
  const cpu0 = cpuSeconds(appPid);
  const t0 = performance.now();
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    amount: tokens.length,
    requests: [
      {
        method: 'POST',
        path: '/api/responses',
        setupRequest: (req) => {
          const [token, signature] = tokens[next++]!.split('.');
          return {
            ...req,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              cycleId,
              instrument: 'psych-safety@1',
              token,
              signature,
              answers: ANSWERS,
            }),
          };
        },
      },
    ],
  });
  const seconds = (performance.now() - t0) / 1000;
  const appCpuMs = ((cpuSeconds(appPid) - cpu0) * 1000) / tokens.length;
  const ok = result['2xx'];
  return {
    rate: ok / seconds,
    ok,
    other: result.non2xx,
    errors: result.errors + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    appCpuMs,
  };
}

/**
 * pgbench's values for SUBMIT_SQL's parameters, fresh per transaction and of the app's sizes: the
 * cycle; token hash, digest and receipt id; now; the 40-byte sealed answers (psych-safety@1);
 * and the one counter the app charges here (`submitPerToken`: a keyed hash of the token, one-minute
 * window, limit 10 — the per-address limit is off because every request comes from loopback).
 */
const PGBENCH_VALUES: Record<number, string> = {
  1: ':cycle',
  2: 'sha256(gen_random_uuid()::text::bytea)',
  3: 'sha256(gen_random_uuid()::text::bytea)',
  4: 'gen_random_uuid()',
  5: 'now()',
  6: 'sha256(gen_random_uuid()::text::bytea) || substring(sha256(gen_random_uuid()::text::bytea) FROM 1 FOR 8)',
  7: `ARRAY['submitPerToken:' || rtrim(translate(encode(sha256(gen_random_uuid()::text::bytea), 'base64'), '+/', '-_'), '=')]`,
  8: 'ARRAY[(extract(epoch FROM now()) * 1000)::bigint + 60000]',
  9: '(extract(epoch FROM now()) * 1000)::bigint',
  10: 'ARRAY[10]',
};

/** SUBMIT_SQL as a pgbench script, its parameters replaced by the values above. */
function pgbenchScript(): string {
  const sql = SUBMIT_SQL.replace(/\$(\d+)/g, (_, n: string) => {
    const value = PGBENCH_VALUES[Number(n)];
    if (!value) throw new Error(`SUBMIT_SQL has parameter $${n}, which the benchmark does not fill`);
    return `(${value})`;
  });
  const path = join(mkdtempSync(join(tmpdir(), 'candor-bench-submit-')), 'submit.sql');
  writeFileSync(path, `${sql.replace(/\s+/g, ' ').trim()};\n`);
  return path;
}

function pgbenchRun(
  url: string,
  cycleId: string,
  script: string,
): { tps: number; processed: number; failed: number } {
  const out = spawnSync(
    PGBENCH!,
    [
      '-n',
      '-M',
      'extended',
      '-c',
      String(CONNECTIONS),
      '-j',
      String(Math.min(CONNECTIONS, cpus().length)),
      '-T',
      String(PG_SECONDS),
      '-D',
      `cycle=${cycleId}`,
      '-f',
      script,
      url,
    ],
    { encoding: 'utf8' },
  );
  if (out.status !== 0) throw new Error(`pgbench failed: ${out.stderr}`);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out.stdout);
  const processed = /number of transactions actually processed: (\d+)/.exec(out.stdout);
  const failed = /number of failed transactions: (\d+)/.exec(out.stdout);
  if (!tps || !processed) throw new Error(`unexpected pgbench output:\n${out.stdout}`);
  return { tps: Number(tps[1]), processed: Number(processed[1]), failed: Number(failed?.[1] ?? 0) };
}

async function counts(url: string, cycleId: string): Promise<{ responses: number; spent: number }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query<{ responses: number; spent: number }>(
    // Answers stored: sealed on the spent token while the cycle is open (issue 12), rows after close.
    `SELECT ((SELECT count(*) FROM response WHERE cycle_id = $1)
             + (SELECT count(*) FROM spent_token WHERE cycle_id = $1 AND sealed_answers IS NOT NULL))::int AS responses,
            (SELECT count(*) FROM spent_token WHERE cycle_id = $1)::int AS spent`,
    [cycleId],
  );
  await c.end();
  return rows[0]!;
}

async function main(): Promise<void> {
  if (!PGBENCH) throw new Error('pgbench not found (apt-get install postgresql-contrib)');
  const script = pgbenchScript();
  const db = await createScratchDatabase('candor_bench_submit');
  let app: ChildProcess | undefined;
  try {
    const migrator = createDataSource(db.url);
    await migrator.initialize();
    await migrator.runMigrations();
    const [settings]: { fsync: string; sync: string }[] = await migrator.query(
      `SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync`,
    );
    await migrator.destroy();
    const { cycleId, privateKey } = await openCycle(db.url);
    process.stderr.write(`minting ${TOKENS * RUNS + WARM_UP} tokens…\n`);
    const tokens = mintTokens(privateKey, TOKENS * RUNS + WARM_UP);

    const started = await startApp(db.url);
    app = started.child;
    await httpRun(started.base, app.pid!, cycleId, tokens.slice(0, WARM_UP)); // warm-up (JIT, pool)
    const http: Awaited<ReturnType<typeof httpRun>>[] = [];
    const pg: ReturnType<typeof pgbenchRun>[] = [];
    const loads: string[] = [];
    let acknowledged = WARM_UP;
    for (let r = 0; r < RUNS; r++) {
      const before = await counts(db.url, cycleId);
      loads.push(load());
      const h = await httpRun(
        started.base,
        app.pid!,
        cycleId,
        tokens.slice(WARM_UP + r * TOKENS, WARM_UP + (r + 1) * TOKENS),
      );
      acknowledged += h.ok;
      const after = await counts(db.url, cycleId);
      if (h.other > 0 || h.errors > 0)
        throw new Error(`HTTP run ${r + 1}: ${h.other} non-2xx, ${h.errors} errors`);
      if (after.responses - before.responses !== h.ok || after.spent - before.spent !== h.ok)
        throw new Error(
          `HTTP run ${r + 1}: ${h.ok} acknowledged but ${after.responses - before.responses} stored`,
        );
      http.push(h);
      process.stderr.write(
        `HTTP run ${r + 1}: ${h.rate.toFixed(0)}/s, app CPU ${h.appCpuMs.toFixed(2)} ms per submission, ${h.ok} stored (load ${loads[r]})\n`,
      );

      const pgBefore = await counts(db.url, cycleId);
      const p = pgbenchRun(db.url, cycleId, script);
      const pgAfter = await counts(db.url, cycleId);
      if (p.failed > 0 || pgAfter.responses - pgBefore.responses !== p.processed)
        throw new Error(`pgbench run ${r + 1}: ${p.failed} failed, ${p.processed} processed`);
      pg.push(p);
      process.stderr.write(`pgbench run ${r + 1}: ${p.tps.toFixed(0)} tps\n`);
    }
    const final = await counts(db.url, cycleId);

    const appRate = median(http.map((h) => h.rate));
    const pgRate = median(pg.map((p) => p.tps));
    const cpu = cpus();
    const lines = [
      `Submission throughput — ${new Date().toISOString()}, ${cpu.length} × ${cpu[0]?.model.trim()}, ` +
        `${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, PostgreSQL fsync=${settings!.fsync} ` +
        `synchronous_commit=${settings!.sync}, load average before each run: ${loads.join(' | ')}`,
      '',
      `| measure (${CONNECTIONS} concurrent clients, median of ${RUNS}) | per second | runs | notes |`,
      '|---|---|---|---|',
      `| app: POST /api/responses over HTTP | ${appRate.toFixed(0)} | ${http.map((h) => h.rate.toFixed(0)).join(', ')} | ` +
        `${TOKENS} submissions per run, p50 ${median(http.map((h) => h.p50))} ms, p99 ${median(http.map((h) => h.p99))} ms, ` +
        `app process CPU ${median(http.map((h) => h.appCpuMs)).toFixed(2)} ms per submission, 0 lost |`,
      `| PostgreSQL: the same transaction with pgbench | ${pgRate.toFixed(0)} | ${pg.map((p) => p.tps.toFixed(0)).join(', ')} | ` +
        `${PG_SECONDS} s per run, extended protocol, 0 failed |`,
      `| ratio app / PostgreSQL | ${(appRate / pgRate).toFixed(2)} | | target ≥ 0.5 |`,
      '',
      `Stored: ${final.responses} responses = ${final.spent} spent tokens = ${acknowledged} acknowledged + ` +
        `${pg.reduce((a, p) => a + p.processed, 0)} pgbench transactions.`,
    ];
    // The result table is the output of this command.
    console.log(lines.join('\n'));
  } finally {
    if (app && app.exitCode === null) {
      const exited = new Promise((r) => app!.once('exit', r));
      app.kill('SIGTERM');
      await exited;
    }
    await db.dispose();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
