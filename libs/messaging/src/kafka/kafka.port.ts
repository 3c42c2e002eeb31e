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

export interface ConsumerRunOptions {
  readonly topics: readonly string[];
  readonly fromBeginning?: boolean;
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Called once per record, in order per partition. The offset is committed only after the
   * returned promise resolves; a rejection leaves it uncommitted so the record comes again.
   */
  readonly onRecord: (record: IncomingRecord) => Promise<void>;
  readonly onLag?: (topic: string, partition: number, lag: number) => void;
}

export interface ConsumerPort {
  run(options: ConsumerRunOptions): Promise<void>;
  disconnect(): Promise<void>;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
  readonly cleanupPolicy?: 'delete' | 'compact';
}

export interface AdminPort {
  ensureTopics(topics: readonly TopicSpec[]): Promise<string[]>;
  disconnect(): Promise<void>;
}
