import {
  assertTestDatabase,
  createServiceDataSource,
  databaseUrlFor,
  migrate,
} from '@ketenlink/persistence';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * A migrated data source on the service's TEST database (refuses any other), with every table
 * but the migrations table emptied, so each test file starts clean.
 */
export async function openTestDatabase(opts: {
  service: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}): Promise<DataSource> {
  const url = databaseUrlFor(opts.service, { test: true });
  assertTestDatabase(url);
  const ds = createServiceDataSource({
    service: opts.service,
    url,
    entities: opts.entities ?? [],
    migrations: opts.migrations,
  });
  await migrate(ds);
  await truncateAll(ds);
  return ds;
}

/**
 * A test database of its own, dropped and created empty, for a test of what migrations do to a
 * database that starts from nothing (the shared test databases keep their migration history and
 * are only emptied). `name` as for databaseNameFor (`trajectory_fresh` →
 * `ketenlink_trajectory_fresh[_<suffix>]_test`). Returns its URL.
 */
export async function createEmptyTestDatabase(name: string): Promise<string> {
  const url = databaseUrlFor(name, { test: true });
  assertTestDatabase(url);
  const admin = new Client({ connectionString: new URL('/postgres', url).toString() });
  await admin.connect();
  try {
    const db = new URL(url).pathname.slice(1);
    await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${db}"`);
  } finally {
    await admin.end();
  }
  return url;
}

export async function truncateAll(ds: DataSource): Promise<void> {
  assertTestDatabase(databaseUrlOf(ds));
  const rows: { tablename: string }[] = await ds.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
  );
  if (rows.length) {
    // Append-only tables refuse TRUNCATE by trigger (e.g. an access log); a test reset skips
    // triggers for this transaction only, which needs a superuser, not the service's role.
    await ds.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(
        `TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`,
      );
    });
  }
}

function databaseUrlOf(ds: DataSource): string {
  return (ds.options as { url: string }).url;
}
