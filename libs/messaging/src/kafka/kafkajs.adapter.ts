import {
  Kafka,
  logLevel,
  Partitioners,
  type KafkaConfig,
  type logCreator,
  type Producer,
} from 'kafkajs';
// kafkajs' console logger (not in its typings' exports): what every other log entry goes to.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const defaultLogCreator: logCreator = require('kafkajs/src/loggers/console');
import {
  KafkaSendError,
  type OutgoingRecord,
  type ProducerPort,
  type SendOptions,
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
    logCreator: quietLogCreator,
    retry: { initialRetryTime: 200, retries: 8 },
    ...extra,
  });
}

/**
 * kafkajs warns on every idempotent producer created with bounded retries ("may invalidate EoS
 * guarantees"). Our producer bounds them on purpose and replaces itself after a failed send
 * (ADR 0012), so that one warning is dropped; everything else goes to kafkajs' own logger.
 */
export const IDEMPOTENT_RETRY_WARNING = 'Limiting retries for the idempotent producer';
const quietLogCreator: logCreator = (level) => {
  const inner = defaultLogCreator(level);
  return (entry) => {
    if (entry.level === logLevel.WARN && entry.log.message.includes(IDEMPOTENT_RETRY_WARNING)) {
      return;
    }
    inner(entry);
  };
};

/** Kafka error types that say the record itself is refused: sending it again will not help. */
const PERMANENT_KAFKA_ERRORS = new Set([
  'MESSAGE_TOO_LARGE',
  'INVALID_RECORD',
  'RECORD_LIST_TOO_LARGE',
  'CORRUPT_MESSAGE',
  'INVALID_REQUIRED_ACKS',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'INVALID_TOPIC_EXCEPTION',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
  // Only seen here after kafkajs' own retries (metadata refreshes) ran out: with auto-creation
  // off the topic really is missing. Parked, the operator retries it once the topic exists.
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

/** Maps a kafkajs error (possibly wrapped in retry errors) onto the port's `KafkaSendError`. */
export function toKafkaSendError(err: unknown): KafkaSendError {
  if (err instanceof KafkaSendError) return err;
  // kafkajs wraps the broker's error: KafkaJSNonRetriableError / KafkaJSNumberOfRetriesExceeded
  // → cause → KafkaJSProtocolError { type }. Walk the chain for the first protocol type.
  let e: unknown = err;
  let type: string | undefined;
  for (let depth = 0; e && depth < 5 && !type; depth++) {
    const candidate = e as { type?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof candidate.type === 'string') type = candidate.type;
    e = candidate.cause ?? candidate.originalError;
  }
  const name = (err as { name?: string } | null)?.name ?? 'Error';
  const message = err instanceof Error ? err.message : String(err);
  const permanent = type !== undefined && PERMANENT_KAFKA_ERRORS.has(type);
  return new KafkaSendError(message, permanent, type ?? name);
}

/**
 * Idempotent producer, one request in flight: per-partition order survives retries.
 *
 * Every send is bounded (`timeoutMs`, retries included). kafkajs's idempotent producer assumes
 * it retries for ever: after a failed or abandoned produce it rolls its sequence numbers back,
 * which is only right if exactly the same records are sent again. The relay may send a different
 * set (a key parked, another relay took over), so after any failure this adapter throws the
 * kafkajs producer away and the next send starts a new one with a new producer id: no stale
 * sequence can make the broker drop a batch as a "duplicate" or refuse it as out of order.
 * A send that timed out may still land later (from the abandoned producer's last retries): a
 * duplicate, which consumers drop through their inbox.
 */
export class KafkajsProducer implements ProducerPort {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly defaultTimeoutMs = 30_000,
  ) {}

  private create(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 on the key, as the Java client: partners' own producers land on the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Bounded: the caller (the relay) owns the retry loop and its back-off; see the class note.
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
  }

  async connect(): Promise<void> {
    await this.current();
  }

  private current(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    if (!this.connecting) {
      const p = this.create();
      this.connecting = p.connect().then(
        () => {
          this.producer = p;
          this.connecting = undefined;
          return p;
        },
        (err: unknown) => {
          this.connecting = undefined;
          void p.disconnect().catch(() => undefined);
          throw toKafkaSendError(err);
        },
      );
    }
    return this.connecting;
  }

  /** Forgets the current kafkajs producer (new producer id next time); never throws. */
  private discard(p: Producer | undefined): void {
    if (!p) return;
    if (this.producer === p) this.producer = undefined;
    void p.disconnect().catch(() => undefined);
  }

  async send(records: readonly OutgoingRecord[], options: SendOptions = {}): Promise<void> {
    if (records.length === 0) return;
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    let producer: Producer | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new KafkaSendError(`send not acknowledged within ${timeoutMs} ms`, false, 'TIMEOUT'),
          ),
        timeoutMs,
      );
    });
    const attempt = (async () => {
      producer = await this.current();
      const byTopic = new Map<string, OutgoingRecord[]>();
      for (const r of records) {
        const list = byTopic.get(r.topic) ?? [];
        list.push(r);
        byTopic.set(r.topic, list);
      }
      await producer.sendBatch({
        acks: -1,
        timeout: Math.max(1, Math.min(timeoutMs, 30_000)),
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
        })),
      });
    })();
    try {
      await Promise.race([attempt, timeout]);
    } catch (err) {
      attempt.catch(() => undefined); // an abandoned attempt may still reject later
      this.discard(producer);
      throw toKafkaSendError(err);
    } finally {
      clearTimeout(timer);
    }
  }

  async disconnect(): Promise<void> {
    const pending = this.connecting;
    this.connecting = undefined;
    const p = this.producer ?? (await pending?.catch(() => undefined));
    this.producer = undefined;
    await p?.disconnect();
  }
}
