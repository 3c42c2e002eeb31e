import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { contextFromTraceparent, currentTraceparent } from '@ketenlink/observability';
import { Client, type Pool, type PoolClient } from 'pg';
import { toKafkaRecord } from '../envelope/binary-mode';
import type { CloudEvent } from '../envelope/cloud-event';
import type { OutgoingRecord, ProducerPort } from '../kafka/kafka.port';
import { silentLogger, type MessagingLogger } from '../logger';
import { registryMessagingMetrics, type MessagingMetrics } from '../metrics';
import { OUTBOX_CHANNEL } from '../sql';

export interface OutboxRelayOptions {
  readonly pool: Pool;
  /** Connection string for the dedicated LISTEN connection. */
  readonly listenUrl: string;
  readonly producer: ProducerPort;
  readonly batchSize?: number;
  /** Fallback poll when no notification arrives (missed NOTIFY, reconnects). */
  readonly pollIntervalMs?: number;
  readonly metrics?: MessagingMetrics;
  readonly logger?: MessagingLogger;
}

interface OutboxRow {
  seq: string;
  aggregateid: string;
  topic: string;
  payload: unknown;
  headers: Omit<CloudEvent, 'data'>;
  traceparent: string | null;
}

/**
 * Publishes committed outbox rows to Kafka, in `seq` order per key, then marks them published in
 * the same transaction that claimed them. Several relays may run against one database: rows are
 * claimed with FOR UPDATE SKIP LOCKED, and per key a relay sends only the unbroken run of its rows
 * from the key's oldest unpublished row, so no relay ever overtakes another on the same trajectory.
 *
 * Crash anywhere before COMMIT → the rows stay unpublished and are sent again (at-least-once);
 * consumers drop the duplicates through their inbox.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly metrics: MessagingMetrics;
  private readonly logger: MessagingLogger;
  private listener: Client | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pendingWake = false;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.batchSize = opts.batchSize ?? 500;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1000;
    this.metrics = opts.metrics ?? registryMessagingMetrics;
    this.logger = opts.logger ?? silentLogger;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.opts.producer.connect();
    await this.listen();
    this.loop = this.runLoop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.signal();
    // A send waiting for an unreachable broker never returns on its own: give the batch a
    // moment, then go. Its transaction dies with the connection; the rows stay unpublished.
    await Promise.race([this.loop, new Promise((r) => setTimeout(r, 10_000).unref())]);
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => undefined);
    await this.opts.producer.disconnect();
  }

  /** Publishes until the outbox is empty; returns how many rows were published. For tools/tests. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n === 0) return total;
    }
  }

  private signal(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.opts.listenUrl });
    client.on('notification', () => this.signal());
    client.on('error', (err) => {
      this.logger.warn(
        { err: String(err) },
        'outbox LISTEN connection lost; polling until it is back',
      );
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      if (this.running) setTimeout(() => void this.listen().catch(() => undefined), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.listener = client;
    this.signal(); // rows may have been committed while we were not listening
  }

  private async runLoop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const published = await this.publishBatch();
        failures = 0;
        if (published > 0) continue;
        await this.reportBacklog();
      } catch (err) {
        failures++;
        const backoff = Math.min(30_000, 200 * 2 ** Math.min(failures, 8));
        this.logger.error({ err: String(err), backoff }, 'outbox relay batch failed; retrying');
        await this.sleep(backoff);
        continue;
      }
      await this.waitForWork();
    }
  }

  private waitForWork(): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return this.sleep(this.pollIntervalMs);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        this.pendingWake = false;
        done();
      };
    });
  }

  private async reportBacklog(): Promise<void> {
    const res = await this.opts.pool.query<{ n: string; age: number | null }>(
      `SELECT count(*) AS n, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age
         FROM outbox WHERE published_at IS NULL`,
    );
    const row = res.rows[0];
    this.metrics.outboxBacklog(Number(row?.n ?? 0), row?.age ?? 0);
  }

  /** One claim → publish → mark cycle in one transaction. */
  async publishBatch(): Promise<number> {
    const client = await this.opts.pool.connect();
    let done = false;
    try {
      await client.query('BEGIN');
      const rows = await this.claim(client);
      if (rows.length > 0) await this.publish(rows);
      if (rows.length > 0) {
        await client.query(`UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])`, [
          rows.map((r) => r.seq),
        ]);
      }
      await client.query('COMMIT');
      done = true;
      return rows.length;
    } finally {
      if (!done) await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  private async claim(client: PoolClient): Promise<OutboxRow[]> {
    const claimed = await client.query<OutboxRow>(
      `SELECT seq, aggregateid, topic, payload, headers, traceparent
         FROM outbox WHERE published_at IS NULL
        ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [this.batchSize],
    );
    if (claimed.rows.length === 0) return [];
    // Per key, we may send only an unbroken run from the key's oldest unpublished row: SKIP
    // LOCKED can leave holes (a row of the key held by another relay between two of ours), and
    // the other relay may hold the key's head. So: all unpublished seqs of each claimed key up
    // to our last claimed row (an index range scan on outbox_unpublished_by_key), and we keep
    // our rows while they follow each other in that list, stopping at the first row not ours.
    const lastClaimed = new Map<string, string>();
    for (const r of claimed.rows) lastClaimed.set(r.aggregateid, String(r.seq));
    const pending = await client.query<{ aggregateid: string; seqs: string[] }>(
      `SELECT k.key AS aggregateid,
              ARRAY(SELECT o.seq FROM outbox o
                     WHERE o.aggregateid = k.key AND o.published_at IS NULL AND o.seq <= k.last
                     ORDER BY o.seq)::text[] AS seqs
         FROM unnest($1::text[], $2::bigint[]) AS k(key, last)`,
      [[...lastClaimed.keys()], [...lastClaimed.values()]],
    );
    const ours = new Set(claimed.rows.map((r) => String(r.seq)));
    const sendable = new Set<string>();
    for (const { seqs } of pending.rows) {
      for (const seq of seqs) {
        if (!ours.has(seq)) break; // the head or a hole belongs to another relay: wait
        sendable.add(seq);
      }
    }
    return claimed.rows.filter((r) => sendable.has(String(r.seq)));
  }

  private async publish(rows: OutboxRow[]): Promise<void> {
    // One PRODUCER span per event, child of the request that wrote the row; it spans the send,
    // and its context travels on in ce_traceparent so the consumer continues the same trace.
    const tracer = trace.getTracer('ketenlink-messaging');
    const spans: Span[] = [];
    const records: OutgoingRecord[] = rows.map((row) => {
      const span = tracer.startSpan(
        `publish ${row.headers.type}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.destination.name': row.topic,
            'messaging.operation.type': 'publish',
            'messaging.message.id': row.headers.id,
            'cloudevents.event_type': row.headers.type,
          },
        },
        contextFromTraceparent(row.traceparent ?? undefined),
      );
      spans.push(span);
      const traceparent =
        context.with(trace.setSpan(context.active(), span), () => currentTraceparent()) ??
        row.traceparent ??
        undefined;
      const event: CloudEvent = {
        ...row.headers,
        ...(traceparent ? { traceparent } : {}),
        data: row.payload,
      };
      return { topic: row.topic, ...toKafkaRecord(event) };
    });
    try {
      await this.opts.producer.send(records);
    } catch (err) {
      for (const s of spans) s.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
      throw err;
    } finally {
      for (const s of spans) s.end();
    }
    for (const row of rows) this.metrics.published(row.topic, row.headers.type);
  }
}
