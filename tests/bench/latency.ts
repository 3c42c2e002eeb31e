import { Pool } from 'pg';
import {
  appendToOutbox,
  type CloudEvent,
  headerString,
  type KafkaClients,
  OutboxRelay,
  wakeRelayAfterCommit,
  toKafkaRecord,
} from '@ketenlink/messaging';
import type { Kafka } from 'kafkajs';
import { BASELINE_CONSUMER } from './config';
import type { DataSource, EntityManager } from 'typeorm';
import { CountingProducer, eventIdOf, startKetenlinkConsumer } from './consumers';
import { type PathSegment, PathProfile } from './path-profile';
import { inTransaction } from './pg-tx';
import { plainIdempotentProducer } from './publish';
import { BENCH_AGGREGATE, benchEvent, SENT_AT_EXTENSION, SENT_AT_HEADER } from './fixtures';
import { type LatencySummary, msBetween, nowNs, sleep, summarize, until } from './stats';

export interface LatencySettings {
  readonly samples: number;
  readonly warmup: number;
  readonly intervalMs: number;
  readonly keys: readonly string[];
}

export interface PacedRun {
  /** Events fired per second as actually achieved (target: 1000 / intervalMs). */
  readonly achievedPerSecond: number;
  readonly failures: number;
}

/**
 * Fires `fire(i)` every `intervalMs` on an absolute schedule without waiting for the previous
 * one (open loop): a slow send does not delay the next, so queueing shows up in the latency.
 */
export async function paced(
  count: number,
  intervalMs: number,
  fire: (i: number) => Promise<void>,
): Promise<PacedRun> {
  const inflight: Promise<void>[] = [];
  let failures = 0;
  let firstFailure: unknown;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = start + i * intervalMs - performance.now();
    if (wait >= 1) await sleep(wait);
    inflight.push(
      fire(i).catch((err: unknown) => {
        failures++;
        firstFailure ??= err;
      }),
    );
  }
  const firedIn = (performance.now() - start) / 1000;
  await Promise.all(inflight);
  if (failures > 0) throw new Error(`${failures} sends failed, first: ${String(firstFailure)}`);
  return { achievedPerSecond: count / firedIn, failures };
}

/** Warm-up (not measured) then the measured phase; `received` must fill in for every event id. */
async function warmupAndMeasure(
  s: LatencySettings,
  fire: (event: CloudEvent) => Promise<void>,
  arrived: (id: string) => boolean,
  what: string,
  onMeasureStart: () => void = () => undefined,
): Promise<{ run: PacedRun; measuredIds: string[] }> {
  const phase = async (n: number) => {
    // Envelopes and payloads are built up front; fire() stamps the send time just before sending.
    const events = Array.from({ length: n }, (_, i) => benchEvent(s.keys[i % s.keys.length]!));
    const run = await paced(n, s.intervalMs, (i) => fire(events[i]!));
    const ids = events.map((e) => e.id);
    let pending = ids;
    await until(
      () => (pending = pending.filter((id) => !arrived(id))).length === 0,
      `${n} events through ${what}`,
      60_000,
      20,
    );
    return { run, ids };
  };
  if (s.warmup > 0) await phase(s.warmup);
  onMeasureStart();
  const { run, ids } = await phase(s.samples);
  return { run, measuredIds: ids };
}

function stamp(event: CloudEvent, sentNs: bigint): CloudEvent {
  return { ...event, extensions: { ...event.extensions, [SENT_AT_EXTENSION]: String(sentNs) } };
}

export interface RawLatencyResult {
  /** Stamp → eachMessage: send → eachMessage, or with `dualWrite` tx start → eachMessage. */
  readonly sendToHandler: LatencySummary;
  readonly sendAck: LatencySummary;
  /** With `dualWrite`: tx start → COMMIT returned (BEGIN, INSERT, COMMIT). */
  readonly write?: LatencySummary;
  readonly run: PacedRun;
}

