import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres, InstanceLockedError } from '../src/database/embedded-postgres';

/** Starts EmbeddedPostgres in another process (as `npm start` would) and waits for its URL. */
function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'embedded-child.js'), dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /URL (\S+)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
      if (out.includes('ERR ')) reject(new Error(out));
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

const exited = (child: ChildProcess) =>
  new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));

describe('embedded PostgreSQL (npm start without DATABASE_URL)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-embedded-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data across a clean restart', async () => {
    const a = new EmbeddedPostgres({ dataDir: dir, password: 'pw' });
    const url = await a.start();
    await query(url, 'CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
    await a.stop();
    const b = new EmbeddedPostgres({ dataDir: dir, password: 'pw' });
    const url2 = await b.start();
    expect(await query(url2, 'SELECT v FROM kept')).toEqual([{ v: 42 }]);
    await b.stop();
  });

  it('refuses a second instance on the same data folder with a clear message', async () => {
    const { child } = await startChild(dir);
    try {
      const second = new EmbeddedPostgres({ dataDir: dir, password: 'candor-test' });
      await expect(second.start()).rejects.toThrow(InstanceLockedError);
      await expect(second.start()).rejects.toThrow(
        /Another Candor instance \(pid \d+\) is already using the data folder/,
      );
    } finally {
      child.kill('SIGKILL');
      await exited(child);
      // Clean up the server the killed child left behind.
      const cleanup = new EmbeddedPostgres({ dataDir: dir, password: 'candor-test' });
      await cleanup.start();
      await cleanup.stop();
    }
  });

  it('recovers by itself after the app was killed (kill -9) and its PostgreSQL was left running', async () => {
    const { child, url } = await startChild(dir);
    await query(url, 'CREATE TABLE survived (v int); INSERT INTO survived VALUES (7)');
    child.kill('SIGKILL');
    await exited(child);
    // The orphaned server still answers on the old port.
    expect(await query(url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);

    const next = new EmbeddedPostgres({ dataDir: dir, password: 'candor-test' });
    const url2 = await next.start();
    try {
      expect(await query(url2, 'SELECT v FROM survived')).toEqual([{ v: 7 }]);
      await expect(query(url, 'SELECT 1')).rejects.toThrow(); // the orphan is gone
    } finally {
      await next.stop();
    }
  });
});
