import { randomUUID } from 'node:crypto';
import { brokersFromEnv } from '@ketenlink/messaging';
import { Kafka, logLevel } from 'kafkajs';

/** One record as it sits in Kafka: key, every header and the value, as text. */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly text: string;
}

/**
 * Reads every record of the topics (matching `topicFilter`) from the beginning up to the
 * current end, with a throw-away consumer group: what a scan for leaks needs to see.
 */
export async function readAllRecords(
  topicFilter: (topic: string) => boolean,
): Promise<RawRecord[]> {
  const kafka = new Kafka({
    clientId: 'e2e-scan',
    brokers: brokersFromEnv(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter(topicFilter);
  const ends = new Map<string, bigint>();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}/${p.partition}`, BigInt(p.high));
    }
  }
  await admin.disconnect();
  const records: RawRecord[] = [];
  if (ends.size === 0) return records;
  const consumer = kafka.consumer({ groupId: `e2e-scan-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({
    topics: topics.filter((t) => [...ends.keys()].some((k) => k.startsWith(`${t}/`))),
    fromBeginning: true,
  });
  const remaining = new Set(ends.keys());
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`scan incomplete: ${[...remaining].join(', ')}`)),
      60_000,
    );
    void consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const headers = Object.entries(message.headers ?? {})
            .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v ?? '')}`)
            .join('\n');
          records.push({
            topic,
            partition,
            offset: message.offset,
            text: `${message.key?.toString() ?? ''}\n${headers}\n${message.value?.toString() ?? ''}`,
          });
          const key = `${topic}/${partition}`;
          if (BigInt(message.offset) + 1n >= (ends.get(key) ?? 0n)) remaining.delete(key);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return records;
}
