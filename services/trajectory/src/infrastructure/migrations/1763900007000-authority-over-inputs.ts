import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Authority over the policy's inputs (issue 10, docs/adr/0019-authority-over-policy-inputs.md):
 * the organisation registry, the case lead of each trajectory, who recorded a consent record on
 * what evidence, and an access log that refuses TRUNCATE as well.
 */
export class AuthorityOverInputs1763900007000 implements MigrationInterface {
  name = 'AuthorityOverInputs1763900007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisations (
        id             text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,100}$'),
        kind           text NOT NULL CHECK (kind IN ('care-provider', 'probation-service', 'zvh',
                         'placing-authority', 'prison', 'municipality', 'platform')),
        name           text NOT NULL,
        identifiers    jsonb NOT NULL DEFAULT '{}',
        active_from    date NOT NULL,
        active_until   date,
        registered_at  timestamptz NOT NULL DEFAULT now(),
        changed_at     timestamptz NOT NULL DEFAULT now(),
        CHECK (active_until IS NULL OR active_until >= active_from)
      )`);
    // Bootstrap: the platform's own organisation, so that its registry administrators can
    // register everyone else.
    await q.query(`
      INSERT INTO organisations (id, kind, name, active_from)
      VALUES ('ketenlink', 'platform', 'Ketenlink platform', '2025-01-01')`);

    await q.query(`ALTER TABLE trajectories ADD COLUMN case_lead_org text`);
    await q.query(`UPDATE trajectories SET case_lead_org = opened_by_org`);
    await q.query(`ALTER TABLE trajectories ALTER COLUMN case_lead_org SET NOT NULL`);

    await q.query(`
      ALTER TABLE consent_records
        ADD COLUMN evidence_reference text,
        ADD COLUMN covenant text,
        ADD COLUMN recorded_by_kind text NOT NULL DEFAULT 'organisation'
          CHECK (recorded_by_kind IN ('organisation', 'client'))`);

    // Append-only includes TRUNCATE (UPDATE and DELETE were refused already). Test resets
    // bypass it with session_replication_role, which only a superuser may set.
    await q.query(`
      CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
      FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER access_log_no_truncate ON access_log`);
    await q.query(`
      ALTER TABLE consent_records DROP COLUMN recorded_by_kind, DROP COLUMN covenant,
        DROP COLUMN evidence_reference`);
    await q.query(`ALTER TABLE trajectories DROP COLUMN case_lead_org`);
    await q.query(`DROP TABLE organisations`);
  }
}
