import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import {
  connectionErrorFields,
  defaultConnectionErrorLog,
  type ConnectionErrorLog,
} from './pool-errors';
import { SafeQueryLogger } from './query-logger';

/**
 * How long a request waits for a pooled connection (PG_CONNECT_TIMEOUT_MS, default 5000 ms)
 * before it fails: while PostgreSQL is down or the pool is exhausted, a command gets a 503
 * instead of hanging.
 */
export function connectTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.PG_CONNECT_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 5000;
}

export interface ServiceDataSourceOptions {
  readonly service: string;
  readonly url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function | string>;
  readonly poolSize?: number;
  /** Where a lost connection is logged (default: a warning, code and message only). */
  readonly onConnectionError?: ConnectionErrorLog;
}

/**
 * A TypeORM data source for one service. Schema changes come from migrations only:
 * `synchronize` is off and cannot be turned on here.
 */
export function createServiceDataSource(opts: ServiceDataSourceOptions): DataSource {
  const log = opts.onConnectionError ?? defaultConnectionErrorLog(opts.service);
  const options: DataSourceOptions = {
    type: 'postgres',
    url: opts.url,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // Failed and slow queries only, by statement name and SQLSTATE: never a parameter.
    logging: ['error', 'warn'],
    logger: new SafeQueryLogger(),
    maxQueryExecutionTime: 2000,
    extra: {
      max: opts.poolSize ?? 10,
      application_name: `ketenlink-${opts.service}`,
      connectionTimeoutMillis: connectTimeoutMs(),
    },
    // An idle connection lost (PostgreSQL restarted): log it without the pg client's internals;
    // the pool reconnects on demand. TypeORM guards checked-out clients itself.
    poolErrorHandler: (err: unknown) =>
      log(connectionErrorFields(err), 'postgres: idle connection lost; reconnecting on demand'),
  };
  return new DataSource(options);
}

/** Initialise (if needed) and apply pending migrations; returns the names applied. */
export async function migrate(ds: DataSource): Promise<string[]> {
  if (!ds.isInitialized) await ds.initialize();
  const applied = await ds.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
