import { createScratchDatabase, type ScratchDatabase } from '../src/database/scratch-database';

/**
 * The database the API tests run against: a fresh database on the server in DATABASE_URL,
 * or, without one, an embedded PostgreSQL in a temporary folder.
 */
export type TestDatabase = ScratchDatabase;

export function createTestDatabase(): Promise<TestDatabase> {
  return createScratchDatabase('candor_test');
}
