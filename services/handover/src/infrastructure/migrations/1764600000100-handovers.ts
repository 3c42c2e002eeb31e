import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The handover service's own tables (docs/handover.md):
 * - handovers: one row per handover; the columns the queries and the deadline sweep select on,
 *   the whole aggregate in `state` (written only through SqlHandoverStore);
 * - package_sources: the package's sources projected from plan reviews (plan.versioned,
 *   risk-assessment.recorded) by the inbox consumer, one row per source event;
 * (the access log comes from @ketenlink/access-log, listed before this in the index).
 */
export class Handovers1764600000100 implements MigrationInterface {
  name = 'Handovers1764600000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE handovers (
        id                   uuid PRIMARY KEY,
        trajectory_id        uuid NOT NULL,
        sending_org          text NOT NULL,
        receiving_org        text NOT NULL,
        status               text NOT NULL CHECK (status IN ('requested', 'accepted', 'declined',
                               'meeting-scheduled', 'meeting-held', 'completed', 'cancelled')),
        response_due_at      timestamptz NOT NULL,
        overdue_notified_at  timestamptz,
        state                jsonb NOT NULL,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX handovers_trajectory ON handovers (trajectory_id)`);
    await q.query(`CREATE INDEX handovers_parties ON handovers (sending_org, receiving_org)`);
    await q.query(`
      CREATE INDEX handovers_unanswered ON handovers (response_due_at)
        WHERE status = 'requested' AND overdue_notified_at IS NULL`);
    // One open handover per trajectory and receiving organisation.
    await q.query(`
      CREATE UNIQUE INDEX handovers_one_open ON handovers (trajectory_id, receiving_org)
        WHERE status IN ('requested', 'accepted', 'meeting-scheduled', 'meeting-held')`);
    await q.query(`
      CREATE TABLE package_sources (
        event_id       text PRIMARY KEY,
        trajectory_id  uuid NOT NULL,
        source         text NOT NULL CHECK (source IN ('plan', 'risk-assessment')),
        ordering       text NOT NULL,
        payload        jsonb NOT NULL,
        received_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX package_sources_current ON package_sources (trajectory_id, source, ordering)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE package_sources`);
    await q.query(`DROP TABLE handovers`);
  }
}
