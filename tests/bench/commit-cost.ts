/**
 * What one PostgreSQL round trip and one durable COMMIT cost on this machine:
 * `node -r @swc-node/register tests/bench/commit-cost.ts` (BENCH_COMMIT_SAMPLES, default 500).
 * Own database as `npm run bench` (reset first). Each figure is the median (and p99) of N
 * sequential calls on one connection: a round trip (`SELECT 1`), a single-row INSERT committed
 * with `synchronous_commit` on (waits for the WAL fsync) and off, BEGIN + INSERT + COMMIT, the
 * same with a NOTIFY, a plain outbox row, and `appendToOutbox` of one event in BEGIN … COMMIT
 * (the writer of the latency scenario, on pg). Then the same transaction from
 * BENCH_COMMIT_WRITERS (default 8) connections at once, with and without a NOTIFY: what the
 * notification queue's lock (held across every notifying commit's WAL flush) does to commits
 * that run concurrently, as the services' commands do on one server (ADR 0041).
 */
import { Client } from 'pg';
import { appendToOutbox } from '@ketenlink/messaging';
import { loadConfig } from './config';
import { BENCH_AGGREGATE, benchEvent } from './fixtures';
import { resetDatabase } from './setup';
import { type LatencySummary, msBetween, nowNs, summarize } from './stats';

async function timeEach(n: number, work: (i: number) => Promise<unknown>): Promise<LatencySummary> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = nowNs();
    await work(i);
    ms.push(msBetween(start, nowNs()));
  }
  return summarize(ms);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const n = Number(process.env.BENCH_COMMIT_SAMPLES ?? 500);
  await resetDatabase(config);
  const c = new Client({ connectionString: config.databaseUrl });
  await c.connect();
  try {
    const insert = `INSERT INTO bench_state (event_id, subject) VALUES (gen_random_uuid(), 'k')`;
    const cases: [string, (i: number) => Promise<unknown>][] = [
      ['round trip: SELECT 1', () => c.query('SELECT 1')],
      ['INSERT, autocommit, synchronous_commit on (WAL fsync)', () => c.query(insert)],
      [
        'INSERT, autocommit, synchronous_commit off',
        () => c.query(`SET synchronous_commit = off; ${insert}; SET synchronous_commit = on`),
      ],
      [
        'BEGIN; INSERT; COMMIT (3 round trips, fsync)',
        async () => {
          await c.query('BEGIN');
          await c.query(insert);
          await c.query('COMMIT');
        },
      ],
      [
        'BEGIN; INSERT; pg_notify; COMMIT (NOTIFY queued at commit)',
        async () => {
          await c.query('BEGIN');
          await c.query(insert);
          await c.query(`SELECT pg_notify('ketenlink_bench_cost', '')`);
          await c.query('COMMIT');
        },
      ],
      [
        'BEGIN; INSERT outbox row (no lock, no NOTIFY); COMMIT',
        async (i) => {
          const e = benchEvent(`key-${i % 200}`);
          await c.query('BEGIN');
          await c.query(
            `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, headers)
             VALUES ($1, $2, $3, $4, 'bench', $5, $6)`,
            [e.id, BENCH_AGGREGATE, e.subject, e.type, JSON.stringify(e.data), JSON.stringify(e)],
          );
          await c.query('COMMIT');
        },
      ],
      [
        'BEGIN; appendToOutbox(1 event); COMMIT (fsync)',
        async (i) => {
          await c.query('BEGIN');
          await appendToOutbox(c, [
            { event: benchEvent(`key-${i % 200}`), topic: 'bench', aggregateType: BENCH_AGGREGATE },
          ]);
          await c.query('COMMIT');
        },
      ],
    ];
    const f = (v: number) => v.toFixed(3).padStart(7);
    console.log(`PostgreSQL cost per call, ${n} sequential calls each (ms)`);
    for (const [name, work] of cases) {
      await timeEach(Math.min(50, n), work); // warm-up
      const s = await timeEach(n, work);
      console.log(`  ${name.padEnd(56)} p50 ${f(s.p50)}  p95 ${f(s.p95)}  p99 ${f(s.p99)}`);
    }
    await concurrentCommits(config.databaseUrl, n, insert);
  } finally {
    await c.end();
  }
}

/** `writers` connections each committing `n / writers` transactions at once, NOTIFY or not. */
async function concurrentCommits(url: string, n: number, insert: string): Promise<void> {
  const writers = Number(process.env.BENCH_COMMIT_WRITERS ?? 8);
  const clients = await Promise.all(
    Array.from({ length: writers }, async () => {
      const w = new Client({ connectionString: url });
      await w.connect();
      return w;
    }),
  );
  const f = (v: number) => v.toFixed(3).padStart(7);
  console.log(`Concurrent: ${writers} connections, ${n} transactions in all (ms per commit)`);
  try {
    for (const notify of [false, true, false, true]) {
      const per = Math.max(1, Math.floor(n / writers));
      const started = nowNs();
      const all = await Promise.all(
        clients.map((w) =>
          timeEach(per, async () => {
            await w.query('BEGIN');
            await w.query(insert);
            if (notify) await w.query(`SELECT pg_notify('ketenlink_bench_cost', '')`);
            await w.query('COMMIT');
          }),
        ),
      );
      const seconds = msBetween(started, nowNs()) / 1000;
      const p50 = all.map((s) => s.p50).sort((a, b) => a - b)[Math.floor(writers / 2)]!;
      const p99 = Math.max(...all.map((s) => s.p99));
      const name = `BEGIN; INSERT;${notify ? ' pg_notify;' : ''} COMMIT × ${writers}`;
      console.log(
        `  ${name.padEnd(56)} p50 ${f(p50)}  p99 ${f(p99)}  ${Math.round((per * writers) / seconds)} commits/s`,
      );
    }
  } finally {
    await Promise.all(clients.map((w) => w.end()));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
