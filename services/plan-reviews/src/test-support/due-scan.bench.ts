/**
 * Benchmark (not a test; kept in the service so it runs its real query): the plan-reviews due scan at 10,000 vs 1,000,000 scheduled items.
 * `npm run bench:reviews`. Builds a throwaway database with the service's real migrations, fills
 * review_items (10 per trajectory, timers spread over the next two years, 100 due now), and times
 * the service's own claim query (CLAIM_DUE_SQL, batch 100) inside a rolled-back transaction.
 * Requirement (issue 12): the cost at 1,000,000 stays within 1.5x of the cost at 10,000.
 */
import { Client } from 'pg';
import { createServiceDataSource, migrate } from '@ketenlink/persistence';
import { PLAN_REVIEWS_MIGRATIONS } from '../infrastructure/migrations';
import { CLAIM_DUE_SQL } from '../infrastructure/schedule.store';

const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = `ketenlink_plan_reviews_bench${process.env.KETENLINK_TEST_DB_SUFFIX ? `_${process.env.KETENLINK_TEST_DB_SUFFIX}` : ''}`;
const NOW = new Date('2026-06-15T10:00:00Z');
const RUNS = Number(process.env.BENCH_DUE_SCAN_RUNS ?? 300);

async function fill(c: Client, items: number): Promise<void> {
  await c.query(`TRUNCATE review_items, schedule_facts`);
  const trajectories = items / 10;
  await c.query(
    `INSERT INTO schedule_facts (trajectory_id, facts)
     SELECT md5('t' || g)::uuid, '{}'::jsonb FROM generate_series(1, $1) g`,
    [trajectories],
  );
  // 10 items per trajectory; the first 100 trajectories' first item is due now, the rest spread
  // over the next two years (armed timers), every fourth already fired or closed (fire_at NULL).
  await c.query(
    `INSERT INTO review_items (id, trajectory_id, slot, kind, rule_id, responsible_org, due_on,
       overdue_on, state, fire_at)
     SELECT md5('i' || g)::uuid, md5('t' || ((g - 1) / 10 + 1))::uuid, 'slot-' || (g % 10),
            'driegesprek', 'R-DRIEGESPREK', 'org-' || (g % 50), d::date, d::date + 7,
            CASE WHEN g % 4 = 0 THEN 'completed' ELSE 'scheduled' END,
            CASE WHEN g % 4 = 0 THEN NULL ELSE d END
       FROM (SELECT g, CASE WHEN g % 10 = 1 AND g <= 1000 THEN $2::timestamptz - interval '1 day'
                            ELSE $2::timestamptz + (g % 730 + 1) * interval '1 day' END AS d
               FROM generate_series(1, $1) g) s`,
    [items, NOW],
  );
  await c.query(`ANALYZE review_items; ANALYZE schedule_facts`);
}

async function scan(c: Client): Promise<{ meanMs: number; p95Ms: number; claimed: number }> {
  const times: number[] = [];
  let claimed = 0;
  for (let i = 0; i < RUNS + 20; i++) {
    await c.query('BEGIN');
    const t = process.hrtime.bigint();
    const r = await c.query(CLAIM_DUE_SQL, [NOW, 100]);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    await c.query('ROLLBACK');
    if (i >= 20) times.push(ms); // warm-up runs left out
    claimed = r.rowCount ?? 0;
  }
  times.sort((a, b) => a - b);
  return {
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    p95Ms: times[Math.floor(times.length * 0.95)]!,
    claimed,
  };
}

async function main(): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${DB}`);
  const ds = createServiceDataSource({
    service: 'plan-reviews',
    url,
    entities: [],
    migrations: PLAN_REVIEWS_MIGRATIONS,
  });
  await ds.initialize();
  await migrate(ds);
  await ds.destroy();
  const c = new Client({ connectionString: url });
  await c.connect();
  const results: Record<number, Awaited<ReturnType<typeof scan>>> = {};
  for (const n of [10_000, 1_000_000]) {
    const t = Date.now();
    await fill(c, n);
    results[n] = await scan(c);
    const plan = (
      await c.query(
        `EXPLAIN ${CLAIM_DUE_SQL.replace('$1', `'${NOW.toISOString()}'`).replace('$2', '100')}`,
      )
    ).rows
      .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
      .join('\n');
    console.log(
      `\n${n.toLocaleString('en')} items (filled in ${((Date.now() - t) / 1000).toFixed(1)} s): ` +
        `mean ${results[n]!.meanMs.toFixed(3)} ms, p95 ${results[n]!.p95Ms.toFixed(3)} ms, claimed ${results[n]!.claimed}\n${plan}`,
    );
  }
  await c.end();
  const ratio = results[1_000_000]!.meanMs / results[10_000]!.meanMs;
  console.log(
    `\ndue scan 1,000,000 / 10,000 items: ${ratio.toFixed(2)}x (limit 1.5x) ${ratio <= 1.5 ? 'OK' : 'TOO SLOW'}`,
  );
  const cleanup = new Client({ connectionString: ADMIN_URL });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE IF EXISTS ${DB}`);
  await cleanup.end();
  if (ratio > 1.5) process.exitCode = 1;
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
