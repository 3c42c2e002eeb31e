import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { contextFromTraceparent } from '@ketenlink/observability';
import {
  fromKafkaRecord,
  headerString,
  MalformedEventError,
  stringHeaders,
} from '../envelope/binary-mode';
import type { CloudEvent } from '../envelope/cloud-event';
import type { IncomingRecord, ProducerPort } from '../kafka/kafka.port';
import { silentLogger, type MessagingLogger } from '../logger';
import { registryMessagingMetrics, type MessagingMetrics } from '../metrics';
import type { SqlExecutor, TransactionRunner } from '../sql';
import { deadLetterTopic } from '../topics/topics';
import { isTransientInfrastructureError, PermanentEventError } from './errors';

/** Where a consumed event sits in Kafka. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export type EventHandlerFn = (
  event: CloudEvent,
  tx: SqlExecutor,
  position: RecordPosition,
) => Promise<void>;
export type PayloadValidator = (
  type: string,
  data: unknown,
) => { ok: true } | { ok: false; errors: string[] };

export interface RetryPolicy {
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export interface EventProcessorOptions {
  readonly group: string;
  readonly resolveHandler: (type: string) => EventHandlerFn | undefined;
  readonly validate: PayloadValidator;
  readonly transaction: TransactionRunner;
  readonly deadLetters: ProducerPort;
  readonly retry?: RetryPolicy;
  readonly metrics?: MessagingMetrics;
  readonly logger?: MessagingLogger;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 100, maxDelayMs: 5_000 };

type Outcome = 'processed' | 'duplicate' | 'ignored' | 'dead-lettered';

/**
 * What happens to one consumed record (docs/adr/0003-outbox-inbox.md):
 * 1. decode the CloudEvent (malformed → dead letter);
 * 2. no handler for its type → ignored;
 * 3. validate the payload against its contract (invalid → dead letter);
 * 4. in ONE transaction: insert the inbox row (duplicate → nothing more) and run the handler;
 * 5. handler failure → retry with backoff, then dead letter; infrastructure failure → throw, so
 *    the offset stays uncommitted and the record comes again once the database is back.
 * The caller commits the offset only after this resolves; a dead letter is acknowledged by the
 * broker before that, so nothing is lost and nothing blocks the partition.
 */
export class EventProcessor {
  private readonly retry: RetryPolicy;
  private readonly metrics: MessagingMetrics;
  private readonly logger: MessagingLogger;

  constructor(private readonly opts: EventProcessorOptions) {
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.metrics = opts.metrics ?? registryMessagingMetrics;
    this.logger = opts.logger ?? silentLogger;
  }

  async process(record: IncomingRecord): Promise<Outcome> {
    const parent = contextFromTraceparent(headerString(record.headers, 'ce_traceparent'));
    const span = trace.getTracer('ketenlink-messaging').startSpan(
      `consume ${headerString(record.headers, 'ce_type') ?? 'unknown'}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': record.topic,
          'messaging.consumer.group.name': this.opts.group,
          'messaging.kafka.destination.partition': record.partition,
          'messaging.kafka.message.offset': Number(record.offset),
          'messaging.operation.type': 'process',
        },
      },
      parent,
    );
    try {
      const outcome = await context.with(trace.setSpan(parent, span), () => this.handle(record));
      span.setAttribute('ketenlink.outcome', outcome);
      this.metrics.consumed(
        record.topic,
        this.opts.group,
        headerString(record.headers, 'ce_type') ?? 'unknown',
        outcome,
      );
      return outcome;
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
      throw err;
    } finally {
      span.end();
    }
  }

  private async handle(record: IncomingRecord): Promise<Outcome> {
    let event: CloudEvent;
    try {
      event = fromKafkaRecord(record.key, record.value, record.headers);
    } catch (err) {
      if (err instanceof MalformedEventError)
        return this.deadLetter(record, `malformed: ${err.message}`);
      throw err;
    }
    trace
      .getActiveSpan()
      ?.setAttributes({ 'messaging.message.id': event.id, 'cloudevents.event_type': event.type });
    const handler = this.opts.resolveHandler(event.type);
    if (!handler) return 'ignored';
    const valid = this.opts.validate(event.type, event.data);
    if (!valid.ok) return this.deadLetter(record, `schema-invalid: ${valid.errors.join('; ')}`);

    for (let attempt = 1; ; attempt++) {
      try {
        return await this.opts.transaction(async (tx) => {
          const result = await tx.query(
            `INSERT INTO inbox (consumer_group, event_id, event_type, topic, kafka_partition, kafka_offset)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING event_id`,
            [this.opts.group, event.id, event.type, record.topic, record.partition, record.offset],
          );
          // TypeORM returns the rows, pg a result object: accept both (SqlExecutor allows either).
          const inserted = Array.isArray(result)
            ? result
            : ((result as { rows?: unknown[] }).rows ?? []);
          if (inserted.length === 0) return 'duplicate' as const;
          await handler(event, tx, {
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
          });
          return 'processed' as const;
        });
      } catch (err) {
        if (err instanceof PermanentEventError)
          return this.deadLetter(record, `rejected: ${err.message}`);
        if (attempt >= this.retry.attempts) {
          if (isTransientInfrastructureError(err)) throw err; // wait for the database, lose nothing
          return this.deadLetter(
            record,
            `handler-failed after ${attempt} attempts: ${String(err)}`,
          );
        }
        const delay = Math.min(
          this.retry.maxDelayMs,
          this.retry.initialDelayMs * 2 ** (attempt - 1),
        );
        this.logger.warn(
          { eventId: event.id, attempt, delay, err: String(err) },
          'handler failed; retrying',
        );
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async deadLetter(record: IncomingRecord, reason: string): Promise<'dead-lettered'> {
    const headers = stringHeaders(record.headers);
    Object.assign(headers, {
      dlq_reason: reason.slice(0, 2000),
      dlq_consumer_group: this.opts.group,
      dlq_original_topic: record.topic,
      dlq_original_partition: String(record.partition),
      dlq_original_offset: record.offset,
      dlq_failed_at: new Date().toISOString(),
    });
    await this.opts.deadLetters.send([
      {
        topic: deadLetterTopic(this.opts.group),
        key: record.key?.toString() ?? '',
        value: record.value ?? Buffer.alloc(0),
        headers,
      },
    ]);
    this.metrics.deadLettered(this.opts.group, reason.split(':')[0] ?? 'unknown');
    this.logger.warn(
      { group: this.opts.group, topic: record.topic, offset: record.offset, reason },
      'dead-lettered',
    );
    return 'dead-lettered';
  }
}
