import type {
  ConsumerPort,
  ConsumerState,
  IncomingBatch,
  KafkaClients,
  ProducerPort,
  TopicSpec,
} from '../kafka/kafka.port';
import { silentLogger, type MessagingLogger } from '../logger';

export interface EventConsumerOptions {
  readonly clients: KafkaClients;
  /** Kafka consumer group id. */
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Created (if missing) before consuming, on every (re)connect. */
  readonly ensureTopics?: readonly TopicSpec[];
  readonly partitionsConsumedConcurrently?: number;
  readonly onBatch: (batch: IncomingBatch) => Promise<void>;
  readonly onLag?: (topic: string, partition: number, lag: number) => void;
  /** The producer the batch handler dead-letters with: connected before consuming. */
  readonly producer?: ProducerPort;
  /** Back-off between connection attempts (default 500 ms doubling to 15 s, with jitter). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly logger?: MessagingLogger;
}

/**
 * Runs a consumer group for the life of a process, whether or not Kafka is there: `start()`
 * returns at once; connecting (topics, producer, group join) is retried with back-off until it
 * works, and again whenever the adapter reports the consumer failed. `state` is what readiness
 * reads (ConsumerState).
 */
export class EventConsumer {
  private current: ConsumerState = 'stopped';
  private consumer: ConsumerPort | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly logger: MessagingLogger;

  constructor(private readonly opts: EventConsumerOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  get state(): ConsumerState {
    return this.current;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.runLoop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    // Disconnecting first also ends a group join still in progress (Kafka away), so stop() does
    // not wait for the adapter's connection retries.
    await this.consumer?.disconnect().catch(() => undefined);
    await this.loop;
    this.loop = undefined;
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.current = 'stopped';
  }

  private async runLoop(): Promise<void> {
    const { initialMs, maxMs } = this.opts.backoff ?? { initialMs: 500, maxMs: 15_000 };
    let attempt = 0;
    while (!this.stopping) {
      this.current = 'connecting';
      let failed!: (err: Error) => void;
      const failure = new Promise<Error>((resolve) => (failed = resolve));
      try {
        if (this.opts.ensureTopics?.length) {
          const admin = this.opts.clients.admin();
          try {
            await admin.ensureTopics(this.opts.ensureTopics);
          } finally {
            await admin.disconnect().catch(() => undefined);
          }
        }
        await this.opts.producer?.connect();
        if (this.stopping) break;
        this.consumer = this.opts.clients.consumer({ groupId: this.opts.groupId });
        await this.consumer.run({
          topics: this.opts.topics,
          fromBeginning: true,
          ...(this.opts.partitionsConsumedConcurrently
            ? { partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently }
            : {}),
          onBatch: this.opts.onBatch,
          ...(this.opts.onLag ? { onLag: this.opts.onLag } : {}),
          onState: (s, err) => {
            if (this.stopping) return;
            if (s === 'failed') failed(err ?? new Error('consumer failed'));
            else this.current = s;
          },
        });
        if (!this.stopping) this.current = 'running';
        attempt = 0;
        const err = await Promise.race([
          failure,
          new Promise<undefined>((r) => (this.wake = () => r(undefined))),
        ]);
        if (!err || this.stopping) break;
        this.logger.warn(
          { group: this.opts.groupId, err: String(err) },
          'consumer failed; reconnecting',
        );
      } catch (err) {
        this.logger.warn(
          { group: this.opts.groupId, attempt, err: String(err) },
          'cannot consume yet (Kafka unreachable?); retrying',
        );
      }
      const c = this.consumer;
      this.consumer = undefined;
      await c?.disconnect().catch(() => undefined);
      if (this.stopping) break;
      this.current = 'connecting';
      const delay = Math.min(maxMs, initialMs * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt++;
      await new Promise<void>((r) => {
        const t = setTimeout(r, delay);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  }
}
