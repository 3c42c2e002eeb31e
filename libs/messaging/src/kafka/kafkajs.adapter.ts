import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type KafkaConfig,
  type Producer,
} from 'kafkajs';
import type {
  AdminPort,
  ConsumerPort,
  ConsumerRunOptions,
  OutgoingRecord,
  ProducerPort,
  TopicSpec,
} from './kafka.port';

export function brokersFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

export function createKafka(
  clientId: string,
  brokers = brokersFromEnv(),
  extra: Partial<KafkaConfig> = {},
): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
    ...extra,
  });
}

/** Idempotent producer, one request in flight: per-partition order survives retries. */
export class KafkajsProducer implements ProducerPort {
  private readonly producer: Producer;
  private connected = false;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 on the key, as the Java client: partners' own producers land on the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      // An idempotent producer must not give up: a send waits for the broker instead of losing
      // sequence numbers (the relay keeps its rows until the send succeeds).
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 10_000 },
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const r of records) {
      const list = byTopic.get(r.topic) ?? [];
      list.push(r);
      byTopic.set(r.topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
      })),
    });
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }
}

export class KafkajsConsumer implements ConsumerPort {
  private readonly consumer: Consumer;

  constructor(kafka: Kafka, groupId: string) {
    this.consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      retry: { initialRetryTime: 300, retries: 10 },
    });
  }

  async run(options: ConsumerRunOptions): Promise<void> {
    const c = this.consumer;
    await c.connect();
    await c.subscribe({
      topics: [...options.topics],
      fromBeginning: options.fromBeginning ?? true,
    });
    if (options.onLag) {
      const onLag = options.onLag;
      c.on(c.events.END_BATCH_PROCESS, (e) => {
        onLag(e.payload.topic, e.payload.partition, Number(e.payload.offsetLag));
      });
    }
    await c.run({
      autoCommit: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
      eachMessage: async ({ topic, partition, message }) => {
        await options.onRecord({
          topic,
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
        });
        // Committed only after the effect (and its inbox row) committed in PostgreSQL.
        await c.commitOffsets([
          { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
        ]);
      },
    });
  }

  async disconnect(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export class KafkajsAdmin implements AdminPort {
  private readonly admin: Admin;
  private connected = false;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }

  /** Creates the topics that do not exist yet; returns the names created. */
  async ensureTopics(topics: readonly TopicSpec[]): Promise<string[]> {
    if (!this.connected) {
      await this.admin.connect();
      this.connected = true;
    }
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return [];
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: -1,
        configEntries: [
          { name: 'retention.ms', value: String(t.retentionMs) },
          { name: 'cleanup.policy', value: t.cleanupPolicy ?? 'delete' },
        ],
      })),
    });
    return missing.map((t) => t.name);
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
    this.connected = false;
  }
}
