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

export interface ProducerPort {
  connect(): Promise<void>;
  /** Sends in the given order; resolves once every record is acknowledged by all in-sync replicas. */
  send(records: readonly OutgoingRecord[]): Promise<void>;
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
