/**
 * Where the relay's time goes: `node -r @swc-node/register tests/bench/relay-profile.ts`
 * (add `--cpu-prof --cpu-prof-dir=.data/bench/prof` for a CPU profile). Loads BENCH_EVENTS
 * committed outbox rows, times raw kafkajs `sendBatch` of the same events, then `drain()`s them
 * with every relay statement and every Kafka send timed (busy time per phase; with pipelining the
 * phases overlap, so their sum can exceed the wall time). Own database and topics as `npm run bench`.
 */
import { Pool } from 'pg';
import { kafkaClients, OutboxRelay, type ProducerPort } from '@ketenlink/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from './config';
import { benchEvents, benchKeys } from './fixtures';
import { TimedPhases, TimedProducer, timedPool } from './phases';
import { plainPgInsertMultiRow, primeTopics, rawKafkaPublish } from './publish';
import { BenchTopics, resetDatabase } from './setup';
import { nowNs, msBetween } from './stats';

async function main(): Promise<void> {
  const config = loadConfig();
  const rounds = Number(process.env.BENCH_PROFILE_ROUNDS ?? 2);
  const kafka = new Kafka({
    clientId: 'relay-profile',
    brokers: config.brokers,
    logLevel: logLevel.WARN,
  });
  const topics = new BenchTopics(kafka, config.partitions);
  await resetDatabase(config);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 3 });
  const relayPool = new Pool({ connectionString: config.databaseUrl, max: 3 });
  try {
    const names = await topics.create(['profile-raw', 'profile-relay']);
    const keys = benchKeys(config.keys);
    await primeTopics(kafka, Object.values(names), config.partitions, keys);
    const producer: ProducerPort = kafkaClients({
      clientId: 'relay-profile',
      brokers: config.brokers,
      client: 'kafkajs',
    }).producer();
    await producer.connect();
    for (let r = 0; r < rounds; r++) {
      const events = benchEvents(config.events, keys);
      const raw = await rawKafkaPublish(kafka, names['profile-raw']!, events, config.batchSize);
      await plainPgInsertMultiRow(pool, names['profile-relay']!, events, config.batchSize);
      await pool.query('VACUUM ANALYZE outbox');
      const phases = new TimedPhases();
      const relay = new OutboxRelay({
        pool: timedPool(relayPool, phases) as Pool,
        listenUrl: config.databaseUrl,
        producer: new TimedProducer(
          process.env.BENCH_PROFILE_NO_SEND
            ? {
                connect: async () => undefined,
                disconnect: async () => undefined,
                send: async () => undefined,
              }
            : producer,
          phases,
        ),
        batchSize: config.batchSize,
      });
      const start = nowNs();
      const n = await relay.drain();
      const wallMs = msBetween(start, nowNs());
      console.log(
        `round ${r + 1}: raw sendBatch ${Math.round(raw.perSecond)}/s; relay ${Math.round((n / wallMs) * 1000)}/s ` +
          `(${(n / wallMs / (raw.perSecond / 1000)).toFixed(2)}×), ${n} rows in ${wallMs.toFixed(0)} ms`,
      );
      console.log(phases.format(wallMs));
      await pool.query('TRUNCATE outbox');
    }
    await producer.disconnect();
  } finally {
    await pool.end();
    await relayPool.end();
    await topics.deleteAll();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
