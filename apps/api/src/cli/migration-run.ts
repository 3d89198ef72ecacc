/** npm run migration:run — against DATABASE_URL, or the embedded database in ./.data. */
import 'reflect-metadata';
import { withDatabase } from './with-database';
import { loadConfig } from '../config/config';

async function main(): Promise<void> {
  const config = loadConfig();
  await withDatabase(config, async (ds) => {
    const ran = await ds.runMigrations({ transaction: 'each' });
    console.log(ran.length ? `Applied: ${ran.map((m) => m.name).join(', ')}` : 'No pending migrations.');
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
