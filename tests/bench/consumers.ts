import { validatePayload } from '@ketenlink/contracts';
import {
  type CloudEvent,
  EventProcessor,
  headerString,
  type IncomingRecord,
  type KafkaClients,
  type OutgoingRecord,
  type ProducerPort,
} from '@ketenlink/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import { BENCH_EVENT_TYPE } from './fixtures';

/**
 * Stands in for the dead-letter producer: the bench payloads are valid, so nothing should
 * dead-letter; if something does, it is counted and the run reports it instead of hanging on a
 * dead-letter topic that was never created.
 */
export class CountingDeadLetters implements ProducerPort {
  count = 0;
  lastReason: string | undefined;
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async send(records: readonly OutgoingRecord[]): Promise<void> {
    this.count += records.length;
    this.lastReason = records[records.length - 1]?.headers.dlq_reason;
  }
}

/** Wraps the relay's producer to see how the relay batches under a given load. */
export class CountingProducer implements ProducerPort {
  sends = 0;
  records = 0;
  constructor(private readonly inner: ProducerPort) {}
  connect(): Promise<void> {
    return this.inner.connect();
  }
  disconnect(): Promise<void> {
    return this.inner.disconnect();
  }
  async send(records: readonly OutgoingRecord[]): Promise<void> {
    await this.inner.send(records);
    this.sends++;
    this.records += records.length;
  }
}

export interface KetenlinkConsumerHooks {
  /** A batch handed over by the adapter, before EventProcessor sees it. */
  readonly onBatch?: (records: readonly IncomingRecord[]) => void;
  /** Inside the inbox transaction, after validation and the inbox insert (the handler's view). */
  readonly onHandler?: (event: CloudEvent) => void;
  /** After the batch's inbox transactions committed, per record, before the offset commit. */
  readonly onProcessed?: (record: IncomingRecord, outcome: string) => void;
}

export interface RunningKetenlinkConsumer {
  readonly deadLetters: CountingDeadLetters;
  readonly outcomes: Map<string, number>;
  stop(): Promise<void>;
}

/**
 * The Ketenlink consuming side without Nest, on the given adapter: its batch consumer (offset
 * committed after each partition batch) → EventProcessor.processBatch (decode, validate against
 * the contract, inbox rows + handler effects in inbox transactions of up to 100 records). The
 * handler inserts one effect row.
 */
export async function startKetenlinkConsumer(
  clients: KafkaClients,
  ds: DataSource,
  group: string,
  topic: string,
  hooks: KetenlinkConsumerHooks = {},
): Promise<RunningKetenlinkConsumer> {
  const deadLetters = new CountingDeadLetters();
  const outcomes = new Map<string, number>();
  const processor = new EventProcessor({
    group,
    validate: validatePayload,
    transaction: (work) => ds.transaction((m: EntityManager) => work(m)),
    deadLetters,
    resolveHandler: (type) =>
      type === BENCH_EVENT_TYPE
        ? async (event, tx) => {
            hooks.onHandler?.(event);
            await tx.query(`INSERT INTO bench_effects (event_id, subject) VALUES ($1, $2)`, [
              event.id,
              event.subject,
            ]);
          }
        : undefined,
  });
  const consumer = clients.consumer({ groupId: group });
  await consumer.run({
    topics: [topic],
    fromBeginning: true,
    partitionsConsumedConcurrently: 3,
    onBatch: async (batch) => {
      hooks.onBatch?.(batch.records);
      const done = await processor.processBatch(batch);
      batch.records.forEach((record, i) => {
        const outcome = done[i] ?? 'unknown';
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        hooks.onProcessed?.(record, outcome);
      });
    },
  });
  return { deadLetters, outcomes, stop: () => consumer.disconnect() };
}

export function eventIdOf(record: { headers?: IncomingRecord['headers'] }): string | undefined {
  return headerString(record.headers ?? {}, 'ce_id');
}
