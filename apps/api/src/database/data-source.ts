import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * The one place that says how we talk to PostgreSQL. Schema changes only through migrations:
 * `synchronize` is off everywhere, and the app runs pending migrations at start.
 */
export function dataSourceOptions(
  url: string,
  overrides: Partial<DataSourceOptions> = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // gen_random_uuid() is built into PostgreSQL ≥ 13: random (v4) ids, no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    // No SQL logging: failed statements would print their parameters (answers, token hashes).
    logging: false,
    // JIT off on every connection: the app's statements run in milliseconds, and a row estimate
    // under a recursive CTE (the org tree) can cross jit_above_cost and spend 100 ms or more
    // compiling one of them (seen in the analytics benchmark).
    extra: { max: 20, connectionTimeoutMillis: 5_000, statement_timeout: 30_000, options: '-c jit=off' },
    ...overrides,
  } as DataSourceOptions;
}

export function createDataSource(url: string, overrides: Partial<DataSourceOptions> = {}): DataSource {
  return new DataSource(dataSourceOptions(url, overrides));
}
