import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The schedules (docs/adr/0027): one facts row per trajectory (the aggregate lock: every writer
 * of a trajectory's items locks it first) and the review items with their durable timer
 * (`fire_at`: the next instant the item fires, NULL when it has nothing left to fire). Region
 * overrides of the rule defaults are data.
 */
export class Schedules1764100000100 implements MigrationInterface {
  name = 'Schedules1764100000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE schedule_facts (
        trajectory_id uuid PRIMARY KEY,
        facts         jsonb NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE review_items (
        id                 uuid PRIMARY KEY,
        trajectory_id      uuid NOT NULL REFERENCES schedule_facts (trajectory_id),
        slot               text NOT NULL,
        kind               text NOT NULL,
        rule_id            text NOT NULL,
        responsible_org    text NOT NULL,
        due_on             date NOT NULL,
        overdue_on         date NOT NULL,
        state              text NOT NULL CHECK (state IN
          ('scheduled', 'due', 'overdue', 'completed', 'cancelled', 'fired')),
        invited_orgs       text[] NOT NULL DEFAULT '{}',
        title              jsonb,
        fire_at            timestamptz,
        fired_at           timestamptz,
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    // One open item per slot and trajectory.
    await q.query(`
      CREATE UNIQUE INDEX review_items_open_slot ON review_items (trajectory_id, slot)
        WHERE state IN ('scheduled', 'due', 'overdue')`);
    // The due scan: a bounded range scan over armed timers only (bench: tests/bench/plan-reviews).
    await q.query(
      `CREATE INDEX review_items_fire_at ON review_items (fire_at) WHERE fire_at IS NOT NULL`,
    );
    // The coordinator's agenda: open items of an organisation by due date.
    await q.query(`
      CREATE INDEX review_items_agenda ON review_items (responsible_org, due_on, id)
        WHERE state IN ('scheduled', 'due', 'overdue')`);
    await q.query(`CREATE INDEX review_items_trajectory ON review_items (trajectory_id)`);
    await q.query(`
      CREATE TABLE rule_overrides (
        region     text PRIMARY KEY,
        rules      jsonb NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rule_overrides`);
    await q.query(`DROP TABLE review_items`);
    await q.query(`DROP TABLE schedule_facts`);
  }
}
