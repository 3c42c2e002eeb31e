/**
 * The small port the rest of the platform sees instead of kafkajs (docs/adr/0001-kafka-client.md).
 * Swapping the client means writing one new adapter for these two interfaces.
 */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

export interface SendOptions {
  /**
   * Upper bound for the whole send, retries included (default 30 s). Past it the send rejects
   * with a transient `KafkaSendError`; the records may or may not have been written (the caller
   * sends them again; consumers dedupe by event id).
   */
  readonly timeoutMs?: number;
}

/**
 * Why a send failed. `permanent`: Kafka refused the record itself and sending it again will not
 * help (over `max.message.bytes`, invalid record, unknown topic with auto-creation off, not
 * authorised). Otherwise transient (broker unreachable, leader moving, timeout): retry with
 * back-off. Every adapter maps its client's errors onto this one class.
 */
export class KafkaSendError extends Error {
  override readonly name = 'KafkaSendError';
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The client's own error code or name, for logs and the parked row's last error. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface ProducerPort {
  connect(): Promise<void>;
  /**
   * Sends in the given order; resolves once every record is acknowledged by all in-sync
   * replicas; rejects with a `KafkaSendError` (never hangs past `timeoutMs`).
   */
  send(records: readonly OutgoingRecord[], options?: SendOptions): Promise<void>;
  disconnect(): Promise<void>;
}

export interface IncomingRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

/** Consecutive records of one partition, in offset order. */
export interface IncomingBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly IncomingRecord[];
}

/**
 * Where a consumer stands, for readiness: `connecting` (joining the group, or reconnecting
 * after Kafka went away), `running` (group joined, partitions assigned), `stopped` (not
 * started, or closed on purpose), `failed` (gave up: a non-retriable error; needs a restart).
 */
export type ConsumerState = 'connecting' | 'running' | 'stopped' | 'failed';

export interface ConsumerRunOptions {
  readonly topics: readonly string[];
  readonly fromBeginning?: boolean;
  /** How many partitions are handled at the same time (default 3). */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Called with the records of one partition as they were fetched, in order per partition;
   * batches of different partitions run concurrently. The offset after the batch's last record
   * is committed only after the returned promise resolves; a rejection leaves it uncommitted so
   * the batch comes again (after a back-off).
   */
  readonly onBatch: (batch: IncomingBatch) => Promise<void>;
  readonly onLag?: (topic: string, partition: number, lag: number) => void;
  /** Each state change (see ConsumerState). */
  readonly onState?: (state: ConsumerState, error?: Error) => void;
}

export interface ConsumerPort {
  /**
   * Connects, joins the group and starts handing batches to `onBatch`; resolves once the group
   * is joined, rejects when Kafka cannot be reached (the caller retries with back-off). After it
   * resolved, a lost connection is retried by the adapter; `onState` tells `connecting` again,
   * and `failed` when it gives up.
   */
  run(options: ConsumerRunOptions): Promise<void>;
  disconnect(): Promise<void>;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
  readonly cleanupPolicy?: 'delete' | 'compact';
}

export interface TopicDescription {
  readonly name: string;
  readonly partitions: number;
  /** Topic-level configuration as Kafka reports it (e.g. `retention.ms`, `cleanup.policy`). */
  readonly config: Record<string, string>;
}

export interface PartitionOffsets {
  readonly partition: number;
  /** First offset still held. */
  readonly low: string;
  /** Offset the next record will get (high watermark). */
  readonly high: string;
}

export interface AdminPort {
  ensureTopics(topics: readonly TopicSpec[]): Promise<string[]>;
  /** The named topics that exist (unknown names are left out). */
  describeTopics(names: readonly string[]): Promise<TopicDescription[]>;
  topicOffsets(topic: string): Promise<PartitionOffsets[]>;
  deleteTopics(names: readonly string[]): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Reads records at a known position without joining a consumer group or committing anything
 * (the dead-letter tools: list a topic, replay the one record at partition/offset).
 */
export interface RecordReaderPort {
  /**
   * Up to `max` records of one partition from offset `from` (inclusive), stopping at the high
   * watermark seen when the call started; resolves with fewer when the partition ends sooner.
   */
  read(topic: string, partition: number, from: string, max: number): Promise<IncomingRecord[]>;
}

/** The adapters there are (KETENLINK_KAFKA_CLIENT). */
export type KafkaClientName = 'kafkajs' | 'platformatic';

export interface ConsumerClientOptions {
  /** Kafka consumer group id (with the deployment's prefix, if any). */
  readonly groupId: string;
}

/**
 * The one way the platform gets Kafka clients: a factory per adapter, chosen by configuration
 * (`kafkaClients()` in kafka-clients.ts). Nothing outside `kafka/` sees a client library type.
 */
export interface KafkaClients {
  readonly name: KafkaClientName;
  producer(): ProducerPort;
  consumer(options: ConsumerClientOptions): ConsumerPort;
  admin(): AdminPort;
  reader(): RecordReaderPort;
}
