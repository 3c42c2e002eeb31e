import type { OutgoingRecord, ProducerPort, SendOptions } from '@ketenlink/messaging';
import type { Pool, QueryConfig } from 'pg';
import { msBetween, nowNs } from './stats';

/** Busy time per phase of the relay (claim, mark, send, …): count, total and mean ms. */
export class TimedPhases {
  private readonly phases = new Map<string, { n: number; ms: number; rows: number }>();

  async time<T>(phase: string, work: () => Promise<T>, rows = 0): Promise<T> {
    const start = nowNs();
    try {
      return await work();
    } finally {
      const p = this.phases.get(phase) ?? { n: 0, ms: 0, rows: 0 };
      p.n++;
      p.ms += msBetween(start, nowNs());
      p.rows += rows;
      this.phases.set(phase, p);
    }
  }

  summary(): Record<string, { count: number; totalMs: number; meanMs: number }> {
    return Object.fromEntries(
      [...this.phases].map(([k, p]) => [
        k,
        { count: p.n, totalMs: Math.round(p.ms), meanMs: Number((p.ms / p.n).toFixed(2)) },
      ]),
    );
  }

  format(wallMs: number): string {
    return [...this.phases]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(
        ([k, p]) =>
          `  ${k.padEnd(12)} ${String(p.n).padStart(5)}× ${p.ms.toFixed(0).padStart(7)} ms busy ` +
          `(${((100 * p.ms) / wallMs).toFixed(0).padStart(3)}% of wall), ${(p.ms / p.n).toFixed(2)} ms each`,
      )
      .join('\n');
  }
}

/** The relay statement a query is: the first word after the relay's CTE prelude. */
function phaseOf(sql: string): string {
  if (/FOR UPDATE OF o SKIP LOCKED/.test(sql))
    return /published_at = now\(\)/.test(sql) ? 'mark+claim' : 'claim';
  if (/published_at = now\(\)/.test(sql)) return 'mark';
  if (/count\(\*\)/.test(sql)) return 'backlog';
  if (/parked_at = now\(\)/.test(sql)) return 'park';
  if (/attempts = attempts \+ 1/.test(sql)) return 'back-off';
  if (/lease_owner = NULL/.test(sql)) return 'release';
  return 'other sql';
}

/** The pool with `query` timed per relay statement (the relay only calls `query`). */
export function timedPool(pool: Pool, phases: TimedPhases): Pool {
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown;
      return (q: string | QueryConfig, params?: unknown[]) =>
        phases.time(phaseOf(typeof q === 'string' ? q : q.text), () =>
          typeof q === 'string' ? target.query(q, params) : target.query(q),
        );
    },
  });
}

/** A producer whose sends are timed. */
export class TimedProducer implements ProducerPort {
  constructor(
    private readonly inner: ProducerPort,
    private readonly phases: TimedPhases,
  ) {}
  connect(): Promise<void> {
    return this.inner.connect();
  }
  disconnect(): Promise<void> {
    return this.inner.disconnect();
  }
  send(records: readonly OutgoingRecord[], options?: SendOptions): Promise<void> {
    return this.phases.time('send', () => this.inner.send(records, options), records.length);
  }
}
