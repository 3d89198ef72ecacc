import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';

/**
 * The database the API tests run against: a fresh database on the server in DATABASE_URL,
 * or, without one, an embedded PostgreSQL in a temporary folder.
 */
export interface TestDatabase {
  url: string;
  dispose(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `candor_test_${process.pid}_${Date.now().toString(36)}`;
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
  const dir = mkdtempSync(join(tmpdir(), 'candor-test-pg-'));
  const pg = new EmbeddedPostgres({ dataDir: dir, password: 'candor-test' });
  const url = await pg.start();
  return {
    url,
    async dispose() {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
