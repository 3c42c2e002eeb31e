import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The referrer withdraws a placement request: status `withdrawn`, with when and why. */
export class PlacementWithdrawn1764600000100 implements MigrationInterface {
  name = 'PlacementWithdrawn1764600000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE placements DROP CONSTRAINT placements_status_check`);
    await q.query(`
      ALTER TABLE placements ADD CONSTRAINT placements_status_check CHECK (status IN
        ('requested', 'waitlisted', 'accepted', 'refused', 'intake-scheduled', 'placed', 'withdrawn'))`);
    await q.query(`ALTER TABLE placements ADD COLUMN withdrawal jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE placements DROP COLUMN withdrawal`);
    await q.query(`ALTER TABLE placements DROP CONSTRAINT placements_status_check`);
    await q.query(`
      ALTER TABLE placements ADD CONSTRAINT placements_status_check CHECK (status IN
        ('requested', 'waitlisted', 'accepted', 'refused', 'intake-scheduled', 'placed'))`);
  }
}
