import type { MigrationInterface, QueryRunner } from 'typeorm';

/** This service's own projection of the trajectories it has heard of (never another service's tables). */
export class KnownTrajectories1763900000200 implements MigrationInterface {
  name = 'KnownTrajectories1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE known_trajectories (
        trajectory_id   uuid PRIMARY KEY,
        opened_at       timestamptz NOT NULL,
        opened_by_org   text NOT NULL,
        region          text,
        source_event_id uuid NOT NULL,
        projected_at    timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE known_trajectories`);
  }
}
