import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from './embedded-postgres';

/** A throwaway database and the way to remove it. */
export interface ScratchDatabase {
  url: string;
  dispose(): Promise<void>;
}

/**
 * A fresh, empty database for the API tests and the benchmarks: a new database on the server in
 * `serverUrl` (named `<prefix>_<pid>_<time>`, dropped by `dispose`), or, without a server, an
 * embedded PostgreSQL in a temporary folder that `dispose` stops and deletes. Not used by the app.
 */
export async function createScratchDatabase(
  prefix: string,
  serverUrl: string | undefined = process.env.DATABASE_URL,
): Promise<ScratchDatabase> {
  if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new Error(`invalid database name prefix: ${prefix}`);
  if (serverUrl) {
    const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async dispose() {
        const c = new Client({ connectionString: serverUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `${prefix.replace(/_/g, '-')}-pg-`));
  const pg = new EmbeddedPostgres({ dataDir: dir, password: prefix });
  const url = await pg.start();
  return {
    url,
    async dispose() {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
