import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, loadOrCreateSecrets, type AppConfig } from './config/config';
import { createApp } from './create-app';
import { type DataSource } from 'typeorm';
import { createDataSource } from './database/data-source';
import { EmbeddedPostgres, InstanceLockedError } from './database/embedded-postgres';
import { databaseIsEmpty, DEMO_ACCOUNTS, seedDemo } from './demo/demo-seed';
import { createRootLogger, PinoNestLogger } from './observability/logging';
import { ShutdownState } from './health/shutdown-state';

const logger = new Logger('Candor');
/** How long a draining instance keeps answering 503 at least, and at most waits for running requests. */
const DRAIN_MINIMUM_MS = 1_000;
const DRAIN_MAXIMUM_MS = 8_000;

/** Runs pending migrations, and on a fresh embedded database loads the demo organisation. */
async function prepareDatabase(config: AppConfig, url: string, embedded: boolean): Promise<boolean> {
  const ds = createDataSource(url);
  await ds.initialize();
  try {
    if (config.production) await assertDurableDatabase(ds);
    const ran = await ds.runMigrations({ transaction: 'each' });
    if (ran.length > 0)
      logger.log(`Applied ${ran.length} migration(s): ${ran.map((m) => m.name).join(', ')}`);
    if (embedded && config.demo.autoSeed && (await databaseIsEmpty(ds))) {
      logger.log('Empty database: loading the demo organisation (about half a minute)…');
      const t0 = Date.now();
      await seedDemo(ds, config);
      logger.log(`Demo organisation loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return true;
    }
    return false;
  } finally {
    await ds.destroy();
  }
}

/**
 * In production an acknowledged answer must survive a crash: refuse to start on a PostgreSQL
 * that does not flush commits to disk.
 */
async function assertDurableDatabase(ds: DataSource): Promise<void> {
  const rows: { name: string; setting: string }[] = await ds.query(
    `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')`,
  );
  const off = rows.filter((r) => r.setting === 'off').map((r) => r.name);
  if (off.length > 0) {
    throw new Error(
      `PostgreSQL has ${off.join(' and ')} off: acknowledged answers could be lost in a crash. ` +
        'Turn it on, or run without NODE_ENV=production.',
    );
  }
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // Every message from here on is one JSON line on stdout (LOG_LEVEL).
  const root = createRootLogger(config.logLevel);
  Logger.overrideLogger(new PinoNestLogger(root));

  let embedded: EmbeddedPostgres | null = null;
  let url = config.database.url;
  if (url === null) {
    embedded = new EmbeddedPostgres({
      dataDir: config.dataDir,
      password: loadOrCreateSecrets(config.dataDir).dbPassword,
      log: (m) => logger.log(m),
    });
    try {
      url = await embedded.start();
    } catch (err) {
      if (err instanceof InstanceLockedError) {
        console.error(err.message);
        process.exit(1);
      }
      throw err;
    }
    logger.log(`Embedded PostgreSQL running on 127.0.0.1 (data in ${embedded.clusterDir})`);
  }

  let stopping = false;
  const stopDatabase = async () => {
    if (embedded)
      await embedded.stop().catch((e: unknown) => console.error('Stopping PostgreSQL failed:', e));
  };

  try {
    const seeded = await prepareDatabase(config, url, embedded !== null);
    const app = await createApp({ config, databaseUrl: url, pino: root });
    await app.listen(config.port, process.env.HOST ?? '0.0.0.0');

    // Drain first: readiness turns 503 and new requests, kept-alive connections included, get 503
    // (ShutdownState) while the running ones finish. Then Nest's close: the HTTP server stops
    // accepting and closes the idle connections, then the database pool closes.
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      const t0 = Date.now();
      logger.log(`${signal}: finishing in-flight requests and shutting down`);
      const force = setTimeout(() => {
        logger.error('Shutdown took more than 10 s; exiting without waiting any longer');
        process.exit(1);
      }, 10_000);
      force.unref();
      let clean = true;
      await app.get(ShutdownState).drain({ minimumMs: DRAIN_MINIMUM_MS, maximumMs: DRAIN_MAXIMUM_MS });
      await app.close().catch((e: unknown) => {
        clean = false;
        logger.error(`Closing the app failed: ${e instanceof Error ? e.message : String(e)}`);
      });
      await stopDatabase();
      if (clean) logger.log(`Shut down gracefully in ${Date.now() - t0} ms`);
      process.exit(clean ? 0 : 1);
    };
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));

    const base = `http://localhost:${config.port}`;
    logger.log(`Listening on port ${config.port}`);
    // In production stdout carries only JSON log lines; the banner is for `npm start` on a laptop.
    if (config.production) return;
    const lines = [
      '',
      `  Candor is running at ${base}`,
      `  API docs: ${base}/api/docs   Health: ${base}/api/health`,
    ];
    if (embedded && config.demo.autoSeed) {
      lines.push(
        `  ${seeded ? 'Demo organisation loaded.' : 'Demo accounts'} (password: ${config.demo.password === 'candor-demo' ? 'candor-demo' : 'as set in DEMO_PASSWORD'}):`,
        ...DEMO_ACCOUNTS.map((a) => `    ${a.email.padEnd(24)} ${a.role}`),
      );
    }
    lines.push('  Stop with Ctrl+C.', '');
    // The start banner is for the person who ran `npm start`, on stdout.
    // eslint-disable-next-line no-console
    console.log(lines.join('\n'));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await stopDatabase();
    process.exit(1);
  }
}

void main();
