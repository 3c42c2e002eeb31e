import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** A database of the gateway bench's own, made for one run and dropped after it. */
export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  readonly adminUrl: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** `ketenlink_bench_gateway_<tag>_<random>` on PG_BASE_URL (loopback only). */
export async function ensureBenchDatabase(tag: string): Promise<BenchDatabase> {
  const base = (process.env.PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(
    /\/+$/,
    '',
  );
  if (!LOOPBACK.has(new URL(base).hostname)) {
    throw new Error(`the gateway bench runs against a loopback PostgreSQL only, not ${base}`);
  }
  const name = `ketenlink_bench_gateway_${tag}_${randomUUID().slice(0, 8)}`;
  const db: BenchDatabase = { name, url: `${base}/${name}`, adminUrl: `${base}/postgres` };
  await withAdmin(db, (c) => c.query(`CREATE DATABASE ${name}`));
  return db;
}

export async function dropBenchDatabase(db: BenchDatabase): Promise<void> {
  await withAdmin(db, (c) => c.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`));
}

async function withAdmin(db: BenchDatabase, work: (c: Client) => Promise<unknown>): Promise<void> {
  const c = new Client({ connectionString: db.adminUrl });
  await c.connect();
  try {
    await work(c);
  } finally {
    await c.end();
  }
}
