import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../src/database/embedded-postgres';
import { testDatabaseUrl } from './test-app';

const ROOT = join(__dirname, '../../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The real app (`main.ts` run from source) in its own process, on the test database. */
export interface AppProcess {
  base: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; at: number }>;
  /** SIGKILL if still running (tests that do not test shutdown). */
  kill(): void;
}

/**
 * Starts `main.ts` with the test database and `env` on top of test defaults (scheduler off, no
 * web app, a fresh JWT secret unless given), and waits until `/api/health/ready` answers 200.
 */
export async function startAppProcess(env: Record<string, string> = {}): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', join(__dirname, 'fixtures', 'swc-register.js'), join(ROOT, 'apps/api/src/main.ts')],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: testDatabaseUrl(),
        JWT_SECRET: randomBytes(32).toString('hex'),
        CANDOR_WEB_DIR: '/nonexistent',
        SCHEDULER_ENABLED: 'false',
        LOG_LEVEL: 'log',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, at: Date.now() })),
  );
  const base = `http://127.0.0.1:${port}`;
  for (let ready = false; !ready;) {
    if (child.exitCode !== null) throw new Error(`the app exited early:\n${stdout}\n${stderr}`);
    ready = await fetch(`${base}/api/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (!ready) await sleep(200);
  }
  return {
    base,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
