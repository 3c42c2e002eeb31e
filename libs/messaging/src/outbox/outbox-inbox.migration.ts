import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox and inbox tables, the same in every service database (docs/adr/0003-outbox-inbox.md).
 * The outbox is Debezium-shaped (aggregatetype, aggregateid, type, payload) so a CDC relay could
 * replace ours without a schema change; `seq` gives the publish order, `traceparent` carries the
 * trace of the request that wrote the row.
 */
export class OutboxInbox1763900000000 implements MigrationInterface {
  name = 'OutboxInbox1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        seq            bigserial PRIMARY KEY,
        id             uuid        NOT NULL UNIQUE,
        aggregatetype  text        NOT NULL,
        aggregateid    text        NOT NULL,
        type           text        NOT NULL,
        topic          text        NOT NULL,
        payload        jsonb       NOT NULL,
        headers        jsonb       NOT NULL,
        traceparent    text,
        created_at     timestamptz NOT NULL DEFAULT now(),
        published_at   timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL`);
    await q.query(
      `CREATE INDEX outbox_unpublished_by_key ON outbox (aggregateid, seq) WHERE published_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE inbox (
        consumer_group text        NOT NULL,
        event_id       uuid        NOT NULL,
        event_type     text        NOT NULL,
        topic          text        NOT NULL,
        kafka_partition integer    NOT NULL,
        kafka_offset   bigint      NOT NULL,
        processed_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox`);
    await q.query(`DROP TABLE outbox`);
  }
}
