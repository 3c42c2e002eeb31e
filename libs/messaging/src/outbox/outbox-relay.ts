import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { contextFromTraceparent, currentTraceparent } from '@ketenlink/observability';
import { Client, type Pool } from 'pg';
import { toKafkaRecord } from '../envelope/binary-mode';
import type { CloudEvent } from '../envelope/cloud-event';
import { KafkaSendError, type OutgoingRecord, type ProducerPort } from '../kafka/kafka.port';
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
  /** Upper bound of one Kafka send, retries included (default 10 s). */
  readonly sendTimeoutMs?: number;
  /** How long claimed rows stay ours before another relay may take them over (default 3× send timeout, at least 30 s). */
  readonly leaseMs?: number;
  /** `stop()` returns after at most this long (default 5 s); the in-flight batch stays safe. */
  readonly stopTimeoutMs?: number;
  /** Cap of the relay's back-off while Kafka or PostgreSQL is unreachable (default 30 s). */
  readonly maxBackoffMs?: number;
  /** Lease owner written on claimed rows (default host:pid:random). */
  readonly relayId?: string;
  readonly metrics?: MessagingMetrics;
  readonly logger?: MessagingLogger;
}

export type OutboxRelayState =
  'stopped' | 'connecting' | 'idle' | 'publishing' | 'backing-off' | 'stopping';

export interface OutboxRelayStatus {
  readonly state: OutboxRelayState;
  /** The producer connected at least once since start (Kafka reachable then). */
  readonly kafkaConnected: boolean;
  /** The LISTEN connection is up (otherwise the relay polls). */
  readonly listening: boolean;
  /** Failed cycles in a row (0 after a good one). */
  readonly consecutiveFailures: number;
  /** Code or class of the last failure, never a payload. */
  readonly lastError?: string;
}

interface OutboxRow {
  seq: string;
  aggregateid: string;
  topic: string;
  payload: unknown;
  headers: Omit<CloudEvent, 'data'>;
  traceparent: string | null;
}

/** Kafka could not be reached for a whole batch: the relay backs off as a whole. */
class KafkaUnreachableError extends Error {
  override readonly name = 'KafkaUnreachableError';
}

/**
 * Every statement of the relay is one autocommitted statement (never a transaction left open
 * between round trips) that commits without waiting for the WAL flush: a lease, mark or park lost
 * in a server crash only means a row is sent once more, which the inboxes absorb.
 * `set_config(…, true)` lasts until the end of the statement's own transaction, its commit.
 */
const ASYNC_COMMIT = `cfg AS (SELECT set_config('synchronous_commit', 'off', true) IS NOT NULL AS async)`;

/**
 * Claim: the oldest free rows (not published, not parked, no live lease, and not of a key held
 * by a parked or backing-off row: `held`, from the small outbox_held index, which holds every
 * unpublished row that is parked or has failed before), locked only for this
 * statement's transaction (SKIP LOCKED between relays). Per key only the unbroken run from the
 * key's oldest unpublished row is leased: SKIP LOCKED can leave a hole (a row of the key locked by
 * another relay's claim), and that relay must publish first. The relay's own rows in flight ($4:
 * the batch being sent while this claim runs, and the batch `marked` by this same statement) are
 * ahead of the run, not a hole; any other unpublished row of the key before the run is, even one
 * leased by this relay earlier (a batch whose fate is unknown). `heads` is computed once per key.
 * The same statement marks the previous batch published ($5; empty when there is none), so the
 * pipelined relay pays one round trip and one commit per batch for both. The leased rows come back
 * with their payloads.
 */
