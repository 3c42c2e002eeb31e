import './kafkajs-timeout-fix';
import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, type Admin, type Consumer, type Kafka } from 'kafkajs';
import { createKafka, KafkajsProducer } from './kafkajs.adapter';
import type {
  AdminPort,
  ConsumerPort,
  ConsumerRunOptions,
  IncomingRecord,
  KafkaClients,
  PartitionOffsets,
  RecordReaderPort,
  TopicDescription,
  TopicSpec,
} from './kafka.port';

/** The kafkajs adapter behind the KafkaClients factory (docs/adr/0013-kafka-port-and-client.md). */
export function kafkajsClients(clientId: string, brokers: string[]): KafkaClients {
  // Connection attempts fail fast: the callers retry with their own back-off while Kafka is away.
  const kafka = createKafka(clientId, brokers, {
    retry: { initialRetryTime: 200, retries: 3, maxRetryTime: 2_000 },
  });
  return {
    name: 'kafkajs',
    producer: () => new KafkajsProducer(kafka),
    consumer: ({ groupId }) => new KafkajsBatchConsumer(kafka, groupId),
    admin: () => new KafkajsAdmin(kafka),
    reader: () => new KafkajsReader(kafka),
  };
}

/** At most `size` holders at a time; the others wait in order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = Math.max(1, size);
  }
  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/** How a handed-over batch ended: handled (its commit requested), or failed and sought back. */
type BatchEnd = 'done' | 'sought-back';

/**
 * eachBatch per partition, offsets committed by hand after the batch handler resolved.
 *
 * kafkajs fetches again only when every batch of the previous fetch has been handled; awaiting
 * the inbox transaction inside `eachBatch` would leave no fetch outstanding while it runs, and a
 * record produced meanwhile would wait for it plus a fetch round trip. So `eachBatch` hands the
 * batch over and returns (docs/adr/0035-latency-path.md): kafkajs fetches on, while the batch is
 * handled and its offset committed afterwards. Per partition one batch at a time, in order (the
 * next batch of a partition waits for the previous one); at most `partitionsConsumedConcurrently`
 * batches at once. A failed batch is not committed: after a pause the partition is sought back to
 * the batch's first record, so it comes again in order and nothing after it is handled first.
 */
class KafkajsBatchConsumer implements ConsumerPort {
  private consumer: Consumer | undefined;
  private readonly inFlight = new Map<string, Promise<BatchEnd>>();
  /** Per partition, the last offset commit requested (they run one after the other). */
  private readonly commits = new Map<string, Promise<void>>();
  private closing = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
  ) {}

  async run(o: ConsumerRunOptions): Promise<void> {
    this.closing = false;
    const c = this.kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 1_000,
      retry: { initialRetryTime: 300, retries: 5, maxRetryTime: 5_000 },
    });
    this.consumer = c;
    const state = o.onState ?? (() => undefined);
    const concurrency = o.partitionsConsumedConcurrently ?? 3;
    const slots = new Slots(concurrency);
    let joined!: () => void;
    let crashed!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      joined = resolve;
      crashed = reject;
    });
    ready.catch(() => undefined); // a crash before the join is seen where `ready` is awaited
    c.on(c.events.GROUP_JOIN, () => {
      joined();
      state('running');
    });
    c.on(c.events.CRASH, (e) => {
      const err = e.payload.error;
      crashed(err);
      state(e.payload.restart ? 'connecting' : 'failed', err);
    });
    state('connecting');
    await c.connect();
    await c.subscribe({ topics: [...o.topics], fromBeginning: o.fromBeginning ?? true });
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: concurrency,
      eachBatch: async ({ batch, isRunning, isStale, resolveOffset }) => {
        const key = `${batch.topic}:${batch.partition}`;
        const usable = () => !this.closing && isRunning() && !isStale();
        if (batch.messages.length === 0 || !usable()) return;
        // The partition's previous batch first; if it failed, the partition was sought back
        // and this batch comes again after it.
        const previous = await (this.inFlight.get(key) ?? 'done');
        if (previous === 'sought-back' || !usable()) return;
        await slots.acquire();
        if (!usable()) {
          slots.release();
          return;
        }
        const records: IncomingRecord[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          key: m.key,
          value: m.value,
          headers: m.headers ?? {},
        }));
        const first = batch.firstOffset() ?? records[0]!.offset;
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        const lag = Number(batch.offsetLag());
        resolveOffset(batch.lastOffset()); // fetch on past it; committed only once handled
        const work = this.handle(
          c,
          o,
          { topic: batch.topic, partition: batch.partition, records },
          first,
          next,
          lag,
        ).finally(() => slots.release());
        this.inFlight.set(key, work);
        void work.finally(() => {
          if (this.inFlight.get(key) === work) this.inFlight.delete(key);
        });
      },
    });
    await ready;
  }

  private async handle(
    c: Consumer,
    o: ConsumerRunOptions,
    batch: { topic: string; partition: number; records: IncomingRecord[] },
    first: string,
    next: string,
    lag: number,
  ): Promise<BatchEnd> {
    const { topic, partition } = batch;
    try {
      await o.onBatch(batch);
    } catch {
      // Not committed: after a pause, fetch the partition again from this batch's first record.
      if (!this.closing) await new Promise((r) => setTimeout(r, 1_000));
      try {
        c.seek({ topic, partition, offset: first });
      } catch {
        // Not running any more: the next owner starts from the last commit.
      }
      return 'sought-back';
    }
    this.commit(c, topic, partition, next, () => o.onLag?.(topic, partition, lag));
    return 'done';
  }

  /**
   * Commits the offset after a handled batch, in order per partition, without holding up the
   * partition's next batch: the request waits on the broker behind the long-poll fetch kafkajs
   * has outstanding on the same connection (a broker handles one request per connection at a
   * time), i.e. until the next records arrive or the fetch times out.
   */
  private commit(
    c: Consumer,
    topic: string,
    partition: number,
    offset: string,
    after: () => void,
  ): void {
    const key = `${topic}:${partition}`;
    const previous = this.commits.get(key) ?? Promise.resolve();
    const done = previous.then(async () => {
      try {
        // Committed only after the batch's inbox transactions committed in PostgreSQL.
        await c.commitOffsets([{ topic, partition, offset }]);
        after();
      } catch {
        // Lost the partition in a rebalance (or Kafka away for a moment): its next owner starts
        // from the last commit, and the inbox drops what this batch already did.
      }
    });
    this.commits.set(key, done);
    void done.finally(() => {
      if (this.commits.get(key) === done) this.commits.delete(key);
    });
  }

  async disconnect(): Promise<void> {
    // No batch is handed over any more; those in flight finish and commit first.
    this.closing = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
    while (this.commits.size > 0) await Promise.allSettled([...this.commits.values()]);
    await this.consumer?.disconnect();
  }
}