/**
 * Baseline: plain kafkajs producer `send` (acks -1) → plain kafkajs consumer `eachMessage`.
 * With `dualWrite` (the like-for-like baseline, not the figure): first a plain pg
 * transaction writes the state row and commits (BEGIN, INSERT, fsync'd COMMIT), then the send:
 * the dual write an outbox replaces (no atomicity between the two), stamped at the tx start.
 */
export async function rawLatency(
  kafka: Kafka,
  topic: string,
  group: string,
  s: LatencySettings,
  dualWrite?: Pool,
): Promise<RawLatencyResult> {
  const received = new Map<string, number>(); // event id → send→eachMessage ms
  const acked = new Map<string, number>(); // event id → send→ack ms
  const written = new Map<string, number>(); // event id → tx start→COMMIT ms (dualWrite)
  const consumer = kafka.consumer({ groupId: group, ...BASELINE_CONSUMER });
  const producer = plainIdempotentProducer(kafka);
  await Promise.all([consumer.connect(), producer.connect()]);
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const now = nowNs();
        const headers = message.headers ?? {};
        const sent = headerString(headers, SENT_AT_HEADER);
        const id = eventIdOf(message);
        if (sent && id) received.set(id, msBetween(BigInt(sent), now));
      },
    });
    const { run, measuredIds } = await warmupAndMeasure(
      s,
      async (event) => {
        const stampNs = nowNs();
        if (dualWrite) {
          await inTransaction(dualWrite, async (c) => {
            await c.query(`INSERT INTO bench_state (event_id, subject) VALUES ($1, $2)`, [
              event.id,
              event.subject,
            ]);
          });
          written.set(event.id, msBetween(stampNs, nowNs()));
        }
        const sentNs = nowNs();
        await producer.send({ topic, acks: -1, messages: [toKafkaRecord(stamp(event, stampNs))] });
        acked.set(event.id, msBetween(sentNs, nowNs()));
      },
      (id) => received.has(id) && acked.has(id),
      dualWrite ? 'pg tx + raw kafkajs' : 'raw kafkajs',
    );
    return {
      sendToHandler: summarize(measuredIds.map((id) => received.get(id)!)),
      sendAck: summarize(measuredIds.map((id) => acked.get(id)!)),
      ...(dualWrite ? { write: summarize(measuredIds.map((id) => written.get(id)!)) } : {}),
      run,
    };
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
  }
}

export interface KetenlinkLatencyResult {
  /** Transaction start → handler sees the event: the figure compared with the baseline. */
  readonly sendToHandler: LatencySummary;
  /** Transaction start → COMMIT returned (BEGIN, advisory lock, INSERT, pg_notify, COMMIT). */
  readonly write: LatencySummary;
  /** COMMIT returned → handler: NOTIFY wake-up, relay claim + send + mark, Kafka, consumer. */
  readonly commitToHandler: LatencySummary;
  /** Handler → inbox transaction committed (the offset commit follows). */
  readonly handlerToInboxCommit: LatencySummary;
  readonly run: PacedRun;
  /** Where the time goes, segment by segment (tests/bench/path-profile.ts). */
  readonly path: PathSegment[];
  readonly relaySends: number;
  readonly relayRecordsPerSend: number;
  readonly deadLettered: number;
  readonly outcomes: Record<string, number>;
}

/**
 * Ketenlink end to end: appendToOutbox in a TypeORM transaction that commits → relay woken as
 * the MessagingModule wakes it (pool of 3, batch 500, poll 1 s): from the writer's commit in
 * process (ADR 0041; `BENCH_RELAY_WAKE=notify` for the LISTEN/NOTIFY wake-up instead) → Kafka →
 * the adapter's batch consumer → EventProcessor.processBatch (validation, inbox + handler
 * transaction, offset commit per batch); relay producer and consumer on the same adapter.
 * Producing and consuming "services" get a data source each, as they would in production.
 */
