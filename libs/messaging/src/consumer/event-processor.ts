import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { contextFromTraceparent } from '@ketenlink/observability';
import {
  fromKafkaRecord,
  headerString,
  MalformedEventError,
  stringHeaders,
} from '../envelope/binary-mode';
import type { CloudEvent } from '../envelope/cloud-event';
import type { IncomingBatch, IncomingRecord, ProducerPort } from '../kafka/kafka.port';
import { silentLogger, type MessagingLogger } from '../logger';
import { registryMessagingMetrics, type MessagingMetrics } from '../metrics';
import type { SqlExecutor, TransactionRunner } from '../sql';
import { deadLetterTopic } from '../topics/topics';
import { isTransientInfrastructureError, PermanentEventError } from './errors';
import { transactionBound } from './transaction-bound';

/** Where a consumed event sits in Kafka. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * What the records of one inbox transaction share (a chunk of `processBatch`, or one record on
 * its own): `memo` for what a handler reads once per transaction (it sees the transaction's own
 * writes, so it stays true while the handler keeps it current), and `beforeCommit` for writes a
 * handler collects over the records and flushes in one go — run in registration order after the
 * last record's handler, inside the same transaction (a failure rolls the whole chunk back).
 */
export interface TransactionScope {
  readonly memo: Map<unknown, unknown>;
  beforeCommit(flush: (tx: SqlExecutor) => Promise<void>): void;
}

export type EventHandlerFn = (
  event: CloudEvent,
  tx: SqlExecutor,
  position: RecordPosition,
  scope?: TransactionScope,
) => Promise<void>;

/** A fresh scope and the function that runs its flushes (once; later registrations run too). */
function newScope(): { scope: TransactionScope; flush: (tx: SqlExecutor) => Promise<void> } {
  const flushes: ((tx: SqlExecutor) => Promise<void>)[] = [];
  return {
    scope: { memo: new Map(), beforeCommit: (f) => void flushes.push(f) },
    flush: async (tx) => {
      for (let i = 0; i < flushes.length; i++) await flushes[i]!(tx);
    },
  };
}
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
  /** Kafka consumer group id (spans, metrics, dead-letter topic). */
  readonly group: string;
  /**
   * Logical consumer name, the inbox key (default: `group`). Not the deployment's group id:
   * a changed KETENLINK_CONSUMER_GROUP_PREFIX must not replay events without dedupe.
   */
  readonly consumer?: string;
  /** Records per inbox transaction in `processBatch` (default 100). */
  readonly maxRecordsPerTransaction?: number;
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

interface Prepared {
  readonly record: IncomingRecord;
  readonly event: CloudEvent;
  readonly handler: EventHandlerFn;
}

