import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { databaseNameFor } from '@ketenlink/persistence';
import { Client } from 'pg';

/**
 * Where the integration and end-to-end tests find Kafka and PostgreSQL (docs/adr/0008-test-infrastructure.md):
 * 1. KAFKA_BROKERS and PG_BASE_URL/DATABASE_URL given → those servers;
 * 2. else a Docker engine answers → testcontainers (Kafka in KRaft mode, PostgreSQL 15);
 * 3. else the project's local servers, started by deploy/local/infra.sh (idempotent).
 * The same test code runs on all three.
 */
export interface TestInfrastructure {
  readonly kind: 'given' | 'testcontainers' | 'local';
  readonly kafkaBrokers: string;
  readonly pgBaseUrl: string;
  /** With testcontainers: the Kafka container's id (fault tests pause it). */
  readonly kafkaContainerId?: string;
  readonly stop: () => Promise<void>;
}

export const REPO_ROOT = path.resolve(__dirname, '../../..');

export const SERVICES_WITH_DATABASES = [
  'trajectory',
  'placement_intake',
  'agreements',
  'plan_reviews',
  'handover',
  'partner_gateway',
  'messaging',
  /** libs/trajectory-facts' own int tests. */
  'trajectory_facts',
] as const;

function dockerAvailable(): boolean {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    timeout: 5000,
    stdio: 'pipe',
  });
  return r.status === 0 && r.stdout.toString().trim().length > 0;
}

function baseOf(url: string): string {
  const u = new URL(url);
  u.pathname = '';
  return u.toString().replace(/\/+$/, '');
}

export async function resolveTestInfrastructure(
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestInfrastructure> {
  const givenPg = env.PG_BASE_URL ?? (env.DATABASE_URL ? baseOf(env.DATABASE_URL) : undefined);
  if (env.KAFKA_BROKERS && givenPg) {
    return {
      kind: 'given',
      kafkaBrokers: env.KAFKA_BROKERS,
      pgBaseUrl: givenPg,
      stop: async () => undefined,
    };
  }
  if (env.KETENLINK_TEST_INFRA !== 'local' && dockerAvailable()) return startContainers();
  execFileSync('bash', [path.join(REPO_ROOT, 'deploy/local/infra.sh'), 'up'], { stdio: 'inherit' });
  return {
    kind: 'local',
    kafkaBrokers: `127.0.0.1:${env.KAFKA_PORT ?? '9092'}`,
    pgBaseUrl: `postgres://${env.PGUSER ?? 'postgres'}@${env.PGHOST ?? '127.0.0.1'}:${env.PGPORT ?? '5432'}`,
    stop: async () => undefined, // the local servers stay up for the next run
  };
}

async function startContainers(): Promise<TestInfrastructure> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const [kafka, pg] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:8.0.0')
      .withKraft()
      .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false' })
      .start(),
    new PostgreSqlContainer('postgres:15')
      .withUsername('postgres')
      .withPassword('postgres')
      .start(),
  ]);
  return {
    kind: 'testcontainers',
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    pgBaseUrl: `postgres://postgres:postgres@${pg.getHost()}:${pg.getPort()}`,
    kafkaContainerId: kafka.getId(),
    stop: async () => {
      await Promise.all([kafka.stop(), pg.stop()]);
    },
  };
}

/** Creates the per-service test databases that do not exist yet. */
export async function ensureTestDatabases(pgBaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: `${pgBaseUrl}/postgres` });
  await client.connect();
  try {
    for (const svc of SERVICES_WITH_DATABASES) {
      const name = databaseNameFor(svc, true);
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
    }
  } finally {
    await client.end();
  }
}