export async function ketenlinkLatency(
  clients: KafkaClients,
  writerDs: DataSource,
  consumerDs: DataSource,
  databaseUrl: string,
  topic: string,
  group: string,
  s: LatencySettings,
): Promise<KetenlinkLatencyResult> {
  const sentAt = new Map<string, bigint>();
  const committedAt = new Map<string, bigint>();
  const handledAt = new Map<string, bigint>();
  const doneAt = new Map<string, bigint>();
  const e2e = new Map<string, number>(); // from the header, as the baseline does
  const profile = new PathProfile();
  const relayPool = new Pool({ connectionString: databaseUrl, max: 3 });
  const relayProducer = new CountingProducer(profile.observedProducer(clients.producer()));
  const relay = new OutboxRelay({
    pool: profile.observedRelayPool(relayPool),
    listenUrl: databaseUrl,
    producer: relayProducer,
  });
  const wake = relayWakeFromEnv();
  const unwake =
    wake === 'commit' ? wakeRelayAfterCommit(writerDs, () => relay.wakeUp()) : () => undefined;
  console.log(`  relay wake-up: ${wake === 'commit' ? 'in process, after the commit' : 'NOTIFY'}`);
  const consumer = await startKetenlinkConsumer(clients, consumerDs, group, topic, {
    onBatch: (records) => {
      const now = nowNs();
      for (const r of records) {
        const id = eventIdOf(r);
        if (id) profile.mark(id, 'fetched', now);
      }
    },
    onHandler: (event) => {
      const now = nowNs();
      handledAt.set(event.id, now);
      profile.mark(event.id, 'handler', now);
      const sent = event.extensions?.[SENT_AT_EXTENSION];
      if (sent) e2e.set(event.id, msBetween(BigInt(sent), now));
    },
    onProcessed: (record) => {
      const id = eventIdOf(record);
      if (!id) return;
      const now = nowNs();
      doneAt.set(id, now);
      profile.mark(id, 'inboxCommitted', now);
    },
  });
  try {
    await profile.listen(databaseUrl);
    await relay.start();
    let sendsBefore = 0;
    let recordsBefore = 0;
    const { run, measuredIds } = await warmupAndMeasure(
      s,
      async (event) => {
        const sentNs = nowNs();
        sentAt.set(event.id, sentNs);
        profile.mark(event.id, 'txStart', sentNs);
        const stamped = stamp(event, sentNs);
        await writerDs.transaction((m: EntityManager) =>
          appendToOutbox(m, [{ event: stamped, topic, aggregateType: BENCH_AGGREGATE }]),
        );
        const committed = nowNs();
        committedAt.set(event.id, committed);
        profile.mark(event.id, 'committed', committed);
      },
      (id) => doneAt.has(id) && committedAt.has(id) && e2e.has(id),
      'the Ketenlink outbox → relay → consumer path',
      () => {
        // Warm-up rows are all consumed by now: count only the measured phase's relay sends.
        sendsBefore = relayProducer.sends;
        recordsBefore = relayProducer.records;
      },
    );
    const sends = relayProducer.sends - sendsBefore;
    const records = relayProducer.records - recordsBefore;
    const ms = (from: Map<string, bigint>, to: Map<string, bigint>) =>
      summarize(measuredIds.map((id) => msBetween(from.get(id)!, to.get(id)!)));
    return {
      sendToHandler: summarize(measuredIds.map((id) => e2e.get(id)!)),
      write: ms(sentAt, committedAt),
      commitToHandler: ms(committedAt, handledAt),
      handlerToInboxCommit: ms(handledAt, doneAt),
      run,
      path: profile.segments(measuredIds),
      relaySends: sends,
      relayRecordsPerSend: sends > 0 ? records / sends : 0,
      deadLettered: consumer.deadLetters.count,
      outcomes: Object.fromEntries(consumer.outcomes),
    };
  } finally {
    unwake();
    await Promise.allSettled([relay.stop(), consumer.stop(), profile.close()]);
    await relayPool.end().catch(() => undefined);
  }
}

/** How the bench's relay is woken: `commit` (default, as the services do) or `notify`. */
function relayWakeFromEnv(): 'commit' | 'notify' {
  const v = process.env.BENCH_RELAY_WAKE ?? 'commit';
  if (v !== 'commit' && v !== 'notify') {
    throw new Error(`BENCH_RELAY_WAKE must be "commit" or "notify", got "${v}"`);
  }
  return v;
}
