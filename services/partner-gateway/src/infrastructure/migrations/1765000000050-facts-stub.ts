import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stand-in projection of the trajectory facts the gate needs (participations, consent records)
 * until @ketenlink/trajectory-facts lands: then this migration's tables are dropped by a new
 * one and TRAJECTORY_FACTS_MIGRATIONS are appended instead.
 */
export class FactsStub1765000000050 implements MigrationInterface {
  name = 'FactsStub1765000000050';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE gw_participations (
        trajectory_id   text NOT NULL,
        organisation_id text NOT NULL,
        role            text NOT NULL,
        from_at         timestamptz NOT NULL,
        until_at        timestamptz,
        source_event_id uuid PRIMARY KEY
      )`);
    await q.query(`CREATE INDEX gw_participations_t ON gw_participations (trajectory_id)`);
    await q.query(`
      CREATE TABLE gw_consents (
        consent_id     uuid PRIMARY KEY,
        trajectory_id  text NOT NULL,
        recipient_kind text NOT NULL,
        recipient_id   text NOT NULL,
        categories     text[] NOT NULL,
        purpose        text NOT NULL,
        legal_basis    text NOT NULL,
        valid_from     timestamptz NOT NULL,
        valid_until    timestamptz,
        revoked_at     timestamptz
      )`);
    await q.query(`CREATE INDEX gw_consents_t ON gw_consents (trajectory_id)`);
    await q.query(`CREATE TABLE gw_trajectories (trajectory_id text PRIMARY KEY)`);
    await q.query(`CREATE TABLE gw_organisations (id text PRIMARY KEY, kind text NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE gw_organisations`);
    await q.query(`DROP TABLE gw_trajectories`);
    await q.query(`DROP TABLE gw_consents`);
    await q.query(`DROP TABLE gw_participations`);
  }
}
