import type { CloudEvent } from '../envelope/cloud-event';
import { OUTBOX_CHANNEL, type SqlExecutor } from '../sql';
import { wakeLocalRelayAfterCommit } from './commit-wake';

export interface OutboxEntry {
  readonly event: CloudEvent;
  readonly topic: string;
  /** Bounded context that owns the aggregate (Debezium `aggregatetype`). */
  readonly aggregateType: string;
  /**
   * Outbox row id when it is not the event's own id: one event copied to several topics (the
   * partner gateway's per-partner deliveries) needs one row per copy. Default: `event.id`.
   */
  readonly rowId?: string;
  /**
   * The relay's ordering key (`aggregateid`) when it is not the event's subject, e.g.
   * `<partner>:<trajectory>` so that one partner's parked delivery holds only its own copies.
   * The Kafka key stays the subject. Default: `event.subject`.
   */
  readonly orderingKey?: string;
}

/** Rows per outbox INSERT (PostgreSQL takes at most 65 535 parameters; 8 per row). */
const OUTBOX_ROWS_PER_INSERT = 1000;

/** The column types of one VALUES row (every parameter cast: the first row alone does not type the others). */
const ROW_TYPES = ['uuid', 'text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text'] as const;

/**
 * Appends events to the outbox inside the caller's transaction, so the state change and its
 * events commit together or not at all. Per key, a transaction-scoped advisory lock makes the
 * outbox `seq` order equal to commit order: the relay can then publish by `seq` without ever
 * overtaking a slower transaction of the same trajectory.
 *
 * One round trip for up to 1000 rows (docs/adr/0035-latency-path.md): the locks (keys sorted, so
 * two writers never wait on each other in a cycle), the INSERT and the NOTIFY are one statement.
 * The locks are an InitPlan behind the INSERT's one-time filter, so PostgreSQL takes them before
 * it produces the first row — before `nextval` hands out the rows' `seq`.
 *
 * The relay is told after the commit: by a NOTIFY, or, when this process runs a relay that is
 * woken from the transaction's commit (commit-wake.ts, docs/adr/0041-in-process-relay-wake.md),
 * by that wake-up instead: a NOTIFY serialises the commits of every notifying transaction.
 */
export async function appendToOutbox(
  tx: SqlExecutor,
  entries: readonly OutboxEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const keys = [...new Set(entries.map((e) => e.orderingKey ?? e.event.subject))]
    .sort()
    .map((key) => `outbox:${key}`);
  // One statement per 1000 rows, in the order given (the relay keeps that order per key); the
  // first takes the locks. NOTIFY is delivered to LISTENers only when the transaction commits
  // (several in one transaction are delivered once).
  const notify = !wakeLocalRelayAfterCommit(tx);
  for (let from = 0; from < entries.length; from += OUTBOX_ROWS_PER_INSERT) {
    const params: unknown[] = [OUTBOX_CHANNEL, from === 0 ? keys : []];
    const rows = entries
      .slice(from, from + OUTBOX_ROWS_PER_INSERT)
      .map(({ event, topic, aggregateType, rowId, orderingKey }) => {
        const { data, ...attributes } = event;
        const at = params.length;
        params.push(
          rowId ?? event.id,
          aggregateType,
          orderingKey ?? event.subject,
          event.type,
          topic,
          JSON.stringify(data),
          JSON.stringify(attributes),
          event.traceparent ?? null,
        );
        return `(${ROW_TYPES.map((type, i) => `$${at + i + 1}::${type}`).join(', ')})`;
      });
    await tx.query(
      `WITH ins AS (
         INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, headers, traceparent)
         SELECT * FROM (VALUES ${rows.join(', ')}) AS v
          WHERE (SELECT count(pg_advisory_xact_lock(hashtextextended(k, 7331))::text)
                   FROM unnest($2::text[]) AS k) >= 0
         RETURNING 1
       )
       SELECT ${notify ? `pg_notify($1, '')` : `$1::text`} FROM (SELECT 1 FROM ins LIMIT 1) AS x`,
      params,
    );
  }
}
