import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Runs the built product the way a person does (`node dist/api/apps/api/src/main.js`), with
 * the demo organisation: on a fresh database on the DATABASE_URL server when set, else on an
 * embedded PostgreSQL in a temporary folder. Browser tests then drive Debian's Chromium.
 */
export const ROOT = resolve(__dirname, '../../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'screenshots');

export interface RunningApp {
  baseUrl: string;
  /** The app's database: a fresh one on the DATABASE_URL server, or the embedded server the app started. */
  databaseUrl: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? res() : rej(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

/**
 * The embedded server a running app started on its data folder: its port in runtime.json, the
 * generated password in secrets.json (for tests that look at or change the database directly).
 */
function embeddedDatabaseUrl(dataDir: string): string {
  const { port } = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as { port: number };
  const { dbPassword } = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as {
    dbPassword: string;
  };
  return `postgres://postgres:${encodeURIComponent(dbPassword)}@127.0.0.1:${port}/postgres`;
}

export async function startApp(): Promise<RunningApp> {
  const main = join(ROOT, 'dist/api/apps/api/src/main.js');
  if (!existsSync(main) || !existsSync(join(ROOT, 'dist/web/index.html'))) {
    throw new Error('Build first: npm run build (npm run test:browser does it)');
  }
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'development',
  };
  const cleanups: (() => Promise<void>)[] = [];
  /** Embedded PostgreSQL: the app's data folder (its server's URL is known once the app runs). */
  let dataDir: string | null = null;

  if (process.env.DATABASE_URL) {
    const name = `candor_e2e_${Date.now().toString(36)}`;
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();

    await run(process.execPath, [join(ROOT, 'dist/api/apps/api/src/cli/seed-demo.js')], env);
    cleanups.push(async () => {
      const c = new Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    });
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'candor-e2e-'));
    env.CANDOR_DATA_DIR = dir;
    dataDir = dir;
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  }

  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`app did not become healthy in 120 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 500));
  }

  return {
    baseUrl,
    databaseUrl: dataDir === null ? env.DATABASE_URL! : embeddedDatabaseUrl(dataDir),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      for (const c of cleanups.reverse()) await c();
    },
  };
}

export async function launchBrowser(): Promise<{ browser: Browser; dispose(): Promise<void> }> {
  const browser = await chromium.launch({
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
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    browser,
    async dispose() {
      // playwright gives every launch a fresh, temporary profile and removes it on close.
      await browser.close();
    },
  };
}

/** GET an API path as the signed-in page (with its session cookie), parsed as JSON. */
export async function apiGet<T>(page: Page, path: string): Promise<T> {
  return (await page.evaluate((url) => fetch(url).then((r) => r.json()), path)) as T;
}

export interface DemoApp {
  readonly app: RunningApp;
  readonly browser: Browser;
  /** Signs in through the login form with the demo password. */
  signIn(page: Page, email: string): Promise<void>;
}

/**
 * For one test file: starts the built app on demo data and Chromium before its tests, stops both
 * after them.
 */
export function useDemoApp(): DemoApp {
  const state: { app?: RunningApp; browser?: Browser; dispose?: () => Promise<void> } = {};
  beforeAll(async () => {
    state.app = await startApp();
    const launched = await launchBrowser();
    state.browser = launched.browser;
    state.dispose = launched.dispose;
  }, 180_000);
  afterAll(async () => {
    await state.dispose?.();
    await state.app?.stop();
  });
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started (useDemoApp's beforeAll failed?)`);
    return value;
  };
  return {
    get app() {
      return need(state.app, 'the app');
    },
    get browser() {
      return need(state.browser, 'the browser');
    },
    async signIn(page: Page, email: string) {
      await page.goto(`${need(state.app, 'the app').baseUrl}/login`);
      await page.getByLabel('Work email').fill(email);
      await page.getByLabel('Password').fill('candor-demo');
      await page.getByRole('button', { name: 'Sign in' }).click();
    },
  };
}
