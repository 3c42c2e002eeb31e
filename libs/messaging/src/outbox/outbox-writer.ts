import type { CloudEvent } from '../envelope/cloud-event';
import { OUTBOX_CHANNEL, type SqlExecutor } from '../sql';

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

/**
 * Appends events to the outbox inside the caller's transaction, so the state change and its
 * events commit together or not at all. Per key, a transaction-scoped advisory lock makes the
 * outbox `seq` order equal to commit order: the relay can then publish by `seq` without ever
 * overtaking a slower transaction of the same trajectory.
 */
export async function appendToOutbox(
  tx: SqlExecutor,
  entries: readonly OutboxEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const keys = [...new Set(entries.map((e) => e.orderingKey ?? e.event.subject))].sort();
  // All keys in one statement, taken one after the other in the sorted order (the function scan
  // yields the array in order), so two writers of overlapping keys cannot deadlock.
  await tx.query(
    `SELECT pg_advisory_xact_lock(hashtextextended(k, 7331))
       FROM unnest($1::text[]) WITH ORDINALITY AS l(k, i) ORDER BY i`,
    [keys.map((k) => `outbox:${k}`)],
  );
  // One statement per 1000 rows (PostgreSQL takes at most 65 535 parameters), in the order
  // given (the relay keeps that order per key).
  for (let from = 0; from < entries.length; from += OUTBOX_ROWS_PER_INSERT) {
    const params: unknown[] = [];
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
        return `(${Array.from({ length: 8 }, (_, i) => `$${at + i + 1}`).join(', ')})`;
      });
    await tx.query(
      `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, headers, traceparent)
       VALUES ${rows.join(', ')}`,
      params,
    );
  }
  // Delivered to LISTENers only when the transaction commits.
  await tx.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}
