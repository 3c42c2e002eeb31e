import {
  appendToOutbox,
  type CloudEvent,
  kafkaClients,
  OutboxRelay,
  type SqlExecutor,
  toKafkaRecord,
} from '@ketenlink/messaging';
import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { BENCH_AGGREGATE, benchEvent } from './fixtures';
import { inTransaction } from './pg-tx';
import { TimedPhases, TimedProducer, timedPool } from './phases';
import { type Rate, timed } from './stats';

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A plain kafkajs idempotent producer, partitioning and retrying like KafkajsProducer does. */
export function plainIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 10_000 },
  });
}

/**
 * Sends one valid event to every partition of every topic before anything is timed: a fresh
 * topic's first produce can meet "not the leader" while the broker settles, and the retry
 * back-off (200 ms) would otherwise land in the first measurement.
 */
export async function primeTopics(
  kafka: Kafka,
  topics: readonly string[],
  partitions: number,
  keys: readonly string[],
): Promise<void> {
  const producer = plainIdempotentProducer(kafka);
  await producer.connect();
  try {
    await producer.sendBatch({
      acks: -1,
      topicMessages: topics.map((topic) => ({
        topic,
        messages: Array.from({ length: partitions }, (_, partition) => ({
          partition,
          ...toKafkaRecord(benchEvent(keys[partition % keys.length]!)),
        })),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Baseline A: a plain kafkajs idempotent producer, awaited sendBatch of `batchSize`, acks -1. */
export async function rawKafkaPublish(
  kafka: Kafka,
  topic: string,
  events: readonly CloudEvent[],
  batchSize: number,
): Promise<Rate> {
  const producer = plainIdempotentProducer(kafka);
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

/**
 * The relay alone: drains the unpublished outbox rows to Kafka (batches of `batchSize`), with
 * every relay statement and send timed (busy time per phase; pipelined phases overlap).
 */
export async function relayDrain(
  _kafka: Kafka,
  pool: Pool,
  listenUrl: string,
  expected: number,
  batchSize: number,
): Promise<Rate & { phases: ReturnType<TimedPhases['summary']>; phaseTable: string }> {
  const producer = kafkaClients({
    clientId: 'ketenlink-bench-relay',
    client: 'kafkajs',
  }).producer();
  await producer.connect();
  const phases = new TimedPhases();
  const relay = new OutboxRelay({
    pool: timedPool(pool, phases) as Pool,
    listenUrl,
    producer: new TimedProducer(producer, phases),
    batchSize,
  });
  try {
    let published = 0;
    const r = await timed(expected, async () => {
      published = await relay.drain();
    });
    if (published !== expected) {
      throw new Error(`relay published ${published} rows, expected ${expected}`);
    }
    return { ...r, phases: phases.summary(), phaseTable: phases.format(r.seconds * 1000) };
  } finally {
    await producer.disconnect();
  }
}

export const WRITE_VARIANTS = [
  'plainPgPerRow',
  'plainPgMultiRow',
  'appendToOutboxPg',
  'appendToOutboxTypeorm',
] as const;
export type WriteVariant = (typeof WRITE_VARIANTS)[number];
export type WriteRates = Record<WriteVariant, Rate & { readonly perRound: number[] }>;

/**
 * The four outbox writes, interleaved: the events are split into `rounds` slices and every round
 * runs each variant on its slice (order rotated per round, table truncated after each), so a
 * checkpoint, autovacuum or a noisy neighbour hits all variants alike instead of just one.
 */
export async function outboxWriteRounds(
  pool: Pool,
  ds: DataSource,
  topic: string,
  events: readonly CloudEvent[],
  batchSize: number,
  rounds: number,
): Promise<WriteRates> {
  const run: Record<WriteVariant, (slice: readonly CloudEvent[]) => Promise<Rate>> = {
    plainPgPerRow: (s) => plainPgInsertPerRow(pool, topic, s, batchSize),
    plainPgMultiRow: (s) => plainPgInsertMultiRow(pool, topic, s, batchSize),
    appendToOutboxPg: (s) => appendViaPg(pool, topic, s, batchSize),
    appendToOutboxTypeorm: (s) => appendViaTypeorm(ds, topic, s, batchSize),
  };
  const totals = new Map<WriteVariant, { events: number; seconds: number; perRound: number[] }>(
    WRITE_VARIANTS.map((v) => [v, { events: 0, seconds: 0, perRound: [] }]),
  );
  const size = Math.ceil(events.length / rounds);
  for (let r = 0; r < rounds; r++) {
    const slice = events.slice(r * size, (r + 1) * size);
    if (slice.length === 0) break;
    const order = WRITE_VARIANTS.map((_, i) => WRITE_VARIANTS[(i + r) % WRITE_VARIANTS.length]!);
    for (const variant of order) {
      const rate = await run[variant](slice);
      await pool.query('TRUNCATE outbox');
      const t = totals.get(variant)!;
      t.events += rate.events;
      t.seconds += rate.seconds;
      t.perRound.push(Math.round(rate.perSecond));
    }
  }
  return Object.fromEntries(
    [...totals].map(([v, t]) => [v, { ...t, perSecond: t.events / t.seconds }]),
  ) as WriteRates;
}
