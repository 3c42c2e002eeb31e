import {
  appendToOutbox,
  type CloudEvent,
  KafkajsProducer,
  OutboxRelay,
  type SqlExecutor,
  toKafkaRecord,
} from '@ketenlink/messaging';
import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { BENCH_AGGREGATE } from './fixtures';
import { type Rate, timed } from './stats';

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Baseline A: a plain kafkajs idempotent producer, awaited sendBatch of `batchSize`, acks -1. */
export async function rawKafkaPublish(
  kafka: Kafka,
  topic: string,
  events: readonly CloudEvent[],
  batchSize: number,
): Promise<Rate> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    return await timed(events.length, async () => {
      for (const batch of chunks(events, batchSize)) {
        await producer.sendBatch({
          acks: -1,
          topicMessages: [{ topic, messages: batch.map((e) => toKafkaRecord(e)) }],
        });
      }
    });
  } finally {
    await producer.disconnect();
  }
}

const INSERT_ONE = `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, headers, traceparent)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

function rowParams(event: CloudEvent, topic: string): unknown[] {
  const { data, ...attributes } = event;
  return [
    event.id,
    BENCH_AGGREGATE,
    event.subject,
    event.type,
    topic,
    JSON.stringify(data),
    JSON.stringify(attributes),
    event.traceparent ?? null,
  ];
}

async function inTransaction(pool: Pool, work: (c: PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Baseline B: the same rows, the same INSERT statement one row at a time as appendToOutbox
 * issues it, in plain pg transactions of `batchSize`: no advisory locks, no NOTIFY, no ORM.
 */
export async function plainPgInsertPerRow(
  pool: Pool,
  topic: string,
  events: readonly CloudEvent[],
  batchSize: number,
): Promise<Rate> {
  return timed(events.length, async () => {
    for (const batch of chunks(events, batchSize)) {
      await inTransaction(pool, async (c) => {
        for (const e of batch) await c.query(INSERT_ONE, rowParams(e, topic));
      });
    }
  });
}

/** Reference: the same rows as one multi-row INSERT (unnest) per transaction of `batchSize`. */
export async function plainPgInsertMultiRow(
  pool: Pool,
  topic: string,
  events: readonly CloudEvent[],
  batchSize: number,
): Promise<Rate> {
  return timed(events.length, async () => {
    for (const batch of chunks(events, batchSize)) {
      const cols = batch.map((e) => rowParams(e, topic));
      await inTransaction(pool, async (c) => {
        await c.query(
          `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, headers, traceparent)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::text[])`,
          [0, 1, 2, 3, 4, 5, 6, 7].map((i) => cols.map((row) => row[i])),
        );
      });
    }
  });
}

/** Ketenlink outbox write through a raw pg client (isolates the writer's own cost from TypeORM). */
export async function appendViaPg(
  pool: Pool,
  topic: string,
  events: readonly CloudEvent[],
  batchSize: number,
): Promise<Rate> {
  return timed(events.length, async () => {
    for (const batch of chunks(events, batchSize)) {
      await inTransaction(pool, (c) =>
        appendToOutbox(
          c,
          batch.map((event) => ({ event, topic, aggregateType: BENCH_AGGREGATE })),
        ),
      );
    }
  });
}

/** Ketenlink outbox write as services do it: appendToOutbox inside a TypeORM transaction. */
export async function appendViaTypeorm(
  ds: DataSource,
  topic: string,
  events: readonly CloudEvent[],
  batchSize: number,
): Promise<Rate> {
  return timed(events.length, async () => {
    for (const batch of chunks(events, batchSize)) {
      await ds.transaction((m: EntityManager) =>
        appendToOutbox(
          m as SqlExecutor,
          batch.map((event) => ({ event, topic, aggregateType: BENCH_AGGREGATE })),
        ),
      );
    }
  });
}

/** The relay alone: drains the unpublished outbox rows to Kafka (batches of `batchSize`). */
export async function relayDrain(
  kafka: Kafka,
  pool: Pool,
  listenUrl: string,
  expected: number,
  batchSize: number,
): Promise<Rate> {
  const producer = new KafkajsProducer(kafka);
  await producer.connect();
  const relay = new OutboxRelay({ pool, listenUrl, producer, batchSize });
  try {
    let published = 0;
    const r = await timed(expected, async () => {
      published = await relay.drain();
    });
    if (published !== expected) {
      throw new Error(`relay published ${published} rows, expected ${expected}`);
    }
    return r;
  } finally {
    await producer.disconnect();
  }
}