const INBOX_INSERT = `INSERT INTO inbox (consumer_group, event_id, event_type, topic, kafka_partition, kafka_offset)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING event_id`;

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
  private readonly consumer: string;
  private readonly perTransaction: number;

  constructor(private readonly opts: EventProcessorOptions) {
    this.consumer = opts.consumer ?? opts.group;
    this.perTransaction = Math.max(1, opts.maxRecordsPerTransaction ?? 100);
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.metrics = opts.metrics ?? registryMessagingMetrics;
    this.logger = opts.logger ?? silentLogger;
  }

  /**
   * One partition's batch, in order (what the consumer commits after): records go through in
   * inbox transactions of up to `maxRecordsPerTransaction` — inbox row and effect of each record
   * in the same transaction, so exactly-once in effect holds per record and a batch costs one
   * COMMIT per chunk instead of one per record. When a handler fails, that chunk is rolled back
   * and its records are run one by one (one transaction each, retry with back-off, dead letter),
   * so one bad record never blocks nor re-runs the others. Resolves when every record is
   * committed or dead-lettered; rejects on infrastructure trouble (nothing committed past it).
   */
  async processBatch(batch: IncomingBatch): Promise<Outcome[]> {
    const records = batch.records;
    const outcomes: Outcome[] = [];
    for (let i = 0; i < records.length; i += this.perTransaction) {
      outcomes.push(...(await this.processChunk(records.slice(i, i + this.perTransaction))));
    }
    return outcomes;
  }

  /** Outcomes in record order. */
  private async processChunk(records: readonly IncomingRecord[]): Promise<Outcome[]> {
    const result: Outcome[] = new Array<Outcome>(records.length);
    const spans = records.map((r) => this.startSpan(r));
    const prepared: { prepared: Prepared; span: (typeof spans)[number]; index: number }[] = [];
    try {
      for (const [i, record] of records.entries()) {
        const s = spans[i]!;
        const step = await context.with(s.ctx, () => this.prepare(record));
        if ('outcome' in step) {
          this.finish(record, s, step.outcome);
          result[i] = step.outcome;
        } else {
          prepared.push({ prepared: step, span: s, index: i });
        }
      }
      if (prepared.length === 0) return result;
      let outcomes: Outcome[] | undefined;
      try {
        outcomes = await this.opts.transaction(async (tx) => {
          const { scope, flush } = newScope();
          const out: Outcome[] = [];
          for (const p of prepared) {
            out.push(await context.with(p.span.ctx, () => this.apply(tx, p.prepared, scope)));
          }
          await flush(tx);
          return out;
        });
      } catch (err) {
        // Rolled back as a whole: nothing of this chunk is committed. Each record now gets its
        // own transaction with the retry policy (and a dead letter for what keeps failing).
        this.logger.warn(
          { group: this.opts.group, records: prepared.length, err: String(err) },
          'batch transaction failed; processing its records one by one',
        );
      }
      for (const [i, p] of prepared.entries()) {
        const outcome =
          outcomes?.[i] ?? (await context.with(p.span.ctx, () => this.applyWithRetry(p.prepared)));
        this.finish(p.prepared.record, p.span, outcome);
        result[p.index] = outcome;
      }
      return result;
    } catch (err) {
      for (const s of spans) this.fail(s, err);
      throw err;
    } finally {
      for (const s of spans) s.span.end();
    }
  }

  /** One record on its own (its own transaction); `processBatch` is the consumer's way. */
  async process(record: IncomingRecord): Promise<Outcome> {
    const s = this.startSpan(record);
    try {
      const outcome = await context.with(s.ctx, async () => {
        const step = await this.prepare(record);
        return 'outcome' in step ? step.outcome : this.applyWithRetry(step);
      });
      this.finish(record, s, outcome);
      return outcome;
    } catch (err) {
      this.fail(s, err);
      throw err;
    } finally {
      s.span.end();
    }
  }

  private startSpan(record: IncomingRecord) {
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
    return { span, ctx: trace.setSpan(parent, span) };
  }

  private finish(
    record: IncomingRecord,
    s: ReturnType<EventProcessor['startSpan']>,
    outcome: Outcome,
  ): void {
    s.span.setAttribute('ketenlink.outcome', outcome);
    this.metrics.consumed(
      record.topic,
      this.opts.group,
      headerString(record.headers, 'ce_type') ?? 'unknown',
      outcome,
    );
  }

  private fail(s: ReturnType<EventProcessor['startSpan']>, err: unknown): void {
    s.span.recordException(err as Error);
    s.span.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
  }

  /** Decode, route, validate: what needs no database. */
  private async prepare(record: IncomingRecord): Promise<Prepared | { outcome: Outcome }> {
    let event: CloudEvent;
    try {
      event = fromKafkaRecord(record.key, record.value, record.headers);
    } catch (err) {
      if (err instanceof MalformedEventError)
        return { outcome: await this.deadLetter(record, `malformed: ${err.message}`) };
      throw err;
    }
    trace
      .getActiveSpan()
      ?.setAttributes({ 'messaging.message.id': event.id, 'cloudevents.event_type': event.type });
    const handler = this.opts.resolveHandler(event.type);
    if (!handler) return { outcome: 'ignored' };
    const valid = this.opts.validate(event.type, event.data);
    if (!valid.ok)
      return {
        outcome: await this.deadLetter(record, `schema-invalid: ${valid.errors.join('; ')}`),
      };
    return { record, event, handler };
  }

  /** Inbox row, then the handler with a manager bound to this transaction (and only while it runs). */
  private async apply(tx: SqlExecutor, p: Prepared, scope: TransactionScope): Promise<Outcome> {
    const { record, event } = p;
    const result = await tx.query(INBOX_INSERT, [
      this.consumer,
      event.id,
      event.type,
      record.topic,
      record.partition,
      record.offset,
    ]);
    // TypeORM returns the rows, pg a result object: accept both (SqlExecutor allows either).
    const inserted = Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? []);
    if (inserted.length === 0) return 'duplicate';
    const bound = transactionBound(tx);
    try {
      await p.handler(
        event,
        bound.manager,
        { topic: record.topic, partition: record.partition, offset: record.offset },
        scope,
      );
    } finally {
      bound.revoke();
    }
    return 'processed';
  }

  private async applyWithRetry(p: Prepared): Promise<Outcome> {
    const { record, event } = p;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.opts.transaction(async (tx) => {
          const { scope, flush } = newScope();
          const outcome = await this.apply(tx, p, scope);
          await flush(tx);
          return outcome;
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
