import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans (versioned; stapelzorg: one plan per owner organisation), risk assessments, meetings,
 * and the service's own append-only access log (the disclosure gate's port, ADR 0020).
 */
export class Records1764100000200 implements MigrationInterface {
  name = 'Records1764100000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE plan_versions (
        plan_id       uuid NOT NULL,
        version       integer NOT NULL CHECK (version >= 1),
        trajectory_id uuid NOT NULL,
        owner_org     text NOT NULL,
        body          jsonb NOT NULL,
        recorded_at   timestamptz NOT NULL,
        PRIMARY KEY (plan_id, version)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX plan_versions_owner ON plan_versions (trajectory_id, owner_org, version)`,
    );
    await q.query(`
      CREATE TABLE risk_assessments (
        id            uuid PRIMARY KEY,
        trajectory_id uuid NOT NULL,
        body          jsonb NOT NULL,
        recorded_at   timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX risk_assessments_trajectory ON risk_assessments (trajectory_id, recorded_at)`,
    );
    await q.query(`
      CREATE TABLE meetings (
        id            uuid PRIMARY KEY,
        trajectory_id uuid NOT NULL,
        kind          text NOT NULL,
        body          jsonb NOT NULL,
        recorded_at   timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX meetings_trajectory ON meetings (trajectory_id, recorded_at)`);
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
    await q.query(`DROP TABLE meetings`);
    await q.query(`DROP TABLE risk_assessments`);
    await q.query(`DROP TABLE plan_versions`);
  }
}