const CLAIM_SQL = `
WITH ${ASYNC_COMMIT},
marked AS (
  UPDATE outbox SET published_at = now(), lease_owner = NULL, lease_expires_at = NULL
    FROM cfg WHERE seq = ANY($5::bigint[]) AND published_at IS NULL AND cfg.async
  RETURNING seq
),
held AS MATERIALIZED (
  SELECT DISTINCT aggregateid FROM outbox
   WHERE published_at IS NULL
     AND (parked_at IS NOT NULL OR attempts > 0)
     AND (parked_at IS NOT NULL OR (lease_owner IS NULL AND lease_expires_at IS NOT NULL))
     AND (parked_at IS NOT NULL OR lease_expires_at > now())
),
cand AS MATERIALIZED (
  SELECT o.seq, o.aggregateid FROM outbox o
   WHERE o.published_at IS NULL AND o.parked_at IS NULL
     AND (o.lease_expires_at IS NULL OR o.lease_expires_at <= now())
     AND o.aggregateid NOT IN (SELECT aggregateid FROM held)
   ORDER BY o.seq
   LIMIT $1
   FOR UPDATE OF o SKIP LOCKED
),
known AS MATERIALIZED (SELECT seq FROM cand UNION ALL SELECT unnest($4::bigint[])),
runs AS MATERIALIZED (SELECT aggregateid, max(seq) AS last FROM cand GROUP BY aggregateid),
heads AS MATERIALIZED (
  SELECT r.aggregateid,
         (SELECT min(p.seq) FROM outbox p
           WHERE p.aggregateid = r.aggregateid AND p.published_at IS NULL AND p.seq <= r.last
             AND p.seq NOT IN (SELECT seq FROM known)) AS first_foreign
    FROM runs r
),
sendable AS (
  SELECT c.seq FROM cand c JOIN heads h USING (aggregateid)
   WHERE h.first_foreign IS NULL OR c.seq < h.first_foreign
)
UPDATE outbox o
   SET lease_owner = $2, lease_expires_at = now() + $3::int * interval '1 millisecond'
  FROM sendable s, cfg
 WHERE o.seq = s.seq AND cfg.async
RETURNING o.seq::text AS seq, o.aggregateid, o.topic, o.payload, o.headers, o.traceparent`;

/** A claimed batch and the local time by which its send must have ended (inside the lease). */
interface Claim {
  readonly rows: OutboxRow[];
  readonly sendBy: number;
}

function bySeq(a: { seq: string }, b: { seq: string }): number {
  return a.seq.length - b.seq.length || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0);
}

/** Error text stored on a row and logged: the client's code and message, capped. */
function describe(err: unknown): string {
  const code = err instanceof KafkaSendError && err.code ? `${err.code}: ` : '';
  const message = err instanceof Error ? err.message : String(err);
  return `${code}${message}`.slice(0, 500);
}

