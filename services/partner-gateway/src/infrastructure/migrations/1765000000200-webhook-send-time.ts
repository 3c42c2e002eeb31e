import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook copies decided at send time (ADR 0039): a queued row keeps the event reference and
 * the decision inputs (partner, channel, replay id); the payload is projected through the
 * disclosure gate at each attempt. `body` stays only for the gateway's own notices (a
 * retraction: ids and category names, sent as issued); `withheld_at` ends a delivery that an
 * attempt found nothing permitted for any more (audited as withheld).
 */
export class WebhookSendTime1765000000200 implements MigrationInterface {
  name = 'WebhookSendTime1765000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries ALTER COLUMN body DROP NOT NULL`);
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN withheld_at timestamptz`);
    // Copies queued before this migration are re-decided when they are sent.
    await q.query(
      `UPDATE webhook_deliveries SET body = NULL
        WHERE delivered_at IS NULL AND event_type NOT LIKE 'nl.ketenlink.partner.%'`,
    );
    await q.query(`DROP INDEX webhook_deliveries_pending`);
    await q.query(`DROP INDEX webhook_deliveries_key`);
    await q.query(
      `CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (channel_id, seq)
        WHERE delivered_at IS NULL AND dead_at IS NULL AND withheld_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX webhook_deliveries_key ON webhook_deliveries (channel_id, trajectory_id, seq)
        WHERE delivered_at IS NULL AND dead_at IS NULL AND withheld_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_deliveries_pending`);
    await q.query(`DROP INDEX webhook_deliveries_key`);
    await q.query(
      `CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (channel_id, seq)
        WHERE delivered_at IS NULL AND dead_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX webhook_deliveries_key ON webhook_deliveries (channel_id, trajectory_id, seq)
        WHERE delivered_at IS NULL AND dead_at IS NULL`,
    );
    await q.query(`DELETE FROM webhook_deliveries WHERE body IS NULL`);
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN withheld_at`);
    await q.query(`ALTER TABLE webhook_deliveries ALTER COLUMN body SET NOT NULL`);
  }
}
