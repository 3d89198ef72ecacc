/** npm run migration:revert — against DATABASE_URL, or the embedded database in ./.data. */
import 'reflect-metadata';
import { withDatabase } from './with-database';
import { loadConfig } from '../config/config';

async function main(): Promise<void> {
  const config = loadConfig();
  await withDatabase(config, async (ds) => {
    await ds.undoLastMigration({ transaction: 'each' });
    console.log('Reverted the last migration.');
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
