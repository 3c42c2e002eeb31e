import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The disclosure gate's records in placement-intake (ADR 0020):
 * - referral_disclosures: a referral is a time-bounded disclosure to the addressed provider of
 *   the file's categories, from the request until the refusal, a withdrawal (ended_at) or
 *   leaving (computed from trajectory_participants when read);
 * - access_log: every read of client data through the API, append-only (UPDATE and DELETE
 *   refused by a trigger), with the legal basis per category.
 */
export class Disclosure1763900000600 implements MigrationInterface {
  name = 'Disclosure1763900000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral_disclosures (
        placement_id     uuid PRIMARY KEY,
        trajectory_id    uuid NOT NULL,
        recipient_org    text NOT NULL,
        referrer_org     text NOT NULL,
        categories       text[] NOT NULL,
        legal_basis      text NOT NULL,
        valid_from       timestamptz NOT NULL,
        ended_at         timestamptz,
        end_reason       text
      )`);
    await q.query(
      `CREATE INDEX referral_disclosures_trajectory ON referral_disclosures (trajectory_id)`,
    );
    await q.query(`
      CREATE TABLE access_log (
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
    await q.query(`CREATE INDEX access_log_trajectory ON access_log (trajectory_id, at)`);
    await q.query(`
      CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_log is append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
      FOR EACH ROW EXECUTE FUNCTION access_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE access_log`);
    await q.query(`DROP FUNCTION access_log_append_only()`);
    await q.query(`DROP TABLE referral_disclosures`);
  }
}
