import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * This service's own projection of who takes part in which trajectory (from
 * trajectory.participant-joined / -left). One row per joined event, keyed by that event's id, so
 * a repeated delivery inserts nothing; a left event closes the open rows of that organisation
 * and role.
 */
export class TrajectoryParticipants1763900000400 implements MigrationInterface {
  name = 'TrajectoryParticipants1763900000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trajectory_participants (
        source_event_id uuid PRIMARY KEY,
        trajectory_id   uuid NOT NULL,
        organisation_id text NOT NULL,
        role            text NOT NULL,
        valid_from      date NOT NULL,
        valid_until     date,
        left_at         timestamptz,
        left_event_id   uuid,
        projected_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX trajectory_participants_trajectory_org
         ON trajectory_participants (trajectory_id, organisation_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trajectory_participants`);
  }
}
