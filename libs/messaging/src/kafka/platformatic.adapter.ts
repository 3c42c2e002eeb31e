import { randomUUID } from 'node:crypto';
import {
  Admin,
  compatibilityPartitioner,
  ConfigResourceTypes,
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import {
  KafkaSendError,
  type AdminPort,
  type ConsumerPort,
  type ConsumerRunOptions,
  type IncomingRecord,
  type KafkaClients,
  type OutgoingRecord,
  type PartitionOffsets,
  type ProducerPort,
  type RecordReaderPort,
  type SendOptions,
  type TopicDescription,
  type TopicSpec,
} from './kafka.port';

/**
 * The @platformatic/kafka adapter (docs/adr/0013-kafka-port-and-client.md): pure JS, maintained,
 * promise API, streams for consuming. Same guarantees as the kafkajs adapter: idempotent
 * producer with acks all, the Java client's murmur2 partitioning, manual commits per batch.
 */
export function platformaticClients(clientId: string, brokers: string[]): KafkaClients {
  const base = {
    clientId,
    bootstrapBrokers: brokers,
    retries: 3,
    retryDelay: 250,
    timeout: 10_000,
  };
  return {
    name: 'platformatic',
    producer: () => new PlatformaticProducer(base),
    consumer: ({ groupId }) => new PlatformaticConsumer(base, groupId),
    admin: () => new PlatformaticAdmin(base),
    reader: () => new PlatformaticReader(base),
  };
}

type Base = {
  clientId: string;
  bootstrapBrokers: string[];
  retries: number;
  retryDelay: number;
  timeout: number;
};

/** Kafka's own verdict on the record itself: sending it again cannot succeed. */
const PERMANENT_API_IDS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'INVALID_REQUIRED_ACKS',
  'UNSUPPORTED_VERSION',
]);

function apiIdsOf(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 5) return [];
  const e = err as { apiId?: unknown; errors?: unknown[]; cause?: unknown };
  const own = typeof e.apiId === 'string' ? [e.apiId] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => apiIdsOf(x, depth + 1)) : [];
  return [...own, ...nested, ...apiIdsOf(e.cause, depth + 1)];
}

export function classifyPlatformaticError(err: unknown): KafkaSendError {
  if (err instanceof KafkaSendError) return err;
  const ids = apiIdsOf(err);
  // The client's own refusal before sending (unknown topic with auto-creation off, a record it
  // cannot serialise): sending the same again fails the same way.
  const userError = (err as { code?: unknown } | undefined)?.code === 'PLT_KFK_USER';
  const permanent =
    ids.find((id) => PERMANENT_API_IDS.has(id)) ?? (userError ? 'PLT_KFK_USER' : undefined);
  const message = err instanceof Error ? err.message : String(err);
  const code = permanent ?? ids[0] ?? (err as { code?: string } | undefined)?.code;
  return new KafkaSendError(
    permanent ? `Kafka refused the record (${permanent}): ${message}` : `send failed: ${message}`,
    permanent !== undefined,
    code,
  );
}

class PlatformaticProducer implements ProducerPort {
  private producer: Producer | undefined;

  constructor(private readonly base: Base) {}

  private client(): Producer {
    this.producer ??= new Producer({
      ...this.base,
      idempotent: true,
      acks: ProduceAcks.ALL,
      // (murmur2(key) & 0x7fffffff) % partitions: the Java client's and kafkajs' DefaultPartitioner.
      partitioner: compatibilityPartitioner,
      autocreateTopics: false,
    });
    return this.producer;
  }

  async connect(): Promise<void> {
    try {
      await this.client().initIdempotentProducer({});
    } catch (err) {
      throw classifyPlatformaticError(err);
    }
  }

  async send(records: readonly OutgoingRecord[], options: SendOptions = {}): Promise<void> {
    if (records.length === 0) return;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const sending = this.client().send({
      messages: records.map((r) => ({
        topic: r.topic,
        key: Buffer.from(r.key),
        value: r.value,
        headers: new Map(
          Object.entries(r.headers).map(([k, v]) => [Buffer.from(k), Buffer.from(v)] as const),
        ),
      })),
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new KafkaSendError(`send timed out after ${timeoutMs} ms`, false, 'TIMEOUT')),
        timeoutMs,
      );
    });
    try {
      await Promise.race([sending, timeout]);
    } catch (err) {
      sending.catch(() => undefined); // a late failure of an abandoned send is not unhandled
      throw classifyPlatformaticError(err);
    } finally {
      clearTimeout(timer);
    }
  }

  async disconnect(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    await p?.close(true);
  }
}

