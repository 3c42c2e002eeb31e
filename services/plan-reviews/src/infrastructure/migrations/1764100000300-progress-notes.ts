import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Progress notes on the goals of a plan (R-PROGRESS): each row is its event's payload. */
export class ProgressNotes1764100000300 implements MigrationInterface {
  name = 'ProgressNotes1764100000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE progress_notes (
        id            uuid PRIMARY KEY,
        trajectory_id uuid NOT NULL,
        plan_id       uuid NOT NULL,
        goal_id       uuid NOT NULL,
        noted_on      date NOT NULL,
        body          jsonb NOT NULL,
        recorded_at   timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX progress_notes_trajectory ON progress_notes (trajectory_id, noted_on)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE progress_notes`);
  }
}
