import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Locations (R-LOCATION), per-provider matching rules (data), placement requests and decisions. */
export class Placements1763900000300 implements MigrationInterface {
  name = 'Placements1763900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE locations (
        id                          uuid PRIMARY KEY,
        provider_org                text NOT NULL,
        label                       text NOT NULL,
        forensic_mix                text NOT NULL CHECK (forensic_mix IN ('clustered', 'spread')),
        substance_policy            text NOT NULL CHECK (substance_policy IN ('abstinent', 'use-tolerated')),
        expertise                   text[] NOT NULL DEFAULT '{}',
        capacity                    integer NOT NULL CHECK (capacity >= 0),
        occupancy                   integer NOT NULL DEFAULT 0 CHECK (occupancy >= 0 AND occupancy <= capacity),
        excluded_offence_categories text[] NOT NULL DEFAULT '{}',
        created_at                  timestamptz NOT NULL DEFAULT now(),
        updated_at                  timestamptz NOT NULL DEFAULT now(),
        version                     integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX locations_provider_org ON locations (provider_org)`);
    await q.query(`
      CREATE TABLE matching_rule_configs (
        provider_org text PRIMARY KEY,
        config       jsonb NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        updated_by   text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE placements (
        id                               uuid PRIMARY KEY,
        trajectory_id                    uuid NOT NULL,
        provider_org                     text NOT NULL,
        referrer_org                     text NOT NULL,
        referrer_kind                    text NOT NULL,
        request                          jsonb NOT NULL,
        documents                        jsonb NOT NULL DEFAULT '[]',
        status                           text NOT NULL CHECK (status IN
          ('requested', 'waitlisted', 'accepted', 'refused', 'intake-scheduled', 'placed')),
        requested_at                     timestamptz NOT NULL,
        answer_due_on                    date NOT NULL,
        documents_completed_at           timestamptz,
        decided_at                       timestamptz,
        location_id                      uuid REFERENCES locations (id),
        refusal                          jsonb,
        waitlist                         jsonb,
        intake_scheduled_for             timestamptz,
        moved_in_at                      timestamptz,
        first_contact_at                 timestamptz,
        crucial_information              jsonb,
        answer_overdue_notified_at       timestamptz,
        crucial_info_overdue_notified_at timestamptz,
        version                          integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX placements_provider_org ON placements (provider_org)`);
    await q.query(`CREATE INDEX placements_referrer_org ON placements (referrer_org)`);
    await q.query(
      `CREATE INDEX placements_location ON placements (location_id) WHERE location_id IS NOT NULL`,
    );
    // The deadline sweep's two questions, each answered from a small partial index.
    await q.query(`
      CREATE INDEX placements_answer_due ON placements (answer_due_on)
      WHERE status = 'requested' AND answer_overdue_notified_at IS NULL`);
    await q.query(`
      CREATE INDEX placements_crucial_info_due ON placements (first_contact_at)
      WHERE first_contact_at IS NOT NULL AND crucial_information IS NULL
        AND crucial_info_overdue_notified_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE placements`);
    await q.query(`DROP TABLE matching_rule_configs`);
    await q.query(`DROP TABLE locations`);
  }
}
