import { headerString, stringHeaders } from '../envelope/binary-mode';
import type { IncomingRecord, KafkaClients } from '../kafka/kafka.port';
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

/** The dead-letter topic has one partition (deadLetterTopicSpec). */
const DLQ_PARTITION = 0;
/** Records per read while listing: the listing streams, it never holds the whole topic. */
const PAGE = 500;

function describe(r: IncomingRecord): DeadLetter {
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

/** Every dead letter's metadata, oldest first, read page by page (values are dropped). */
export async function listDeadLetters(clients: KafkaClients, group: string): Promise<DeadLetter[]> {
  const topic = deadLetterTopic(group);
  const admin = clients.admin();
  let low: bigint;
  let high: bigint;
  try {
    const p = (await admin.topicOffsets(topic)).find((o) => o.partition === DLQ_PARTITION);
    if (!p) return [];
    low = BigInt(p.low);
    high = BigInt(p.high);
  } finally {
    await admin.disconnect();
  }
  const reader = clients.reader();
  const out: DeadLetter[] = [];
  for (let from = low; from < high;) {
    const page = await reader.read(topic, DLQ_PARTITION, from.toString(), PAGE);
    if (page.length === 0) break;
    out.push(...page.map(describe));
    from = BigInt(page[page.length - 1]!.offset) + 1n;
  }
  return out;
}

/**
 * Sends one dead letter back to its original topic, as it was (key, value, CloudEvents headers),
 * marked with where it came from. Reads that one record at its offset (not the whole topic).
 * Safe to repeat: consumers drop events their inbox already has.
 */
export async function replayDeadLetter(
  clients: KafkaClients,
  group: string,
  offset: string,
): Promise<DeadLetter> {
  const topic = deadLetterTopic(group);
  const [record] = await clients.reader().read(topic, DLQ_PARTITION, offset, 1);
  if (!record || record.offset !== offset)
    throw new Error(`no dead letter at offset ${offset} for group ${group}`);
  const d = describe(record);
  const headers = stringHeaders(record.headers, /^dlq_/);
  headers.ketenlink_replayed_from = `${topic}@${offset}`;
  const producer = clients.producer();
  try {
    await producer.send(
      [{ topic: d.originalTopic, key: d.key, value: record.value ?? Buffer.alloc(0), headers }],
      { timeoutMs: 30_000 },
    );
  } finally {
    await producer.disconnect();
  }
  return d;
}
