import { createDataSource } from '../src/database/data-source';
import { createTestDatabase, type TestDatabase } from './test-database';

declare global {
  var __candorTestDatabase: TestDatabase | undefined;
}

/** One database per test run, migrated once; tests make their own unique data in it. */
export default async function globalSetup(): Promise<void> {
  const db = await createTestDatabase();
  globalThis.__candorTestDatabase = db;
  const ds = createDataSource(db.url);
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  process.env.CANDOR_TEST_DATABASE_URL = db.url;
}
