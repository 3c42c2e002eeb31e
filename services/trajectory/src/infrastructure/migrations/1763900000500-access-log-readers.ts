import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access log becomes the disclosure gate's port (ADR 0020): who reads may be the client or a
 * relative (no organisation), and a timeline read keeps the ids of the events it disclosed.
 */
export class AccessLogReaders1763900000500 implements MigrationInterface {
  name = 'AccessLogReaders1763900000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE access_log
        ADD COLUMN reader_kind text NOT NULL DEFAULT 'staff'
          CHECK (reader_kind IN ('staff', 'client', 'relative')),
        ADD COLUMN event_ids text[] NOT NULL DEFAULT '{}',
        ALTER COLUMN organisation_id DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE access_log DROP COLUMN reader_kind, DROP COLUMN event_ids,
        ALTER COLUMN organisation_id SET NOT NULL`);
  }
}
