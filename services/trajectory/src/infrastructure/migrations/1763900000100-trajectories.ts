import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Trajectories1763900000100 implements MigrationInterface {
  name = 'Trajectories1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trajectories (
        id                 uuid PRIMARY KEY,
        opened_at          timestamptz NOT NULL,
        opened_by_org      text NOT NULL,
        opened_by_role     text NOT NULL CHECK (opened_by_role IN ('referrer', 'coordinator')),
        opened_by_subject  text NOT NULL,
        region             text,
        version            integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX trajectories_opened_by_org ON trajectories (opened_by_org)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trajectories`);
  }
}
