import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * placement-intake's own projections of trajectories and participants give way to the shared
 * facts projection (@ketenlink/trajectory-facts, ADR 0021). Their rows move over with the same
 * event ids as keys, so the projection takes a replay of the same events as a repeat (nothing
 * changes). The left events are kept as participation ends; their emission time is not known
 * here, so the later of the joined row's projection and the leaving stands in for it.
 */
export class AdoptTrajectoryFacts1764600000000 implements MigrationInterface {
  name = 'AdoptTrajectoryFacts1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO facts_trajectories
        (trajectory_id, opened_at, opened_by_org, region, case_lead_org, case_lead_at, opened_event_id)
      SELECT trajectory_id, opened_at, opened_by_org, region, opened_by_org, opened_at, source_event_id
        FROM known_trajectories
      ON CONFLICT (trajectory_id) DO NOTHING`);
    await q.query(`
      INSERT INTO facts_participations
        (joined_event_id, joined_time, trajectory_id, organisation_id, role, valid_from, valid_until)
      SELECT source_event_id, projected_at, trajectory_id, organisation_id, role, valid_from, valid_until
        FROM trajectory_participants
      ON CONFLICT (joined_event_id) DO NOTHING`);
    await q.query(`
      INSERT INTO facts_participation_ends
        (left_event_id, left_time, trajectory_id, organisation_id, role, at)
      SELECT DISTINCT ON (left_event_id) left_event_id, GREATEST(projected_at, left_at),
             trajectory_id, organisation_id, role, left_at
        FROM trajectory_participants
       WHERE left_event_id IS NOT NULL
       ORDER BY left_event_id, projected_at DESC
      ON CONFLICT (left_event_id) DO NOTHING`);
    await q.query(`DROP TABLE trajectory_participants`);
    await q.query(`DROP TABLE known_trajectories`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE known_trajectories (
        trajectory_id   uuid PRIMARY KEY,
        opened_at       timestamptz NOT NULL,
        opened_by_org   text NOT NULL,
        region          text,
        source_event_id uuid NOT NULL,
        projected_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO known_trajectories (trajectory_id, opened_at, opened_by_org, region, source_event_id)
      SELECT trajectory_id, opened_at, opened_by_org, region, opened_event_id
        FROM facts_trajectories WHERE opened_event_id IS NOT NULL`);
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
    await q.query(`
      INSERT INTO trajectory_participants
        (source_event_id, trajectory_id, organisation_id, role, valid_from, valid_until, left_at, left_event_id, projected_at)
      SELECT p.joined_event_id, p.trajectory_id, p.organisation_id, p.role, p.valid_from, p.valid_until,
             e.at, e.left_event_id, p.joined_time
        FROM facts_participations p
        LEFT JOIN LATERAL (
          SELECT at, left_event_id FROM facts_participation_ends e
           WHERE e.trajectory_id = p.trajectory_id AND e.organisation_id = p.organisation_id
             AND e.role = p.role AND e.left_time >= p.joined_time
           ORDER BY at LIMIT 1) e ON true`);
    await q.query(
      `CREATE INDEX trajectory_participants_trajectory_org
         ON trajectory_participants (trajectory_id, organisation_id)`,
    );
  }
}
