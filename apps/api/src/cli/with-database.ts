import { type AppConfig, loadOrCreateSecrets } from '../config/config';
import { createDataSource } from '../database/data-source';
import { EmbeddedPostgres } from '../database/embedded-postgres';
import { type DataSource } from 'typeorm';

/**
 * Runs `work` with an initialised data source on DATABASE_URL, or on the embedded database in
 * the data directory (started for the command and stopped after it); always closes both.
 */
export async function withDatabase<T>(config: AppConfig, work: (ds: DataSource) => Promise<T>): Promise<T> {
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
    return await work(ds);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    if (embedded) await embedded.stop();
  }
}
