/**
 * Dashboard benchmark: time from navigation to the first rendered chart for a team with 104
 * closed cycles, in headless Chromium on localhost. Not a test: `npm run bench:web` prints the
 * figures to put in docs/benchmarks.md ("## Dashboard").
 *
 * 1. Creates a fresh database on the PostgreSQL server of DATABASE_URL (default
 *    postgres://postgres@127.0.0.1:5432/postgres) and seeds the demo organisation.
 * 2. Gives the demo team Checkout 104 closed weekly psych-safety cycles: its 26 seeded closed
 *    cycles are copied three times, each copy 26 weeks earlier, with their cycle_stats rows
 *    (bench/extend-cycles.sql).
 * 3. Starts the built app, signs the demo lead in, and loads /teams/<Checkout> RUNS times in a
 *    fresh browser context (empty HTTP cache, session cookie only) and RUNS times in a warm one.
 *    The page records performance.now() — milliseconds since navigation start — when the first
 *    chart's mean line is in the DOM, plus the cumulative layout shift up to then.
 */
/* global window, document, MutationObserver -- PROBE and the waits run in the page */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { summariseTrace } from './trace-summary.mjs';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '../../..');
const RUNS = Number(process.env.RUNS ?? 15);
/** PROFILE=n: after the timed runs, n more fresh-context loads under a Chromium performance trace. */
const PROFILES = Number(process.env.PROFILE ?? 0);
/** BENCH_DIST: a private copy of dist/ to run from, so that others' builds cannot change it mid-run. */
const DIST = resolve(process.env.BENCH_DIST ?? join(ROOT, 'dist'));
const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

const run = (args, env) =>
  new Promise((res, rej) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? res() : rej(new Error(`${args.join(' ')} exited ${code}`))));
  });

async function query(url, sql, params = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95), min: sorted[0], max: sorted.at(-1) };
};

