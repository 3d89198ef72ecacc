import { type AppConfig, loadOrCreateSecrets } from '../config/config';
import { EmbeddedPostgres } from '../database/embedded-postgres';

/**
 * The database a command should talk to: DATABASE_URL; else the embedded server of a running
 * Candor on the data folder; else the embedded database started just for this command.
 */
export async function commandDatabase(config: AppConfig): Promise<{ url: string; release(): Promise<void> }> {
  if (config.database.url) return { url: config.database.url, release: async () => undefined };
  const password = loadOrCreateSecrets(config.dataDir).dbPassword;
  const running = EmbeddedPostgres.runningUrl(config.dataDir, password);
  if (running) return { url: running, release: async () => undefined };
  const embedded = new EmbeddedPostgres({ dataDir: config.dataDir, password });
  const url = await embedded.start();
  return { url, release: () => embedded.stop() };
}
