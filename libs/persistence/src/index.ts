export {
  assertTestDatabase,
  databaseNameFor,
  databaseNameOf,
  databaseUrlFor,
  NotATestDatabaseError,
  type DatabaseUrlOptions,
} from './database-url';
export { createServiceDataSource, migrate, type ServiceDataSourceOptions } from './data-source';
export { DatabaseModule } from './database.module';
export { pgFields, SafeQueryLogger, statementName } from './query-logger';