function toIncoming(m: Message<Buffer, Buffer, Buffer, Buffer>): IncomingRecord {
  const headers: Record<string, Buffer> = {};
  for (const [k, v] of m.headers) headers[k.toString()] = v;
  return {
    topic: m.topic,
    partition: m.partition,
    offset: m.offset.toString(),
    key: m.key && m.key.length > 0 ? m.key : (m.key ?? null),
    value: m.value ?? null,
    headers,
  };
}

type Msg = Message<Buffer, Buffer, Buffer, Buffer>;

/**
 * The stream gives records of all assigned partitions interleaved; they are queued per
 * partition and each partition's queue is handed over as one batch while the previous batch of
 * that partition is not running (at most `partitionsConsumedConcurrently` at a time). The
 * stream is paused while too many records wait.
 */
class PlatformaticConsumer implements ConsumerPort {
  private consumer: Consumer | undefined;
  private stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  private closing = false;
  private readonly queues = new Map<string, Msg[]>();
  private readonly busy = new Set<string>();
  private running = 0;
  private queued = 0;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly base: Base,
    private readonly groupId: string,
  ) {}

  async run(o: ConsumerRunOptions): Promise<void> {
    const state = o.onState ?? (() => undefined);
    const concurrency = o.partitionsConsumedConcurrently ?? 3;
    const maxBatch = 500;
    const highWater = 2_000;
    state('connecting');
    const consumer = new Consumer({
      ...this.base,
      groupId: this.groupId,
      autocommit: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTime: 500,
    });
    this.consumer = consumer;
    consumer.on('consumer:group:join', () => state('running'));
    consumer.on('consumer:group:rejoin', () => state('connecting'));
    const stream = await consumer.consume({
      topics: [...o.topics],
      autocommit: false,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode:
        (o.fromBeginning ?? true)
          ? MessagesStreamFallbackModes.EARLIEST
          : MessagesStreamFallbackModes.LATEST,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTime: 500,
    });
    this.stream = stream;
    state('running');

    const pump = (): void => {
      for (const [key, queue] of this.queues) {
        if (this.running >= concurrency) return;
        if (queue.length === 0 || this.busy.has(key)) continue;
        const batch = queue.splice(0, maxBatch);
        this.queued -= batch.length;
        this.busy.add(key);
        this.running++;
        void this.handle(batch, o).finally(() => {
          this.busy.delete(key);
          this.running--;
          if (this.queued < highWater / 2 && stream.isPaused() && !this.closing) stream.resume();
          if (this.running === 0 && this.queued === 0) for (const f of this.idle) f();
          pump();
        });
      }
    };
    stream.on('data', (m: Msg) => {
      const key = `${m.topic}:${m.partition}`;
      let q = this.queues.get(key);
      if (!q) this.queues.set(key, (q = []));
      q.push(m);
      this.queued++;
      if (this.queued >= highWater) stream.pause();
      pump();
    });
    stream.on('error', (err: Error) => {
      if (!this.closing) state('failed', err);
    });
    stream.on('close', () => {
      if (!this.closing) state('failed', new Error('the consumer stream closed'));
    });
  }

  private async handle(batch: Msg[], o: ConsumerRunOptions): Promise<void> {
    const first = batch[0]!;
    const last = batch[batch.length - 1]!;
    try {
      await o.onBatch({
        topic: first.topic,
        partition: first.partition,
        records: batch.map(toIncoming),
      });
    } catch {
      // Not committed: hand the records back to the front of their queue after a pause, so the
      // partition is retried in order and never skipped.
      await new Promise((r) => setTimeout(r, 1_000));
      if (this.closing) return;
      const key = `${first.topic}:${first.partition}`;
      const q = this.queues.get(key) ?? [];
      q.unshift(...batch);
      this.queues.set(key, q);
      this.queued += batch.length;
      return;
    }
    if (this.closing && !this.stream) return;
    try {
      // Commits offset + 1 of the batch's last record (single-flight per partition).
      await last.commit();
    } catch {
      // Lost the partition in a rebalance: its next owner starts from the last commit and the
      // inbox drops what this batch already did.
    }
    // No lag here: the stream does not report the high watermark per fetch, and a made-up 0
    // would hide a backlog. (kafkajs reports it per batch.)
  }

  async disconnect(): Promise<void> {
    this.closing = true;
    const stream = this.stream;
    stream?.pause();
    if (this.running > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
    this.stream = undefined;
    try {
      if (stream) await stream.close();
    } finally {
      await this.consumer?.close(true);
    }
  }
}

class PlatformaticAdmin implements AdminPort {
  private admin: Admin | undefined;

  constructor(private readonly base: Base) {}

