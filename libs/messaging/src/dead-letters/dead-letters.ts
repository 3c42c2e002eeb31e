import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { headerString, stringHeaders } from '../envelope/binary-mode';
import { KafkajsProducer } from '../kafka/kafkajs.adapter';
import { deadLetterTopic } from '../topics/topics';

/**
 * Operator view of a consumer group's dead letters (docs/runbooks/dead-letters.md).
 * Only metadata is shown: the value holds client data and stays in Kafka.
 */
export interface DeadLetter {
  readonly offset: string;
  readonly key: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly reason: string;
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  readonly failedAt: string;
}

interface RawDeadLetter {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

async function readAll(kafka: Kafka, topic: string): Promise<RawDeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const end = ends.find((p) => p.partition === 0);
  if (!end || end.high === end.low) return [];
  const last = BigInt(end.high) - 1n;
  const out: RawDeadLetter[] = [];
  const consumer = kafka.consumer({ groupId: `ketenlink-dlq-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          out.push({
            offset: message.offset,
            key: message.key,
            value: message.value,
            headers: message.headers ?? {},
          });
          if (BigInt(message.offset) >= last) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return out;
}

function describe(r: RawDeadLetter): DeadLetter {
  const h = (n: string) => headerString(r.headers, n);
  return {
    offset: r.offset,
    key: r.key?.toString() ?? '',
    ...(h('ce_id') ? { eventId: h('ce_id') } : {}),
    ...(h('ce_type') ? { eventType: h('ce_type') } : {}),
    reason: h('dlq_reason') ?? '',
    originalTopic: h('dlq_original_topic') ?? '',
    originalPartition: Number(h('dlq_original_partition') ?? -1),
    originalOffset: h('dlq_original_offset') ?? '',
    failedAt: h('dlq_failed_at') ?? '',
  };
}

export async function listDeadLetters(kafka: Kafka, group: string): Promise<DeadLetter[]> {
  return (await readAll(kafka, deadLetterTopic(group))).map(describe);
}

/**
 * Sends one dead letter back to its original topic, as it was (key, value, CloudEvents headers),
 * marked with where it came from. Safe to repeat: consumers drop events their inbox already has.
 */
export async function replayDeadLetter(
  kafka: Kafka,
  group: string,
  offset: string,
): Promise<DeadLetter> {
  const record = (await readAll(kafka, deadLetterTopic(group))).find((r) => r.offset === offset);
  if (!record) throw new Error(`no dead letter at offset ${offset} for group ${group}`);
  const d = describe(record);
  const headers = stringHeaders(record.headers, /^dlq_/);
  headers.ketenlink_replayed_from = `${deadLetterTopic(group)}@${offset}`;
  const producer = new KafkajsProducer(kafka);
  try {
    await producer.send([
      { topic: d.originalTopic, key: d.key, value: record.value ?? Buffer.alloc(0), headers },
    ]);
  } finally {
    await producer.disconnect();
  }
  return d;
}