// Runs in the page before any of its scripts.
const PROBE = () => {
  window.__cls = 0;
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      window.__cls += entry.value;
      // What moved, for finding the cause: element, class and vertical move.
      if (!window.__firstChart)
        for (const source of entry.sources ?? [])
          window.__shifts.push(
            `${source.node?.nodeName ?? '?'}.${(source.node?.className?.baseVal ?? source.node?.className ?? '').toString().split(' ')[0]} ${Math.round(source.previousRect.y)}→${Math.round(source.currentRect.y)} (${entry.value.toFixed(4)})`,
          );
    }
  }).observe({ type: 'layout-shift', buffered: true });
  const check = () => {
    if (window.__firstChart) return;
    if (document.querySelector('figure .recharts-line-curve')) {
      window.__firstChart = performance.now();
      window.__clsAtChart = window.__cls;
      performance.mark('first-chart');
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
};

async function main() {
  const loadAtStart = loadavg();
  const name = `candor_bench_web_${Date.now().toString(36)}`;
  await query(SERVER, `CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'development',
    CANDOR_WEB_DIR: join(DIST, 'web'),
  };
  let app;
  let browser;
  try {
    process.stdout.write('seeding the demo organisation… ');
    await run([join(DIST, 'api/apps/api/src/cli/seed-demo.js')], env);
    const [{ team_id: teamId, cycles }] = await query(
      dbUrl,
      readFileSync(join(here, 'extend-cycles.sql'), 'utf8'),
    );
    console.log(`Checkout now has ${cycles} closed psych-safety cycles`);

    app = spawn(process.execPath, [join(DIST, 'api/apps/api/src/main.js')], {
      cwd: ROOT,
      env,
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        // not yet listening
      }
      if (i > 240) throw new Error('app did not start');
      await new Promise((r) => setTimeout(r, 500));
    }

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const viewport = { width: 1440, height: 900 };
    const login = await browser.newContext({ viewport });
    const response = await login.request.post(`${base}/api/auth/login`, {
      data: { email: 'lead@example.com', password: 'candor-demo' },
    });
    if (!response.ok()) throw new Error(`sign-in failed: ${response.status()}`);
    const cookies = await login.cookies();
    const trend = await (
      await login.request.get(`${base}/api/teams/${teamId}/trend?instrument=psych-safety`)
    ).json();
    if (trend.points.length !== 104)
      throw new Error(`expected 104 cycles, the API returned ${trend.points.length}`);
    const page = `${base}/teams/${teamId}`;

    const measure = async (context) => {
      const tab = await context.newPage();
      await tab.goto(page);
      try {
        await tab.waitForFunction(() => window.__firstChart !== undefined, null, { timeout: 30_000 });
      } catch (error) {
        console.error((await tab.locator('body').innerText()).slice(0, 600));
        throw error;
      }
      const result = await tab.evaluate(() => {
        // Resource timing of what the first chart needs: when each arrived, and for the trend
        // request how long the server took (request sent → first byte).
        const resources = performance.getEntriesByType('resource');
        const find = (re) => resources.find((r) => re.test(r.name));
        const trend = find(/\/api\/teams\/[^/]+\/trend\?instrument=psych-safety/);
        const me = find(/\/api\/auth\/me/);
        const scripts = resources.filter((r) => /\.js$/.test(r.name));
        return {
          ms: window.__firstChart,
          cls: window.__clsAtChart,
          shifts: window.__shifts,
          trendStart: trend?.startTime ?? null,
          trendEnd: trend?.responseEnd ?? null,
          trendServer: trend ? trend.responseStart - trend.requestStart : null,
          meStart: me?.startTime ?? null,
          meEnd: me?.responseEnd ?? null,
          scriptsEnd: Math.max(
            0,
            ...scripts.filter((r) => r.startTime < window.__firstChart).map((r) => r.responseEnd),
          ),
        };
      });
      await tab.close();
      return result;
    };

    // Warm-up: server, database and the OS file cache.
    const warm = await browser.newContext({ viewport });
    await warm.addCookies(cookies);
    await warm.addInitScript(PROBE);
    for (let i = 0; i < 3; i++) await measure(warm);

    const cold = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport });
      await context.addCookies(cookies);
      await context.addInitScript(PROBE);
      cold.push(await measure(context));
      await context.close();
    }
    const hot = [];
    for (let i = 0; i < RUNS; i++) hot.push(await measure(warm));

    const loadAtEnd = loadavg();

    const profiles = [];
    for (let i = 0; i < PROFILES; i++) {
      const context = await browser.newContext({ viewport });
      await context.addCookies(cookies);
      await context.addInitScript(PROBE);
      const tab = await context.newPage();
      await browser.startTracing(tab, {
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'v8.execute',
          'blink.user_timing',
          'loading',
          'disabled-by-default-v8.cpu_profiler',
        ],
      });
      await tab.goto(page);
      await tab.waitForFunction(() => window.__firstChart !== undefined, null, { timeout: 30_000 });
      const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
      profiles.push(summariseTrace(trace, join(DIST, 'web')));
      await context.close();
    }

    const coldStats = stats(cold.map((r) => r.ms));
    const hotStats = stats(hot.map((r) => r.ms));
    const maxCls = Math.max(...cold.map((r) => r.cls), ...hot.map((r) => r.cls));
    const fmt = (s) =>
      `median ${(s.median / 1000).toFixed(2)} s, p95 ${(s.p95 / 1000).toFixed(2)} s (min ${(s.min / 1000).toFixed(2)}, max ${(s.max / 1000).toFixed(2)})`;
    console.log(`\nTeam page with 104 cycles, navigation → first chart, ${RUNS} runs each:`);
    console.log(`  fresh context (empty cache): ${fmt(coldStats)}`);
    console.log(`  warm context (cached JS):    ${fmt(hotStats)}`);
    console.log(`  cumulative layout shift up to the first chart: at most ${maxCls.toFixed(4)}`);
    const shifted = [...new Set([...cold, ...hot].flatMap((r) => r.shifts ?? []))];
    if (shifted.length > 0)
      console.log(`  what moved before the first chart: ${shifted.slice(0, 6).join('; ')}`);
    console.log(`  target ≤ 1.5 s: ${coldStats.p95 <= 1500 ? 'met' : 'NOT met'} (p95, fresh context)`);
    const part = (key) => stats(cold.map((r) => r[key]).filter((v) => v !== null));
    const ms = (v) => `${Math.round(v)} ms`;
    console.log(
      `  fresh context, medians: trend request sent at ${ms(part('trendStart').median)}, complete at ${ms(part('trendEnd').median)} (server time ${ms(part('trendServer').median)}), /api/auth/me sent at ${ms(part('meStart').median)}, complete at ${ms(part('meEnd').median)}, last script needed at ${ms(part('scriptsEnd').median)}`,
    );
    for (const [i, p] of profiles.entries()) {
      console.log(`\nProfiled load ${i + 1} (traced, so slower): first chart at ${p.firstChartMs} ms`);
      console.log('  main thread, navigation → first chart (ms):', JSON.stringify(p.kinds));
      console.log(`  JavaScript by source (ms, ${p.sampledMs} ms sampled):`, JSON.stringify(p.sources));
    }
    const version = browser.version();
    // Other processes compete for the same cores: the 1-minute load average at the end of the runs.
    console.log(
      `  load average at the end of the timed runs: ${loadAtEnd.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min; ${cpus().length} cores); at the start: ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}`,
    );
    console.log(
      `\nMachine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, Chromium ${version}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    );
  } finally {
    await browser?.close();
    if (app && app.exitCode === null) {
      const exited = new Promise((r) => app.once('exit', r));
      app.kill('SIGTERM');
      await exited;
    }
    await query(SERVER, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
