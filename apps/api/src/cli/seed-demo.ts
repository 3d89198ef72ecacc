/**
 * npm run seed:demo — loads the demo organisation into the database in DATABASE_URL (or the
 * embedded one in ./.data). Idempotent: a second run changes nothing. Refused in production.
 */
import 'reflect-metadata';
import { withDatabase } from './with-database';
import { ConfigError, loadConfig } from '../config/config';
import { DEMO_ACCOUNTS, seedDemo } from '../demo/demo-seed';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.production) {
    console.error('Refusing to load demo data with NODE_ENV=production.');
    process.exit(1);
  }
  await withDatabase(config, async (ds) => {
    await ds.runMigrations({ transaction: 'each' });
    const t0 = Date.now();
    const loaded = await seedDemo(ds, config);
    console.log(
      loaded
        ? `Demo organisation loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s.`
        : 'The demo organisation is already there; nothing changed.',
    );
    console.log(
      `Accounts (password ${config.demo.password === 'candor-demo' ? 'candor-demo' : 'from DEMO_PASSWORD'}):`,
    );
    for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(24)} ${a.role}`);
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
