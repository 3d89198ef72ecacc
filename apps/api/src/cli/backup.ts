/**
 * npm run backup [-- FILE]      pg_dump (custom format) of the Candor database, consistent while the app runs.
 * npm run restore -- FILE       pg_restore into DATABASE_URL (or the embedded database), which must be empty.
 * Needs the PostgreSQL client tools (pg_dump, pg_restore) of the server's major version or newer;
 * set PG_BIN to their folder if they are not on PATH. See docs/operations.md.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { ConfigError, loadConfig } from '../config/config';
import { commandDatabase } from './database-url';

function tool(name: string): string {
  return process.env.PG_BIN ? join(process.env.PG_BIN, name) : name;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new Error(`${cmd} not found: install the PostgreSQL client tools or set PG_BIN`)
          : err,
      ),
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}`))));
  });
}

export async function backup(url: string, file: string): Promise<void> {
  // --serializable-deferrable: a snapshot that is consistent even under concurrent writes.
  await run(tool('pg_dump'), [
    '--format=custom',
    '--serializable-deferrable',
    '--no-owner',
    `--file=${file}`,
    `--dbname=${url}`,
  ]);
}

export async function restore(url: string, file: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables: unknown[] = await client
      .query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' LIMIT 1`)
      .then((r) => r.rows);
    if (tables.length > 0)
      throw new Error('The target database is not empty: restore into a new, empty database');
  } finally {
    await client.end();
  }
  await run(tool('pg_restore'), [
    '--no-owner',
    '--exit-on-error',
    '--single-transaction',
    `--dbname=${url}`,
    file,
  ]);
}

async function main(): Promise<void> {
  const [command, fileArg] = process.argv.slice(2);
  const config = loadConfig();
  const db = await commandDatabase(config);
  try {
    if (command === 'backup') {
      const file = fileArg ?? `candor-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`;
      await backup(db.url, file);
      console.log(`Backup written to ${file}`);
    } else if (command === 'restore' && fileArg) {
      await restore(db.url, fileArg);
      console.log(`Restored ${fileArg}`);
    } else {
      console.error('usage: npm run backup [-- FILE] | npm run restore -- FILE');
      process.exitCode = 2;
    }
  } finally {
    await db.release();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