  private client(): Admin {
    this.admin ??= new Admin(this.base);
    return this.admin;
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<string[]> {
    const admin = this.client();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    for (const t of missing) {
      try {
        await admin.createTopics({
          topics: [t.name],
          partitions: t.partitions,
          replicas: -1,
          configs: [
            { name: 'retention.ms', value: String(t.retentionMs) },
            { name: 'cleanup.policy', value: t.cleanupPolicy ?? 'delete' },
          ],
        });
      } catch (err) {
        // Another instance created it between list and create.
        if (!apiIdsOf(err).includes('TOPIC_ALREADY_EXISTS')) throw err;
      }
    }
    if (missing.length > 0) await this.waitForLeaders(missing.map((t) => t.name));
    return missing.map((t) => t.name);
  }

  private async waitForLeaders(names: string[]): Promise<void> {
    for (let i = 0; i < 50; i++) {
      try {
        const md = await this.client().metadata({ topics: names, forceUpdate: true });
        const ok = names.every((n) =>
          md.topics.get(n)?.partitions.every((p) => p !== undefined && p.leader >= 0),
        );
        if (ok) return;
      } catch {
        // metadata not there yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    const admin = this.client();
    const existing = new Set(await admin.listTopics());
    const wanted = names.filter((n) => existing.has(n));
    if (wanted.length === 0) return [];
    const md = await admin.metadata({ topics: wanted, forceUpdate: true });
    const configs = await admin.describeConfigs({
      resources: wanted.map((resourceName) => ({
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName,
      })),
    });
    return wanted.map((name) => ({
      name,
      partitions: md.topics.get(name)?.partitionsCount ?? 0,
      config: Object.fromEntries(
        (configs.find((c) => c.resourceName === name)?.configs ?? []).map((c) => [
          c.name,
          c.value ?? '',
        ]),
      ),
    }));
  }

  async topicOffsets(topic: string): Promise<PartitionOffsets[]> {
    const admin = this.client();
    const md = await admin.metadata({ topics: [topic], forceUpdate: true });
    const count = md.topics.get(topic)?.partitionsCount ?? 0;
    const partitions = [...Array(count).keys()];
    const at = async (timestamp: bigint) =>
      (
        await admin.listOffsets({
          topics: [
            {
              name: topic,
              partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })),
            },
          ],
        })
      )[0]?.partitions ?? [];
    const [low, high] = await Promise.all([at(-2n), at(-1n)]);
    return partitions.map((partition) => ({
      partition,
      low: String(low.find((p) => p.partitionIndex === partition)?.offset ?? 0n),
      high: String(high.find((p) => p.partitionIndex === partition)?.offset ?? 0n),
    }));
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.client().deleteTopics({ topics: [...names] });
  }

  async disconnect(): Promise<void> {
    const a = this.admin;
    this.admin = undefined;
    await a?.close();
  }
}

/** A manual-offset stream on a throw-away group: starts exactly at the wanted offset. */
class PlatformaticReader implements RecordReaderPort {
  constructor(private readonly base: Base) {}

  async read(
    topic: string,
    partition: number,
    from: string,
    max: number,
  ): Promise<IncomingRecord[]> {
    const admin = new PlatformaticAdmin(this.base);
    let high: bigint;
    try {
      const p = (await admin.topicOffsets(topic)).find((o) => o.partition === partition);
      if (!p) throw new Error(`topic ${topic} has no partition ${partition}`);
      high = BigInt(p.high);
      if (BigInt(from) < BigInt(p.low)) from = p.low;
    } finally {
      await admin.disconnect();
    }
    if (max <= 0 || BigInt(from) >= high) return [];
    const consumer = new Consumer({
      ...this.base,
      groupId: `ketenlink-reader-${randomUUID()}`,
      autocommit: false,
      maxWaitTime: 200,
    });
    const out: IncomingRecord[] = [];
    try {
      const stream = await consumer.consume({
        topics: [topic],
        autocommit: false,
        mode: MessagesStreamModes.MANUAL,
        offsets: [{ topic, partition, offset: BigInt(from) }],
        fallbackMode: MessagesStreamFallbackModes.LATEST,
      });
      const timer = setTimeout(
        () => stream.destroy(new Error(`reading ${topic}/${partition}@${from} timed out`)),
        30_000,
      );
      try {
        for await (const m of stream as AsyncIterable<Msg>) {
          if (m.partition !== partition || m.offset < BigInt(from)) continue;
          if (m.offset < high) out.push(toIncoming(m));
          if (out.length >= max || m.offset >= high - 1n) break;
        }
      } finally {
        clearTimeout(timer);
        await stream.close().catch(() => undefined);
      }
    } finally {
      await consumer.close(true);
    }
    return out;
  }
}
