import { validatePayload } from '@ketenlink/contracts';
import {
  type CloudEvent,
  EventProcessor,
  headerString,
  type IncomingRecord,
  KafkajsConsumer,
  type OutgoingRecord,
  type ProducerPort,
} from '@ketenlink/messaging';
import type { Kafka } from 'kafkajs';
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
  /** Inside the inbox transaction, after validation and the inbox insert (the handler's view). */
  readonly onHandler?: (event: CloudEvent) => void;
  /** After EventProcessor.process resolved (inbox transaction committed), before the offset commit. */
  readonly onProcessed?: (record: IncomingRecord, outcome: string) => void;
}

export interface RunningKetenlinkConsumer {
  readonly deadLetters: CountingDeadLetters;
  readonly outcomes: Map<string, number>;
  stop(): Promise<void>;
}

/**
 * The Ketenlink consuming side without Nest: KafkajsConsumer (offset committed after each
 * record) → EventProcessor (decode, validate against the contract, inbox row + handler in one
 * TypeORM transaction). The handler inserts one effect row.
 */
export async function startKetenlinkConsumer(
  kafka: Kafka,
  ds: DataSource,
  group: string,
  topic: string,
  hooks: KetenlinkConsumerHooks = {},
  /**
   * 'per-record' = KafkajsConsumer (the library: offset committed after every record);
   * 'auto' = the same EventProcessor on a plain kafkajs consumer with autoCommit, same
   * concurrency: a diagnostic that isolates the cost of the per-record offset commit.
   */
  commit: 'per-record' | 'auto' = 'per-record',
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
  const onRecord = async (record: IncomingRecord) => {
    const outcome = await processor.process(record);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    hooks.onProcessed?.(record, outcome);
  };
  if (commit === 'auto') {
    const plain = kafka.consumer({ groupId: group });
    await plain.connect();
    await plain.subscribe({ topics: [topic], fromBeginning: true });
    await plain.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: ({ topic: t, partition, message }) =>
        onRecord({
          topic: t,
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
        }),
    });
    return { deadLetters, outcomes, stop: () => plain.disconnect() };
  }
  const consumer = new KafkajsConsumer(kafka, group);
  await consumer.run({ topics: [topic], fromBeginning: true, onRecord });
  return { deadLetters, outcomes, stop: () => consumer.disconnect() };
}

export function eventIdOf(record: { headers?: IncomingRecord['headers'] }): string | undefined {
  return headerString(record.headers ?? {}, 'ce_id');
}
