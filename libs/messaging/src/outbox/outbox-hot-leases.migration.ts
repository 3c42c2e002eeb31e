import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheaper leases for the pipelined relay (docs/adr/0023-pipelined-relay.md).
 *
 * A claim rewrites every leased row (owner, expiry). While a lease column appeared in an index
 * (the `outbox_held` predicate), every such rewrite was a non-HOT update: a new row version in
 * another page plus an entry in each of the four indexes, which made the claim the relay's most
 * expensive step. Now no index mentions `lease_owner` or `lease_expires_at`:
 *
 * - `outbox_held` covers every unpublished row that is parked or has failed before
 *   (`attempts > 0`), a superset of the held rows (a row backing off always has attempts > 0);
 *   the relay's `held` query keeps the exact condition as a filter;
 * - `fillfactor = 50` leaves room in each page, so the lease update can put the new version
 *   beside the old one (a HOT update: no index entry, pruned in place).
 */
export class OutboxHotLeases1764100000000 implements MigrationInterface {
  name = 'OutboxHotLeases1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_held`);
    await q.query(`
      CREATE INDEX outbox_held ON outbox (aggregateid)
       WHERE published_at IS NULL AND (parked_at IS NOT NULL OR attempts > 0)`);
    await q.query(`ALTER TABLE outbox SET (fillfactor = 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox RESET (fillfactor)`);
    await q.query(`DROP INDEX outbox_held`);
    await q.query(`
      CREATE INDEX outbox_held ON outbox (aggregateid)
       WHERE published_at IS NULL
         AND (parked_at IS NOT NULL OR (lease_owner IS NULL AND lease_expires_at IS NOT NULL))`);
  }
}
