import type { DataSource } from 'typeorm';
import { assertTestDatabase } from '@ketenlink/persistence';

const TABLES_SQL = `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`;

async function tables(ds: DataSource): Promise<string[]> {
  return ((await ds.query(TABLES_SQL)) as { tablename: string }[]).map((r) => r.tablename);
}

/**
 * For log-scan tests: every row holding `mark` is refused by the database, with the row in the
 * error message, detail and hint — the worst case for a log line. Test databases only.
 */
export async function refuseRowsContaining(ds: DataSource, mark: string): Promise<void> {
  assertTestDatabase((ds.options as { url: string }).url);
  if (!/^[A-Za-z0-9_-]+$/.test(mark)) throw new Error(`mark must be [A-Za-z0-9_-]+: ${mark}`);
  await ds.query(`CREATE OR REPLACE FUNCTION logscan_refuse() RETURNS trigger AS $$
    BEGIN
      IF row_to_json(NEW)::text LIKE '%' || TG_ARGV[0] || '%' THEN
        RAISE EXCEPTION 'refused row %', row_to_json(NEW)::text
          USING DETAIL = row_to_json(NEW)::text, HINT = row_to_json(NEW)::text;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  for (const table of await tables(ds)) {
    await ds.query(`DROP TRIGGER IF EXISTS logscan ON "${table}"`);
    await ds.query(
      `CREATE TRIGGER logscan BEFORE INSERT OR UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION logscan_refuse('${mark}')`,
    );
  }
}

/** Undoes `refuseRowsContaining`. */
export async function acceptAllRows(ds: DataSource): Promise<void> {
  for (const table of await tables(ds))
    await ds.query(`DROP TRIGGER IF EXISTS logscan ON "${table}"`);
  await ds.query('DROP FUNCTION IF EXISTS logscan_refuse()');
}
