import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { SafeQueryLogger } from './query-logger';

export interface ServiceDataSourceOptions {
  readonly service: string;
  readonly url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function | string>;
  readonly poolSize?: number;
}

/**
 * A TypeORM data source for one service. Schema changes come from migrations only:
 * `synchronize` is off and cannot be turned on here.
 */
export function createServiceDataSource(opts: ServiceDataSourceOptions): DataSource {
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
    extra: { max: opts.poolSize ?? 10, application_name: `ketenlink-${opts.service}` },
  };
  return new DataSource(options);
}

/** Initialise (if needed) and apply pending migrations; returns the names applied. */
export async function migrate(ds: DataSource): Promise<string[]> {
  if (!ds.isInitialized) await ds.initialize();
  const applied = await ds.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
