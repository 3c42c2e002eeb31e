import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans (versioned; stapelzorg: one plan per owner organisation), risk assessments and meetings.
 * The service's append-only access log (the disclosure gate's port, ADR 0020) is libs/access-log's
 * `AccessLog1764600000000`, listed in the migrations index.
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
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE meetings`);
    await q.query(`DROP TABLE risk_assessments`);
    await q.query(`DROP TABLE plan_versions`);
  }
}
