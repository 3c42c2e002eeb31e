import type { Pool } from 'pg';
import { silentLogger, type MessagingLogger } from '../logger';
import { registryMessagingMetrics, type MessagingMetrics } from '../metrics';
import { CONTEXT_TOPIC_RETENTION_MS } from '../topics/topics';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Kafka deletes whole log segments: a record can outlive `retention.ms` by up to one segment's
 * lifetime (`segment.ms`, 7 days by default) before it is gone from the topic.
 */
export const KAFKA_SEGMENT_SLACK_MS = 7 * DAY_MS;

/** Published outbox rows (with their payloads) are kept a week, for operators' inspection. */
export const DEFAULT_OUTBOX_RETENTION_MS = 7 * DAY_MS;
/**
 * Inbox rows outlive every record still on the topics they came from, so a consumer replaying a
 * topic from the beginning (new partition assignment, offsets reset) still finds each event it
 * already applied and drops it: 365 days topic retention + segment slack + margin.
 */
export const DEFAULT_INBOX_RETENTION_MS = 400 * DAY_MS;
export const DEFAULT_RETENTION_INTERVAL_MS = 15 * 60 * 1000;
export const DEFAULT_RETENTION_BATCH = 1000;

export interface RetentionSettings {
  /** Published outbox rows older than this (by `published_at`) are deleted. */
  readonly outboxRetentionMs: number;
  /** Inbox rows older than this (by `processed_at`) are deleted. */
  readonly inboxRetentionMs: number;
  /** Pause between purge runs. */
  readonly intervalMs: number;
  /** Rows per DELETE (each its own short transaction). */
  readonly batchSize: number;
}

export class RetentionConfigError extends Error {
  override readonly name = 'RetentionConfigError';
}

function daysFromEnv(env: NodeJS.ProcessEnv, name: string, fallbackMs: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallbackMs;
  const days = Number(raw);
  if (!Number.isFinite(days) || days <= 0) {
    throw new RetentionConfigError(`${name} must be a positive number of days, got "${raw}"`);
  }
  return days * DAY_MS;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new RetentionConfigError(`${name} must be a positive integer, got "${raw}"`);
  }
  return n;
}

/**
 * Retention from the environment (docs/data-retention.md):
 * `KETENLINK_OUTBOX_RETENTION_DAYS` (default 7), `KETENLINK_INBOX_RETENTION_DAYS` (default 400),
 * `KETENLINK_RETENTION_INTERVAL_MS` (default 15 min), `KETENLINK_RETENTION_BATCH` (default 1000).
 * An inbox retention that would forget events still on their topic is refused.
 */
export function retentionFromEnv(env: NodeJS.ProcessEnv = process.env): RetentionSettings {
  const settings: RetentionSettings = {
    outboxRetentionMs: daysFromEnv(
      env,
      'KETENLINK_OUTBOX_RETENTION_DAYS',
      DEFAULT_OUTBOX_RETENTION_MS,
    ),
    inboxRetentionMs: daysFromEnv(
      env,
      'KETENLINK_INBOX_RETENTION_DAYS',
      DEFAULT_INBOX_RETENTION_MS,
    ),
    intervalMs: intFromEnv(env, 'KETENLINK_RETENTION_INTERVAL_MS', DEFAULT_RETENTION_INTERVAL_MS),
    batchSize: intFromEnv(env, 'KETENLINK_RETENTION_BATCH', DEFAULT_RETENTION_BATCH),
  };
  assertInboxOutlivesTopics(settings.inboxRetentionMs);
  return settings;
}

/** Throws unless inbox rows outlive every record of the context topics (replays still dedupe). */
export function assertInboxOutlivesTopics(
  inboxRetentionMs: number,
  topicRetentionMs = CONTEXT_TOPIC_RETENTION_MS,
): void {
  if (inboxRetentionMs < topicRetentionMs + KAFKA_SEGMENT_SLACK_MS) {
    throw new RetentionConfigError(
      `inbox retention (${inboxRetentionMs / DAY_MS} days) must exceed the topic retention ` +
        `(${topicRetentionMs / DAY_MS} days) plus Kafka's segment slack ` +
        `(${KAFKA_SEGMENT_SLACK_MS / DAY_MS} days), or a replay would apply events twice`,
    );
  }
}