class KafkajsAdmin implements AdminPort {
  private readonly admin: Admin;
  private connected = false;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }

  private async client(): Promise<Admin> {
    if (!this.connected) {
      await this.admin.connect();
      this.connected = true;
    }
    return this.admin;
  }

  /** Creates the topics that do not exist yet; returns the names created. */
  async ensureTopics(topics: readonly TopicSpec[]): Promise<string[]> {
    const admin = await this.client();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return [];
    await admin.createTopics({
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

  async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    const admin = await this.client();
    const existing = new Set(await admin.listTopics());
    const wanted = names.filter((n) => existing.has(n));
    if (wanted.length === 0) return [];
    const { topics } = await admin.fetchTopicMetadata({ topics: wanted });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: wanted.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    });
    return topics.map((t) => {
      const res = configs.resources.find((r) => r.resourceName === t.name);
      return {
        name: t.name,
        partitions: t.partitions.length,
        config: Object.fromEntries(
          (res?.configEntries ?? []).map((e) => [e.configName, e.configValue]),
        ),
      };
    });
  }

  async topicOffsets(topic: string): Promise<PartitionOffsets[]> {
    const admin = await this.client();
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets
      .map((p) => ({ partition: p.partition, low: p.low, high: p.high }))
      .sort((a, b) => a.partition - b.partition);
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const admin = await this.client();
    await admin.deleteTopics({ topics: [...names] });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
    this.connected = false;
  }
}

/** kafkajs has no fetch-at-offset call: a throw-away group, seek, read, leave. */
class KafkajsReader implements RecordReaderPort {
  constructor(private readonly kafka: Kafka) {}

  async read(
    topic: string,
    partition: number,
    from: string,
    max: number,
  ): Promise<IncomingRecord[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    let high: bigint;
    try {
      const p = (await admin.fetchTopicOffsets(topic)).find((o) => o.partition === partition);
      if (!p) throw new Error(`topic ${topic} has no partition ${partition}`);
      high = BigInt(p.high);
      if (BigInt(from) < BigInt(p.low)) from = p.low;
    } finally {
      await admin.disconnect();
    }
    if (max <= 0 || BigInt(from) >= high) return [];
    const out: IncomingRecord[] = [];
    const consumer = this.kafka.consumer({
      groupId: `ketenlink-reader-${randomUUID()}`,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: false });
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`reading ${topic}/${partition}@${from} timed out`)),
          30_000,
        );
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              if (batch.partition !== partition) return;
              for (const m of batch.messages) {
                const offset = BigInt(m.offset);
                if (offset < BigInt(from) || offset >= high || out.length >= max) continue;
                out.push({
                  topic,
                  partition,
                  offset: m.offset,
                  key: m.key,
                  value: m.value,
                  headers: m.headers ?? {},
                });
              }
              const last = BigInt(batch.lastOffset());
              if (out.length >= max || last >= high - 1n) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
      consumer.seek({ topic, partition, offset: from });
      await done;
    } finally {
      await consumer.disconnect();
    }
    return out;
  }
}
