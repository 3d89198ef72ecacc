/**
 * `npm run bench` — p50/p95 of the team trend (104 cycles) and of a 500-team group comparison over
 * HTTP against the data of `npm run bench:data`, then CycleService.close throughput.
 * Options: --samples 300 (sequential requests per endpoint), --seconds 10 (autocannon run),
 * --close 10000 (cycles closed by closeMany, 10 responses each).
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { type AddressInfo } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { createApp } from '../src/create-app';
import { CycleService } from '../src/surveys/cycle.service';
import { arg, BENCH_PASSWORD, benchUrl, CLOSE_BATCH, DIRECTOR_EMAIL } from './bench-db';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function sample(
  url: string,
  token: string,
  n: number,
): Promise<{ p50: number; p95: number; max: number; bytes: number }> {
  const headers = { Authorization: `Bearer ${token}` };
  let bytes = 0;
  for (let i = 0; i < 20; i++) await (await fetch(url, { headers })).arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    const body = await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${url} → ${res.status}`);
    bytes = body.byteLength;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1]!, bytes };
}

async function load(url: string, token: string, seconds: number) {
  const r = await autocannon({
    url,
    connections: 8,
    duration: seconds,
    headers: { Authorization: `Bearer ${token}` },
  });
  return { rps: r.requests.average, p50: r.latency.p50, p97_5: r.latency.p97_5, non2xx: r.non2xx };
}

async function main(): Promise<void> {
  const samples = arg('samples', 300);
  const seconds = arg('seconds', 10);
  const closeCount = arg('close', 10_000);
  const url = benchUrl();
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    CANDOR_WEB_DIR: '/nonexistent',
    SCHEDULER_ENABLED: 'false',
    CANDOR_DEMO: 'off',
  });
  const app = await createApp({ config, databaseUrl: url, logger: false });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
  const ds = app.get(DataSource);
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: DIRECTOR_EMAIL, password: BENCH_PASSWORD }),
  });
  const { accessToken: token } = (await login.json()) as { accessToken: string };

  const [{ responses }] = (await ds.query(`SELECT count(*)::int AS responses FROM response`)) as {
    responses: number;
  }[];
  const [team] = (await ds.query(
    `SELECT t.id, count(c.id)::int AS cycles FROM team t JOIN cycle c ON c.team_id = t.id
      WHERE t.name = 'Team 000000' GROUP BY t.id`,
  )) as { id: string; cycles: number }[];
  const [division] = (await ds.query(
    `SELECT g.id, count(t.id)::int AS teams FROM org_group g JOIN team t ON t.group_id = g.id
      WHERE g.name = 'Division 0' GROUP BY g.id`,
  )) as { id: string; teams: number }[];
  const [{ period }] = (await ds.query(
    `SELECT to_char(max(opens_at) AT TIME ZONE 'UTC', 'YYYY-MM') AS period FROM cycle WHERE team_id = $1`,
    [team!.id],
  )) as { period: string }[];
  console.log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
  );
  console.log(
    `data: ${responses} responses; trend team has ${team!.cycles} cycles; comparison group has ${division!.teams} teams (${period})`,
  );

  const trendUrl = `${base}/teams/${team!.id}/trend`;
  const compareUrl = `${base}/groups/${division!.id}/comparison?period=${period}`;
  for (const [name, u] of [
    ['team trend', trendUrl],
    ['group comparison', compareUrl],
  ] as const) {
    const s = await sample(u, token, samples);
    const l = await load(u, token, seconds);
    console.log(
      `${name}: sequential p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (${samples} requests, ${s.bytes} bytes); ` +
        `8 connections: ${l.rps.toFixed(0)} req/s, p50 ${l.p50} ms, p97.5 ${l.p97_5} ms, non-2xx ${l.non2xx}`,
    );
  }

  // Close: closeCount teams' open cycles with 10 responses and 10 spent tokens each, closed by
  // CycleService.closeMany in batches of CLOSE_BATCH (what the scheduler's tick does with every
  // expired cycle), then, for comparison, 500 more through close() one at a time.
  const [{ id: group }] = (await ds.query(
    `INSERT INTO org_group (name) VALUES ('Close bench') RETURNING id`,
  )) as { id: string }[];
  await ds.query(
    `INSERT INTO team (name, group_id) SELECT 'Close team ' || i, $1 FROM generate_series(1, $2) i`,
    [group, closeCount + 500],
  );
  const opened = (await ds.query(
    `INSERT INTO cycle (team_id, instrument_version, opens_at, closes_at, status, k, invited, public_key_spki, private_key_pkcs8)
     SELECT id, 'psych-safety@1', now() - interval '5 days', now(), 'open', 5, 12, 'bench', 'bench' FROM team WHERE group_id = $1
     RETURNING id`,
    [group],
  )) as { id: string }[];
  await ds.query(
    `INSERT INTO response (cycle_id, instrument_version, answers)
     SELECT c.id, 'psych-safety@1',
            jsonb_build_object('ps1', 1 + (g % 7), 'ps2', 1 + ((g * 3) % 7), 'ps3', 2, 'ps4', 6, 'ps5', 3, 'ps6', 5, 'ps7', 1 + ((g * 5) % 7))
       FROM unnest($1::uuid[]) c(id) CROSS JOIN generate_series(1, 10) g`,
    [opened.map((c) => c.id)],
  );
  await ds.query(
    `INSERT INTO spent_token (cycle_id, token_hash, submission_digest, receipt_id)
     SELECT c.id, decode(md5(random()::text) || md5(random()::text), 'hex'), decode(md5(random()::text), 'hex'), gen_random_uuid()
       FROM unnest($1::uuid[]) c(id) CROSS JOIN generate_series(1, 10)`,
    [opened.map((c) => c.id)],
  );
  await ds.query('VACUUM ANALYZE cycle, response, spent_token, cycle_stats');
  const cyclesService = app.get(CycleService);
  const many = opened.slice(0, closeCount).map((c) => c.id);
  let t0 = performance.now();
  let closedMany = 0;
  for (let i = 0; i < many.length; i += CLOSE_BATCH) {
    closedMany += (await cyclesService.closeMany(many.slice(i, i + CLOSE_BATCH))).length;
  }
  let secs = (performance.now() - t0) / 1000;
  console.log(
    `close: ${closedMany} cycles × 10 responses by closeMany in batches of ${CLOSE_BATCH}: ${secs.toFixed(2)} s = ${(closedMany / secs).toFixed(0)} cycles/s`,
  );
  const single = opened.slice(closeCount).map((c) => c.id);
  t0 = performance.now();
  for (const id of single) await cyclesService.close(id);
  secs = (performance.now() - t0) / 1000;
  console.log(
    `close: ${single.length} cycles × 10 responses by close() one at a time: ${secs.toFixed(2)} s = ${(single.length / secs).toFixed(0)} cycles/s → 10,000 ≈ ${((10_000 * secs) / single.length).toFixed(1)} s`,
  );
  // Leave the benchmark data as it was, so runs can be repeated on the same data.
  const closeCycles = `SELECT c.id FROM cycle c JOIN team t ON t.id = c.team_id WHERE t.group_id = $1`;
  await ds.query(`DELETE FROM response WHERE cycle_id IN (${closeCycles})`, [group]);
  await ds.query(`DELETE FROM spent_token WHERE cycle_id IN (${closeCycles})`, [group]);
  await ds.query(`DELETE FROM cycle_stats WHERE cycle_id IN (${closeCycles})`, [group]);
  await ds.query(`DELETE FROM cycle WHERE id IN (${closeCycles})`, [group]);
  await ds.query('DELETE FROM team WHERE group_id = $1', [group]);
  await ds.query('DELETE FROM org_group WHERE id = $1', [group]);
  await app.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