export interface RetentionPurgerOptions extends Partial<RetentionSettings> {
  readonly pool: Pool;
  readonly metrics?: MessagingMetrics;
  readonly logger?: MessagingLogger;
  /** Delay before the first run (default: a random part of the interval, capped at 60 s). */
  readonly firstRunDelayMs?: number;
}

export interface PurgeResult {
  readonly outbox: number;
  readonly inbox: number;
}

/**
 * Deletes published outbox rows and inbox rows past their retention, in small batches: each
 * batch is one DELETE of at most `batchSize` rows picked with FOR UPDATE SKIP LOCKED, so several
 * instances purge side by side without waiting for each other, and no batch holds locks long.
 * Unpublished (and parked) outbox rows are never purged.
 */
export class RetentionPurger {
  private readonly settings: RetentionSettings;
  private readonly metrics: MessagingMetrics;
  private readonly logger: MessagingLogger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  /** Set by stop(): a run in progress ends after its current batch. */
  private halted = false;

  constructor(private readonly opts: RetentionPurgerOptions) {
    const fromEnv = retentionFromEnv();
    this.settings = {
      outboxRetentionMs: opts.outboxRetentionMs ?? fromEnv.outboxRetentionMs,
      inboxRetentionMs: opts.inboxRetentionMs ?? fromEnv.inboxRetentionMs,
      intervalMs: opts.intervalMs ?? fromEnv.intervalMs,
      batchSize: opts.batchSize ?? fromEnv.batchSize,
    };
    this.metrics = opts.metrics ?? registryMessagingMetrics;
    this.logger = opts.logger ?? silentLogger;
  }

  /** Schedules purge runs; returns at once (a database outage only delays a run). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.halted = false;
    const first =
      this.opts.firstRunDelayMs ??
      Math.round(Math.random() * Math.min(60_000, this.settings.intervalMs));
    this.schedule(first);
  }

  async stop(timeoutMs = 5_000): Promise<void> {
    this.stopped = true;
    this.halted = true;
    clearTimeout(this.timer);
    await Promise.race([this.running, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.purgeOnce()
        .then((r) => {
          if (r.outbox + r.inbox > 0) this.logger.info({ ...r }, 'retention purge done');
        })
        .catch((err: unknown) =>
          this.logger.warn({ err: String(err) }, 'retention purge failed; retrying next run'),
        )
        .finally(() => this.schedule(this.settings.intervalMs));
    }, ms);
    this.timer.unref();
  }

  /** One run: batches until both tables are purged (or the purger is stopped). */
  async purgeOnce(): Promise<PurgeResult> {
    const outbox = await this.purgeTable(
      'outbox',
      `DELETE FROM outbox WHERE seq = ANY (ARRAY(
         SELECT seq FROM outbox
          WHERE published_at IS NOT NULL AND published_at < now() - $1::bigint * interval '1 millisecond'
          ORDER BY published_at
          LIMIT $2
          FOR UPDATE SKIP LOCKED))`,
      this.settings.outboxRetentionMs,
    );
    const inbox = await this.purgeTable(
      'inbox',
      `DELETE FROM inbox WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM inbox
          WHERE processed_at < now() - $1::bigint * interval '1 millisecond'
          ORDER BY processed_at
          LIMIT $2
          FOR UPDATE SKIP LOCKED))`,
      this.settings.inboxRetentionMs,
    );
    return { outbox, inbox };
  }

  private async purgeTable(table: string, sql: string, retentionMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const res = await this.opts.pool.query(sql, [
        Math.round(retentionMs),
        this.settings.batchSize,
      ]);
      const n = res.rowCount ?? 0;
      total += n;
      if (n > 0) this.metrics.purged(table, n);
      // A batch smaller than asked means the table is done (or another instance has the rest).
      if (n < this.settings.batchSize || this.halted) return total;
    }
  }
}