/**
 * Publishes committed outbox rows to Kafka, in `seq` order per key, with no database
 * transaction open while it talks to Kafka (docs/adr/0012-outbox-leases-and-parking.md):
 *
 * 1. claim: lease a batch in one short statement (owner + expiry);
 * 2. send it (bounded by `sendTimeoutMs`);
 * 3. mark the rows published in one short statement.
 *
 * Pipelined (`pump`): the mark of batch N-1 and the claim of batch N+1 are one statement that
 * runs while batch N is being sent; sends stay one after the other.
 *
 * A crash anywhere before 3 leaves the rows unpublished and leased until the lease expires;
 * then any relay sends them again (at-least-once; consumers drop duplicates through their inbox).
 * When a batch fails, its keys are sent one by one so that one key cannot fail the others: a row
 * Kafka refuses for good is parked (its key waits behind it, every other key flows); a key that
 * fails transiently backs off on its own; when Kafka is unreachable altogether the whole relay
 * backs off with jitter. Several relays may run against one database.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly sendTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly stopTimeoutMs: number;
  private readonly maxBackoffMs: number;
  private readonly metrics: MessagingMetrics;
  private readonly logger: MessagingLogger;
  readonly relayId: string;
  private listener: Client | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private listening: Promise<void> | undefined;
  private stopped: Promise<void> = Promise.resolve();
  private markStopped: () => void = () => undefined;
  private wake: (() => void) | undefined;
  private pendingWake = false;
  private state: OutboxRelayState = 'stopped';
  private kafkaConnected = false;
  private failures = 0;
  private lastError: string | undefined;
  private backlogReportedAt = Number.NEGATIVE_INFINITY;
  /**
   * Rows sent and acknowledged whose mark runs in the background (the last batch of a burst):
   * the relay does not wait for that statement before it claims again. A claim meanwhile counts
   * them as the relay's own rows in flight (not holes), as the pipelined claim does.
   */
  private readonly marking = new Map<string, OutboxRow>();
  private readonly marks = new Set<Promise<void>>();

  constructor(private readonly opts: OutboxRelayOptions) {
    this.batchSize = opts.batchSize ?? 500;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1000;
    this.sendTimeoutMs = opts.sendTimeoutMs ?? 10_000;
    this.leaseMs = opts.leaseMs ?? Math.max(30_000, 3 * this.sendTimeoutMs);
    this.stopTimeoutMs = opts.stopTimeoutMs ?? 5_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.metrics = opts.metrics ?? registryMessagingMetrics;
    this.logger = opts.logger ?? silentLogger;
    this.relayId = opts.relayId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    if (this.leaseMs <= this.sendTimeoutMs) {
      throw new Error('OutboxRelay: leaseMs must be longer than sendTimeoutMs');
    }
  }

  /** Starts the loop and returns at once: neither Kafka nor PostgreSQL needs to be up. */
  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.running = true;
    this.state = 'connecting';
    this.stopped = new Promise((r) => (this.markStopped = r));
    this.listening = this.keepListening();
    this.loop = this.runLoop();
    return Promise.resolve();
  }

  /**
   * Stops within `stopTimeoutMs`. A batch still in flight is left as it is: rows not yet marked
   * stay unpublished and leased, and are sent again once the lease expires.
   */
  async stop(): Promise<void> {
    if (!this.running && this.state === 'stopped') return;
    this.running = false;
    this.state = 'stopping';
    this.markStopped();
    this.signal();
    const deadline = new Promise<void>((r) => setTimeout(r, this.stopTimeoutMs).unref());
    await Promise.race([Promise.all([this.loop, this.listening]), deadline]);
    await Promise.race([Promise.all(this.marks), deadline]);
    const l = this.listener;
    this.listener = undefined;
    await Promise.race([l?.end().catch(() => undefined), deadline]);
    await Promise.race([this.opts.producer.disconnect().catch(() => undefined), deadline]);
    this.state = 'stopped';
  }

  status(): OutboxRelayStatus {
    return {
      state: this.state,
      kafkaConnected: this.kafkaConnected,
      listening: this.listener !== undefined,
      consecutiveFailures: this.failures,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /**
   * Publishes until nothing more can be claimed; returns how many rows were published. For
   * tools, tests and the benchmark; throws when Kafka is unreachable.
   */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const round = await this.pump(() => true, false);
      total += round.published;
      if (round.claimed === 0) return total;
    }
  }

  /**
   * Rows were committed for this relay to publish: it claims at once (or right after the round it
   * is in). The in-process counterpart of a NOTIFY (commit-wake.ts).
   */
  wakeUp(): void {
    if (this.running) this.signal();
  }

  private signal(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  private backoffMs(failures: number): number {
    const base = Math.min(this.maxBackoffMs, 200 * 2 ** Math.min(failures, 10));
    return Math.round(base / 2 + (Math.random() * base) / 2); // "equal jitter"
  }

  /** Keeps one LISTEN connection up for as long as the relay runs, reconnecting with back-off. */
  private async keepListening(): Promise<void> {
    let attempt = 0;
    while (this.running) {
      const client = new Client({ connectionString: this.opts.listenUrl });
      const lost = new Promise<unknown>((resolve) => {
        client.on('error', resolve); // also keeps a dropped connection from crashing the process
        client.on('end', () => resolve(new Error('connection ended')));
      });
      client.on('notification', () => this.signal());
      try {
        await client.connect();
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      } catch (err) {
        await client.end().catch(() => undefined);
        attempt++;
        const backoff = this.backoffMs(attempt);
        this.logger.warn({ err: String(err), backoff }, 'outbox LISTEN failed; retrying');
        await Promise.race([new Promise((r) => setTimeout(r, backoff).unref()), this.stopped]);
        continue;
      }
      attempt = 0;
      this.listener = client;
      this.signal(); // rows may have been committed while we were not listening
      const why = await Promise.race([lost, this.stopped]);
      if (this.listener === client) this.listener = undefined;
      await client.end().catch(() => undefined);
      if (this.running) {
        this.logger.warn(
          { err: String(why) },
          'outbox LISTEN connection lost; polling until it is back',
        );
      }
    }
  }

  private async runLoop(): Promise<void> {
    while (this.running) {
      try {
        if (!this.kafkaConnected) {
          this.state = 'connecting';
          await this.opts.producer.connect();
          this.kafkaConnected = true;
        }
        this.state = 'publishing';
        // pump() returns once a claim came back empty: nothing is left to claim right now.
        await this.pump(() => this.running, true);
        this.failures = 0;
        await this.reportBacklog();
      } catch (err) {
        this.failures++;
        this.lastError =
          err instanceof KafkaSendError
            ? (err.code ?? err.name)
            : err instanceof Error
              ? err.name
              : 'Error';
        const backoff = this.backoffMs(this.failures);
        this.logger.error(
          { err: describe(err), backoff, failures: this.failures },
          'outbox relay cycle failed; backing off',
        );
        if (!this.running) break;
        this.state = 'backing-off';
        await this.sleep(backoff);
        continue;
      }
      if (!this.running) break;
      this.state = 'idle';
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

  /** The backlog gauge, refreshed at most once per poll interval (not on every wake-up). */
  private async reportBacklog(): Promise<void> {
    const now = performance.now();
    if (now - this.backlogReportedAt < this.pollIntervalMs) return;
    this.backlogReportedAt = now;
    const res = await this.opts.pool.query<{ n: string; age: number | null }>(
      `SELECT count(*) AS n, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age
         FROM outbox WHERE published_at IS NULL`,
    );
    const row = res.rows[0];
    this.metrics.outboxBacklog(Number(row?.n ?? 0), row?.age ?? 0);
  }

  /**
   * One autocommitted relay statement (see ASYNC_COMMIT). The frequent ones (claim, mark) are
   * named: each pool connection parses and plans them once instead of per call (the claim's
   * planning alone is ~0.7 ms, a quarter of the relay's share of produce → consume latency).
   */
  private async exec<R extends object = object>(
    sql: string,
    params: unknown[],
    name?: string,
  ): Promise<R[]> {
    const res = await this.opts.pool.query<R>(
      name ? { name, text: sql, values: params } : { text: sql, values: params },
    );
    return res.rows;
  }

  /** One claim statement (see CLAIM_SQL); `sendBy` is taken before the statement, so it is early. */
  private async claim(
    inFlight: readonly OutboxRow[],
    toMark: readonly OutboxRow[],
  ): Promise<Claim> {
    const sendBy = performance.now() + this.leaseMs - this.sendTimeoutMs;
    const rows = await this.exec<OutboxRow>(
      CLAIM_SQL,
      [
        this.batchSize,
        this.relayId,
        this.leaseMs,
        inFlight
          .map((r) => r.seq)
          .concat(toMark.map((r) => r.seq))
          .concat([...this.marking.keys()]),
        toMark.map((r) => r.seq),
      ],
      'ketenlink-outbox-claim',
    );
    for (const row of toMark) this.metrics.published(row.topic, row.headers.type);
    return { rows: rows.sort(bySeq), sendBy };
  }

  /**
   * Claim → send → mark, pipelined: while batch N is being sent, one statement marks batch N-1
   * published and claims batch N+1 (docs/adr/0023-pipelined-relay.md). Sends stay strictly one
   * after the other (N+1 goes out only after N was acknowledged), so order per key is that of
   * the unpipelined relay; a crash leaves at most two batches sent but not marked (sent again
   * after the lease, dropped by the inboxes). When a send fails, the batch claimed meanwhile is
   * released unsent and the failed batch goes key by key (`perKey`). Runs until a claim comes
   * back empty or `goOn()` turns false; returns rows claimed and published. With
   * `markLastInBackground`, the last batch's mark is left running (see `marking`) so that the
   * relay is ready for the next wake-up one round trip earlier: on a quiet outbox each event is
   * a burst of its own, and that mark would sit between its commit and the next event's claim.
   */
  private async pump(
    goOn: () => boolean,
    markLastInBackground: boolean,
  ): Promise<{ claimed: number; published: number }> {
    let claimed = 0;
    let published = 0;
    let toMark: OutboxRow[] = [];
    let batch = await this.claim([], []);
    try {
      while (batch.rows.length > 0) {
        const rows = batch.rows;
        claimed += rows.length;
        if (performance.now() > batch.sendBy) {
          // Waited so long behind the previous send that this send might outlive the lease.
          claimed -= rows.length;
          await this.release(rows);
          batch = await this.claim([], toMark);
          toMark = [];
          continue;
        }
        const sent = this.send(rows).then(
          () => undefined,
          (err: unknown) => err ?? new Error('send failed'),
        );
        const next = goOn()
          ? this.claim(rows, toMark).then(
              (c) => ({ c }),
              (err: unknown) => ({ err }),
            )
          : Promise.resolve({ c: { rows: [], sendBy: 0 } as Claim });
        const [sendError, after] = await Promise.all([sent, next]);
        if ('err' in after) {
          // PostgreSQL failed us; what was sent stays leased until it expires (sent again then).
          if (sendError === undefined) toMark = toMark.concat(rows);
          await this.markPublished(toMark).catch(() => undefined);
          toMark = [];
          throw after.err;
        }
        toMark = [];
        if (sendError !== undefined) {
          await this.release(after.c.rows);
          if (!(sendError instanceof KafkaSendError)) {
            await this.release(rows).catch(() => undefined);
            throw sendError;
          }
          published += await this.perKey(rows, sendError);
          if (!goOn()) break;
          batch = await this.claim([], []);
          continue;
        }
        published += rows.length;
        toMark = rows;
        batch = after.c;
      }
    } finally {
      if (toMark.length > 0) {
        if (markLastInBackground) this.markInBackground(toMark);
        else await this.markPublished(toMark);
      }
    }
    return { claimed, published };
  }

  /**
   * Marks sent rows published without waiting for it. If the statement fails (PostgreSQL gone),
   * the rows stay leased and are sent again once the lease expires, as after any lost mark
   * (ADR 0012); the inboxes drop the duplicates. `stop()` waits for these marks.
   */
  private markInBackground(rows: readonly OutboxRow[]): void {
    for (const r of rows) this.marking.set(r.seq, r);
    const done = this.markPublished(rows).then(
      () => undefined,
      (err: unknown) => {
        this.logger.warn(
          { err: describe(err), rows: rows.length },
          'outbox mark failed; the rows are sent again when their lease expires',
        );
      },
    );
    const settled: Promise<void> = done.finally(() => {
      for (const r of rows) this.marking.delete(r.seq);
      this.marks.delete(settled);
    });
    this.marks.add(settled);
  }

  /**
   * The batch failed: send each key's run on its own, oldest key first, so that one key's
   * trouble does not hold the others. Two keys in a row failing transiently (and nothing else
   * getting through) means Kafka itself is unreachable: the rest is released and the relay backs off.
   */
  private async perKey(rows: OutboxRow[], batchError: KafkaSendError): Promise<number> {
    const byKey = new Map<string, OutboxRow[]>();
    for (const r of rows) {
      const list = byKey.get(r.aggregateid) ?? [];
      list.push(r);
      byKey.set(r.aggregateid, list);
    }
    let published = 0;
    let transientInARow = 0;
    let lastTransient: KafkaSendError = batchError;
    const keys = [...byKey.values()];
    if (keys.length === 1 && !batchError.permanent) {
      await this.backOffRows(keys[0]!, batchError);
      throw new KafkaUnreachableError(describe(batchError));
    }
    for (let i = 0; i < keys.length; i++) {
      if (transientInARow >= 2) {
        await this.release(keys.slice(i).flat());
        throw new KafkaUnreachableError(describe(lastTransient));
      }
      const outcome = await this.sendKey(keys[i]!);
      published += outcome.published;
      if (outcome.transient) {
        transientInARow++;
        lastTransient = outcome.transient;
      } else {
        transientInARow = 0;
      }
    }
    return published;
  }

  /** One key's run: all at once, then (on a refusal) row by row up to the refused row. */
  private async sendKey(
    rows: OutboxRow[],
  ): Promise<{ published: number; transient?: KafkaSendError }> {
    try {
      await this.send(rows);
      await this.markPublished(rows);
      return { published: rows.length };
    } catch (err) {
      if (!(err instanceof KafkaSendError)) throw err;
      if (!err.permanent) {
        await this.backOffRows(rows, err);
        return { published: 0, transient: err };
      }
      if (rows.length === 1) {
        await this.park(rows[0]!, err);
        await this.release(rows.slice(1));
        return { published: 0 };
      }
    }
    let published = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      try {
        await this.send([row]);
        await this.markPublished([row]);
        published++;
      } catch (err) {
        if (!(err instanceof KafkaSendError)) throw err;
        if (err.permanent) {
          await this.park(row, err);
          await this.release(rows.slice(i + 1));
        } else {
          await this.backOffRows(rows.slice(i), err);
          return { published, transient: err };
        }
        return { published };
      }
    }
    return { published };
  }

  private async markPublished(rows: readonly OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.exec(
      `WITH ${ASYNC_COMMIT}
       UPDATE outbox SET published_at = now(), lease_owner = NULL, lease_expires_at = NULL
         FROM cfg WHERE seq = ANY($1::bigint[]) AND published_at IS NULL AND cfg.async`,
      [rows.map((r) => r.seq)],
      'ketenlink-outbox-mark',
    );
    for (const row of rows) this.metrics.published(row.topic, row.headers.type);
  }

  /** Gives rows back at once (no attempt counted): another cycle or relay may take them. */
  private async release(rows: readonly OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.exec(
      `WITH ${ASYNC_COMMIT}
       UPDATE outbox SET lease_owner = NULL, lease_expires_at = NULL
         FROM cfg
        WHERE seq = ANY($1::bigint[]) AND lease_owner = $2 AND published_at IS NULL AND cfg.async`,
      [rows.map((r) => r.seq), this.relayId],
    );
  }

  /** A key failed transiently: its rows wait (growing, jittered) before anyone tries again. */
  private async backOffRows(rows: readonly OutboxRow[], err: KafkaSendError): Promise<void> {
    if (rows.length === 0) return;
    await this.exec(
      `WITH ${ASYNC_COMMIT}
       UPDATE outbox
          SET lease_owner = NULL,
              lease_expires_at = now() + least($3::float8, 200 * power(2, least(attempts, 10)))
                                 * (0.5 + random() / 2) * interval '1 millisecond',
              attempts = attempts + 1, last_error = $4, last_error_at = now()
         FROM cfg
        WHERE seq = ANY($1::bigint[]) AND lease_owner = $2 AND published_at IS NULL AND cfg.async`,
      [rows.map((r) => r.seq), this.relayId, this.maxBackoffMs, describe(err)],
    );
  }

  /** Kafka refused the row for good: park it; its key waits until an operator retries it. */
  private async park(row: OutboxRow, err: KafkaSendError): Promise<void> {
    await this.exec(
      `WITH ${ASYNC_COMMIT}
       UPDATE outbox
          SET parked_at = now(), lease_owner = NULL, lease_expires_at = NULL,
              attempts = attempts + 1, last_error = $3, last_error_at = now()
         FROM cfg
        WHERE seq = $1 AND lease_owner = $2 AND published_at IS NULL AND cfg.async`,
      [row.seq, this.relayId, describe(err)],
    );
    this.metrics.parked(row.topic, row.headers.type);
    this.logger.error(
      { seq: row.seq, type: row.headers.type, topic: row.topic, err: describe(err) },
      'outbox row refused by Kafka and parked; its key waits (npm run outbox -- list-parked)',
    );
  }

  private async send(rows: readonly OutboxRow[]): Promise<void> {
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
      await this.opts.producer.send(records, { timeoutMs: this.sendTimeoutMs });
    } catch (err) {
      for (const s of spans) s.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
      throw err instanceof KafkaSendError
        ? err
        : new KafkaSendError(err instanceof Error ? err.message : String(err), false);
    } finally {
      for (const s of spans) s.end();
    }
  }
}
