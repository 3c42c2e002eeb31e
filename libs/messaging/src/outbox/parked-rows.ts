import { OUTBOX_CHANNEL, type SqlExecutor } from '../sql';

/** A parked outbox row as operators see it: ids, type, key, error, attempts. Never the payload. */
export interface ParkedRow {
  readonly seq: string;
  readonly eventId: string;
  readonly type: string;
  readonly topic: string;
  /** The Kafka key: the pseudonymous trajectory id. */
  readonly key: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  readonly parkedAt: string;
  readonly createdAt: string;
  /** Unpublished rows of the same key waiting behind this one. */
  readonly waitingBehind: number;
}

interface Rows<T> {
  rows?: T[];
}

function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as Rows<T>).rows ?? []);
}

/** Parked rows, oldest first (a pg Pool/Client or a TypeORM manager). */
export async function listParked(db: SqlExecutor, limit = 1000): Promise<ParkedRow[]> {
  const result = await db.query(
    `SELECT o.seq::text AS "seq", o.id AS "eventId", o.type AS "type", o.topic AS "topic",
            o.aggregateid AS "key", o.attempts AS "attempts", o.last_error AS "lastError",
            to_char(o.last_error_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "lastErrorAt",
            to_char(o.parked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "parkedAt",
            to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
            (SELECT count(*)::int FROM outbox w
              WHERE w.aggregateid = o.aggregateid AND w.published_at IS NULL AND w.seq > o.seq)
              AS "waitingBehind"
       FROM outbox o
      WHERE o.parked_at IS NOT NULL AND o.published_at IS NULL
      ORDER BY o.seq
      LIMIT $1`,
    [limit],
  );
  return rowsOf<ParkedRow>(result);
}

/**
 * Un-parks rows so the relay tries them again (attempts and last error are kept for the record;
 * the relay parks a row again if Kafka still refuses it). Returns the seqs un-parked.
 */
export async function retryParked(
  db: SqlExecutor,
  seqs: readonly string[] | 'all',
): Promise<string[]> {
  const result =
    seqs === 'all'
      ? await db.query(
          `UPDATE outbox SET parked_at = NULL, lease_owner = NULL, lease_expires_at = NULL
            WHERE parked_at IS NOT NULL AND published_at IS NULL
            RETURNING seq::text AS seq`,
        )
      : await db.query(
          `UPDATE outbox SET parked_at = NULL, lease_owner = NULL, lease_expires_at = NULL
            WHERE seq = ANY($1::bigint[]) AND parked_at IS NOT NULL AND published_at IS NULL
            RETURNING seq::text AS seq`,
          [seqs],
        );
  const retried = rowsOf<{ seq: string }>(result).map((r) => r.seq);
  if (retried.length > 0) await db.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  return retried;
}
