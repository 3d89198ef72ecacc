/** npm run migration:revert — against DATABASE_URL, or the embedded database in ./.data. */
import 'reflect-metadata';
import { loadConfig, loadOrCreateSecrets } from '../config/config';
import { createDataSource } from '../database/data-source';
import { EmbeddedPostgres } from '../database/embedded-postgres';

async function main(): Promise<void> {
  const config = loadConfig();
  let embedded: EmbeddedPostgres | null = null;
  let url = config.database.url;
  if (url === null) {
    embedded = new EmbeddedPostgres({
      dataDir: config.dataDir,
      password: loadOrCreateSecrets(config.dataDir).dbPassword,
    });
    url = await embedded.start();
  }
  const ds = createDataSource(url);
  try {
    await ds.initialize();
    await ds.undoLastMigration({ transaction: 'each' });
    console.log('Reverted the last migration.');
  } finally {
    if (ds.isInitialized) await ds.destroy();
    if (embedded) await embedded.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
