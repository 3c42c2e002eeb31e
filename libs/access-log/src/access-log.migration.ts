import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access log of a service (ADR 0020): every read of client data through its API, disclosed
 * or refused, with the legal basis per category. Append-only: UPDATE and DELETE refused per row,
 * TRUNCATE per statement (issue 10 finding 8); test resets skip triggers as a superuser.
 *
 * Idempotent: the first migrations of agreements and plan-reviews created this same table
 * themselves before they used this one, so a database migrated then already has it (and
 * plan-reviews' lacks the TRUNCATE trigger, added here).
 */
export class AccessLog1764600000000 implements MigrationInterface {
  name = 'AccessLog1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS access_log (
        id               bigserial PRIMARY KEY,
        at               timestamptz NOT NULL,
        reader_kind      text NOT NULL CHECK (reader_kind IN ('staff', 'client', 'relative')),
        subject          text NOT NULL,
        organisation_id  text,
        roles            text[] NOT NULL,
        trajectory_id    text NOT NULL,
        resource         text NOT NULL,
        outcome          text NOT NULL CHECK (outcome IN ('disclosed', 'denied')),
        categories       text[] NOT NULL DEFAULT '{}',
        legal_bases      jsonb NOT NULL DEFAULT '{}',
        reason           text,
        trace_id         text
      )`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS access_log_trajectory ON access_log (trajectory_id, at)`,
    );
    await q.query(`
      CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_log is append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`DROP TRIGGER IF EXISTS access_log_append_only ON access_log`);
    await q.query(`DROP TRIGGER IF EXISTS access_log_no_truncate ON access_log`);
    await q.query(`
      CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
      FOR EACH ROW EXECUTE FUNCTION access_log_append_only()`);
    await q.query(`
      CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
      FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE access_log`);
    await q.query(`DROP FUNCTION access_log_append_only()`);
  }
}
