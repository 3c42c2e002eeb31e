import {
  headerString,
  type OutgoingRecord,
  OUTBOX_CHANNEL,
  type ProducerPort,
  type SendOptions,
} from '@ketenlink/messaging';
import { Client, type Pool, type QueryConfig } from 'pg';
import { type LatencySummary, msBetween, nowNs, summarize } from './stats';

/** The points of one event's way through the Ketenlink path, timed by the bench. */
export type PathPoint =
  | 'txStart'
  | 'committed'
  | 'claimStart'
  | 'claimEnd'
  | 'sendStart'
  | 'sendAck'
  | 'fetched'
  | 'handler'
  | 'inboxCommitted';

/** One segment of the path: from one point to the next, per event. */
export interface PathSegment {
  readonly segment: string;
  readonly summary: LatencySummary;
}

/**
 * Where each millisecond of one event's produce → handler goes: every point of the path is
 * stamped per event id (the relay's claim statement and Kafka send through a wrapped pool and
 * producer, the consumer's batch arrival and handler through hooks), plus the NOTIFY as a
 * LISTENer of the bench sees it (paired with the commits by order: NOTIFY carries no payload).
 * Nothing in the library is changed for it.
 */
export class PathProfile {
  private readonly points = new Map<string, Map<PathPoint, bigint>>();
  private readonly notifications: bigint[] = [];
  private listener: Client | undefined;

  mark(id: string, point: PathPoint, at: bigint = nowNs()): void {
    let p = this.points.get(id);
    if (!p) this.points.set(id, (p = new Map()));
    if (!p.has(point)) p.set(point, at); // the first time counts (a re-claim is rare)
  }

  at(id: string, point: PathPoint): bigint | undefined {
    return this.points.get(id)?.get(point);
  }

  /** A LISTENer of the relay's channel, to time the NOTIFY as another process would see it. */
  async listen(databaseUrl: string): Promise<void> {
    const c = new Client({ connectionString: databaseUrl });
    await c.connect();
    c.on('notification', () => this.notifications.push(nowNs()));
    await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.listener = c;
  }

  async close(): Promise<void> {
    await this.listener?.end().catch(() => undefined);
  }

  /** The pool with the relay's claim statement stamped on the rows it returns. */
  observedRelayPool(pool: Pool): Pool {
    return new Proxy(pool, {
      get: (target, prop, receiver) => {
        if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown;
        return async (q: string | QueryConfig, params?: unknown[]) => {
          const start = nowNs();
          const res = typeof q === 'string' ? await target.query(q, params) : await target.query(q);
          const end = nowNs();
          if (typeof q !== 'string' && q.name === 'ketenlink-outbox-claim') {
            for (const row of res.rows as { headers: { id: string } }[]) {
              this.mark(row.headers.id, 'claimStart', start);
              this.mark(row.headers.id, 'claimEnd', end);
            }
          }
          return res;
        };
      },
    });
  }

  /** The relay's producer with each record's send and broker ack stamped. */
  observedProducer(inner: ProducerPort): ProducerPort {
    const idOf = (r: OutgoingRecord) => headerString(r.headers, 'ce_id');
    return {
      connect: () => inner.connect(),
      disconnect: () => inner.disconnect(),
      send: async (records: readonly OutgoingRecord[], options?: SendOptions) => {
        const start = nowNs();
        await inner.send(records, options);
        const end = nowNs();
        for (const r of records) {
          const id = idOf(r);
          if (!id) continue;
          this.mark(id, 'sendStart', start);
          this.mark(id, 'sendAck', end);
        }
      },
    };
  }

  /** Per segment over the measured events (percentiles of each segment on its own). */
  segments(ids: readonly string[]): PathSegment[] {
    const between = (segment: string, from: PathPoint, to: PathPoint): PathSegment => ({
      segment,
      summary: summarize(
        ids.flatMap((id) => {
          const a = this.at(id, from);
          const b = this.at(id, to);
          return a !== undefined && b !== undefined ? [msBetween(a, b)] : [];
        }),
      ),
    });
    // NOTIFY pairs with the commits in commit order (one notification per transaction).
    const committed = ids
      .map((id) => this.at(id, 'committed'))
      .filter((t): t is bigint => t !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const firstCommit = committed[0];
    const notes = this.notifications.filter(
      (t) => firstCommit !== undefined && t >= firstCommit - 50_000_000n,
    );
    const notify = summarize(
      committed.slice(0, notes.length).map((c, i) => msBetween(c, notes[i]!)),
    );
    return [
      between('tx start → COMMIT returned (writer)', 'txStart', 'committed'),
      { segment: 'COMMIT → NOTIFY at a LISTENer (paired by order)', summary: notify },
      between('COMMIT → relay claim starts (wake-up + relay busy)', 'committed', 'claimStart'),
      between('claim statement', 'claimStart', 'claimEnd'),
      between('claim returned → send starts', 'claimEnd', 'sendStart'),
      between('send → broker ack (acks -1)', 'sendStart', 'sendAck'),
      between('send → consumer batch handed over (Kafka + fetch)', 'sendStart', 'fetched'),
      between('broker ack → consumer batch handed over', 'sendAck', 'fetched'),
      between('batch handed over → handler (validate, BEGIN, inbox INSERT)', 'fetched', 'handler'),
      between('COMMIT → handler', 'committed', 'handler'),
      between('tx start → handler (the headline)', 'txStart', 'handler'),
      between('handler → inbox tx committed', 'handler', 'inboxCommitted'),
    ];
  }
}

export function formatSegments(segments: readonly PathSegment[]): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(2).padStart(7) : '    n/a');
  return segments
    .map(
      (s) =>
        `    ${s.segment.padEnd(62)} p50 ${f(s.summary.p50)}  p95 ${f(s.summary.p95)}  p99 ${f(s.summary.p99)} ms`,
    )
    .join('\n');
}
