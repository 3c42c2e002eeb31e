export {
  assertTestDatabase,
  databaseNameFor,
  databaseNameOf,
  databaseUrlFor,
  NotATestDatabaseError,
  type DatabaseUrlOptions,
} from './database-url';
export {
  connectTimeoutMs,
  createServiceDataSource,
  migrate,
  type ServiceDataSourceOptions,
} from './data-source';
export {
  connectionErrorFields,
  defaultConnectionErrorLog,
  guardClient,
  guardPool,
  type ConnectionErrorLog,
} from './pool-errors';
export { DatabaseModule } from './database.module';
export { pgFields, SafeQueryLogger, statementName } from './query-logger';
export { AesGcmKeyRing, type Sealed } from './aes-gcm-key-ring';
