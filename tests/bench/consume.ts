import type { KafkaClients } from '@ketenlink/messaging';
import type { Kafka } from 'kafkajs';
import { BASELINE_CONSUMER } from './config';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { eventIdOf, startKetenlinkConsumer } from './consumers';
import { inTransaction } from './pg-tx';
import { nowNs, rate, type Rate, until } from './stats';

/*
 * Consume throughput over a topic that already holds the events: the rate from the first to the
 * `expected`-th record handled (group join and the first fetch are not counted).
 */
interface Clock {
  count: number;
  first: bigint | undefined;
  last: bigint | undefined;
}

function tick(c: Clock, expected: number): void {
  if (c.count >= expected) return;
  const now = nowNs();
  c.first ??= now;
  c.count++;
  c.last = now;
}

function result(c: Clock): Rate {
  // n records handled in the interval first..last are n - 1 gaps.
  return rate(c.count - 1, c.first!, c.last!);
}

/** Baseline: a plain kafkajs consumer, eachMessage doing nothing, autoCommit left on (default). */
export async function rawConsume(
  kafka: Kafka,
  topic: string,
  group: string,
  expected: number,
): Promise<Rate> {
  const consumer = kafka.consumer({ groupId: group, ...BASELINE_CONSUMER });
  const clock: Clock = { count: 0, first: undefined, last: undefined };
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async () => {
        tick(clock, expected);
      },
    });
    await until(() => clock.count >= expected, `${expected} records (raw consumer)`, 90_000);
    return result(clock);
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Baseline with the database work but without the library: plain kafkajs (autoCommit, 3
 * partitions at a time like KafkajsConsumer), per record one plain pg transaction with the same
 * inbox INSERT … ON CONFLICT DO NOTHING and effect INSERT; no decoding, validation or tracing.
 */
export async function plainPgTxConsume(
  kafka: Kafka,
  pool: Pool,
  topic: string,
  group: string,
  expected: number,
): Promise<Rate> {
  const consumer = kafka.consumer({ groupId: group, ...BASELINE_CONSUMER });
  const clock: Clock = { count: 0, first: undefined, last: undefined };
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ topic: t, partition, message }) => {
        const id = eventIdOf(message);
        await inTransaction(pool, async (client) => {
          const inserted = await client.query(
            `INSERT INTO inbox (consumer_group, event_id, event_type, topic, kafka_partition, kafka_offset)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING event_id`,
            [group, id, 'bench', t, partition, message.offset],
          );
          if (inserted.rowCount) {
            await client.query(`INSERT INTO bench_effects (event_id, subject) VALUES ($1, $2)`, [
              id,
              message.key?.toString() ?? '',
            ]);
          }
        });
        tick(clock, expected);
      },
    });
    await until(() => clock.count >= expected, `${expected} records (plain pg consumer)`, 120_000);
    return result(clock);
  } finally {
    await consumer.disconnect();
  }
}

/** Ketenlink on one adapter: its batch consumer + EventProcessor.processBatch. */
export async function ketenlinkConsume(
  clients: KafkaClients,
  ds: DataSource,
  topic: string,
  group: string,
  expected: number,
): Promise<Rate & { deadLettered: number }> {
  const clock: Clock = { count: 0, first: undefined, last: undefined };
  const running = await startKetenlinkConsumer(clients, ds, group, topic, {
    onProcessed: () => tick(clock, expected),
  });
  try {
    await until(() => clock.count >= expected, `${expected} records (Ketenlink consumer)`, 120_000);
    return { ...result(clock), deadLettered: running.deadLetters.count };
  } finally {
    await running.stop();
  }
}
