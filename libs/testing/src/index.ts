export {
  ensureTestDatabases,
  REPO_ROOT,
  resolveTestInfrastructure,
  SERVICES_WITH_DATABASES,
  type TestInfrastructure,
} from './infrastructure';
export { createEmptyTestDatabase, openTestDatabase, truncateAll } from './test-database';
export { acceptAllRows, refuseRowsContaining } from './refuse-marked-rows';
export { waitFor } from './wait-for';
export { type HealthRound, healthUnderLoad } from './health-under-load';
export {
  createDatabases,
  freePort,
  infrastructureKind,
  kafkaControl,
  startThrowawayPostgres,
  type KafkaControl,
  type ThrowawayPostgres,
} from './fault-control';
