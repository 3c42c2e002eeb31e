import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leases and parking for the outbox relay (docs/adr/0012-outbox-leases-and-parking.md).
 *
 * - `lease_owner`, `lease_expires_at`: a relay claims rows by leasing them in a short
 *   transaction, sends them with no transaction open, then marks them published. A lease that
 *   expires (the relay died or hangs) is taken over by another relay. A row with no owner and a
 *   future `lease_expires_at` is backing off after a transient failure of its key.
 * - `attempts`, `last_error`, `last_error_at`: failed sends of the row (the error is the Kafka
 *   client's code and message, never the payload).
 * - `parked_at`: Kafka refused the row for good (too large, invalid, not authorised). Its key
 *   waits behind it, every other key flows; `npm run outbox -- retry <seq>` un-parks it.
 * Also the indexes the relay's claim and the retention purge use.
 */
export class OutboxLeases1764000000000 implements MigrationInterface {
  name = 'OutboxLeases1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox
        ADD COLUMN lease_owner      text,
        ADD COLUMN lease_expires_at timestamptz,
        ADD COLUMN attempts         integer NOT NULL DEFAULT 0,
        ADD COLUMN last_error       text,
        ADD COLUMN last_error_at    timestamptz,
        ADD COLUMN parked_at        timestamptz`);
    await q.query(`CREATE INDEX outbox_parked ON outbox (seq) WHERE parked_at IS NOT NULL`);
    // Keys the relay must not claim from: a parked row, or a row backing off (no owner, expiry set).
    await q.query(`
      CREATE INDEX outbox_held ON outbox (aggregateid)
       WHERE published_at IS NULL
         AND (parked_at IS NOT NULL OR (lease_owner IS NULL AND lease_expires_at IS NOT NULL))`);
    await q.query(
      `CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX inbox_processed_at ON inbox (processed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX inbox_processed_at`);
    await q.query(`DROP INDEX outbox_published`);
    await q.query(`DROP INDEX outbox_held`);
    await q.query(`DROP INDEX outbox_parked`);
    await q.query(`
      ALTER TABLE outbox
        DROP COLUMN parked_at,
        DROP COLUMN last_error_at,
        DROP COLUMN last_error,
        DROP COLUMN attempts,
        DROP COLUMN lease_expires_at,
        DROP COLUMN lease_owner`);
  }
}
