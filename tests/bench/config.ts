import { brokersFromEnv } from '@ketenlink/messaging';
import { databaseUrlFor } from '@ketenlink/persistence';

/**
 * Settings of `npm run bench`, all from the environment so a run stays bounded in count and time.
 * The benchmark talks to loopback servers only: it refuses anything else.
 */
export interface BenchConfig {
  /** Events per throughput scenario (publish, outbox write, relay, consume). */
  readonly events: number;
  /** Distinct keys (trajectory ids) the events are spread over. */
  readonly keys: number;
  /** Measured samples per latency scenario. */
  readonly latencySamples: number;
  /** Unmeasured events sent first in each latency scenario (group join, JIT, schema compile). */
  readonly latencyWarmup: number;
  /** One event every this many ms during the latency scenarios (open loop). */
  readonly latencyIntervalMs: number;
  /** Events measured per consume-throughput scenario (read from the relay's topic). */
  readonly consumeEvents: number;
  /** The outbox-write variants run interleaved in this many rounds (events split evenly). */
  readonly writeRounds: number;
  /** Rows per transaction / records per sendBatch. */
  readonly batchSize: number;
  readonly partitions: number;
  /**
   * `all` (default) or `latency` (BENCH_ONLY=latency): only the produce → handler scenarios, for
   * profiling the latency path without the throughput scenarios' ~25 s before it.
   */
  readonly only: 'all' | 'latency';
  /** The whole run is aborted (topics still deleted) after this long. */
  readonly timeoutMs: number;
  readonly brokers: string[];
  /** The bench database, `ketenlink_bench` by default. */
  readonly databaseUrl: string;
  /** A database that always exists (`postgres`), to create the bench database from. */
  readonly adminDatabaseUrl: string;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function assertLoopback(what: string, host: string): void {
  if (!LOOPBACK.has(host)) {
    throw new Error(`the benchmark runs against loopback servers only; ${what} is on "${host}"`);
  }
}

function hostOfBroker(broker: string): string {
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(broker);
  return m?.[1] ?? broker;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const events = intFromEnv(env, 'BENCH_EVENTS', 10_000);
  const databaseUrl =
    env.BENCH_DATABASE_URL ?? databaseUrlFor('bench', { env: { PG_BASE_URL: env.PG_BASE_URL } });
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const brokers = brokersFromEnv(env);
  for (const b of brokers) assertLoopback('Kafka broker', hostOfBroker(b));
  assertLoopback('PostgreSQL', new URL(databaseUrl).hostname);
  const only = env.BENCH_ONLY ?? 'all';
  if (only !== 'all' && only !== 'latency')
    throw new Error(`BENCH_ONLY must be "all" or "latency", got "${only}"`);
  return {
    only,
    events,
    keys: intFromEnv(env, 'BENCH_KEYS', 200),
    latencySamples: intFromEnv(env, 'BENCH_LATENCY_SAMPLES', 1_000),
    latencyWarmup: intFromEnv(env, 'BENCH_LATENCY_WARMUP', 100, 0),
    latencyIntervalMs: intFromEnv(env, 'BENCH_LATENCY_INTERVAL_MS', 5),
    consumeEvents: Math.min(events, intFromEnv(env, 'BENCH_CONSUME_EVENTS', 5_000)),
    writeRounds: intFromEnv(env, 'BENCH_WRITE_ROUNDS', 4),
    batchSize: intFromEnv(env, 'BENCH_BATCH', 500),
    partitions: 6,
    timeoutMs: intFromEnv(env, 'BENCH_TIMEOUT_MS', 420_000),
    brokers,
    databaseUrl,
    adminDatabaseUrl: admin.toString(),
  };
}

/**
 * The plain kafkajs consumers of the baselines get the settings the library's kafkajs adapter
 * uses (libs/messaging/src/kafka/kafkajs.clients.ts), so a difference is the library's work, not
 * a fetch setting: long-poll up to 1 s (a fetch returns as soon as one byte is there: minBytes 1,
 * the default), same session and heartbeat.
 */
export const BASELINE_CONSUMER = {
  sessionTimeout: 30_000,
  heartbeatInterval: 3_000,
  maxWaitTimeInMs: 1_000,
} as const;
