import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The partner gateway's tables (docs/partner-gateway.md):
 * - partners, partner_channels, webhook_secrets (encrypted, rotatable), partner_subscriptions;
 * - gateway_events: every consumed event as it came (for pull and replay, re-decided each time);
 * - webhook_deliveries: the per-partner webhook queue (written in the inbox transaction, leased
 *   by the dispatcher; topic deliveries go through the outbox instead);
 * - disclosure_audit: append-only, every delivery decision, attempt and outcome;
 * - retractions: sent after a withdrawal, acknowledged by the partner.
 */
export class Partners1765000000100 implements MigrationInterface {
  name = 'Partners1765000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partners (
        organisation_id text PRIMARY KEY,
        audience        text NOT NULL CHECK (audience IN ('organisation', 'relatives')),
        trajectory_id   uuid,
        full_payloads   boolean NOT NULL DEFAULT false,
        registered_at   timestamptz NOT NULL DEFAULT now(),
        registered_by   text NOT NULL,
        CHECK ((audience = 'relatives') = (trajectory_id IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE partner_channels (
        id              uuid PRIMARY KEY,
        organisation_id text NOT NULL REFERENCES partners (organisation_id),
        kind            text NOT NULL CHECK (kind IN ('topic', 'webhook')),
        url             text,
        event_types     text[] NOT NULL DEFAULT '{}',
        max_in_flight   integer NOT NULL DEFAULT 4 CHECK (max_in_flight BETWEEN 1 AND 64),
        created_at      timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'webhook') = (url IS NOT NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX partner_channels_one_topic ON partner_channels (organisation_id) WHERE kind = 'topic'`,
    );
    await q.query(`
      CREATE TABLE webhook_secrets (
        id          uuid PRIMARY KEY,
        channel_id  uuid NOT NULL REFERENCES partner_channels (id),
        key_id      text NOT NULL,
        iv          bytea NOT NULL,
        ciphertext  bytea NOT NULL,
        auth_tag    bytea NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        retires_at  timestamptz
      )`);
    await q.query(`
      CREATE TABLE partner_subscriptions (
        organisation_id text NOT NULL REFERENCES partners (organisation_id),
        event_type      text NOT NULL,
        PRIMARY KEY (organisation_id, event_type)
      )`);
    await q.query(`
      CREATE TABLE gateway_events (
        seq           bigserial UNIQUE,
        id            uuid PRIMARY KEY,
        type          text NOT NULL,
        trajectory_id text NOT NULL,
        time          timestamptz NOT NULL,
        envelope      jsonb NOT NULL,
        data          jsonb NOT NULL,
        received_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX gateway_events_trajectory ON gateway_events (trajectory_id, seq)`);
    await q.query(`CREATE INDEX gateway_events_time ON gateway_events (time)`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        seq              bigserial PRIMARY KEY,
        id               uuid NOT NULL UNIQUE,
        channel_id       uuid NOT NULL REFERENCES partner_channels (id),
        organisation_id  text NOT NULL,
        event_id         uuid NOT NULL,
        event_type       text NOT NULL,
        trajectory_id    text NOT NULL,
        body             jsonb NOT NULL,
        categories       text[] NOT NULL,
        legal_basis      text NOT NULL,
        consent_refs     text[] NOT NULL DEFAULT '{}',
        replay_id        uuid,
        traceparent      text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        lease_owner      text,
        lease_expires_at timestamptz,
        delivered_at     timestamptz,
        dead_at          timestamptz,
        last_status      integer,
        last_error       text
      )`);
    await q.query(
      `CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (channel_id, seq)
        WHERE delivered_at IS NULL AND dead_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX webhook_deliveries_key ON webhook_deliveries (channel_id, trajectory_id, seq)
        WHERE delivered_at IS NULL AND dead_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE disclosure_audit (
        id              bigserial PRIMARY KEY,
        at              timestamptz NOT NULL DEFAULT clock_timestamp(),
        organisation_id text NOT NULL,
        channel_kind    text NOT NULL CHECK (channel_kind IN ('topic', 'webhook', 'pull', 'none')),
        channel_id      uuid,
        delivery_id     uuid,
        event_id        uuid,
        event_type      text,
        trajectory_id   text NOT NULL,
        outcome         text NOT NULL CHECK (outcome IN
                          ('queued', 'delivered', 'failed', 'dead-lettered', 'withheld', 'pulled')),
        attempt         integer,
        categories      text[] NOT NULL DEFAULT '{}',
        legal_basis     text,
        legal_bases     jsonb NOT NULL DEFAULT '{}',
        consent_refs    text[] NOT NULL DEFAULT '{}',
        replay_id       uuid,
        trace_id        text,
        detail          text
      )`);
    await q.query(`CREATE INDEX disclosure_audit_org ON disclosure_audit (organisation_id, at)`);
    await q.query(`CREATE INDEX disclosure_audit_event ON disclosure_audit (event_id)`);
    await q.query(
      `CREATE INDEX disclosure_audit_consent ON disclosure_audit USING gin (consent_refs)`,
    );
    await q.query(`
      CREATE FUNCTION disclosure_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'disclosure_audit is append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER disclosure_audit_append_only BEFORE UPDATE OR DELETE ON disclosure_audit
      FOR EACH ROW EXECUTE FUNCTION disclosure_audit_append_only()`);
    await q.query(`
      CREATE TRIGGER disclosure_audit_no_truncate BEFORE TRUNCATE ON disclosure_audit
      FOR EACH STATEMENT EXECUTE FUNCTION disclosure_audit_append_only()`);
    // Topic deliveries are outbox rows (aggregatetype 'partner'): the relay's own bookkeeping
    // (published, failed attempt, parked) is written to the audit as it happens.
    await q.query(`
      CREATE FUNCTION partner_outbox_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        outcome text;
        ext jsonb := COALESCE(NEW.headers -> 'extensions', '{}'::jsonb);
      BEGIN
        IF NEW.aggregatetype <> 'partner' THEN RETURN NEW; END IF;
        IF NEW.published_at IS NOT NULL AND OLD.published_at IS NULL THEN outcome := 'delivered';
        ELSIF NEW.parked_at IS NOT NULL AND OLD.parked_at IS NULL THEN outcome := 'dead-lettered';
        ELSIF NEW.attempts > OLD.attempts THEN outcome := 'failed';
        ELSE RETURN NEW; END IF;
        INSERT INTO disclosure_audit (organisation_id, channel_kind, delivery_id, event_id, event_type,
            trajectory_id, outcome, attempt, categories, legal_basis, consent_refs, replay_id,
            trace_id, detail)
        VALUES (split_part(NEW.aggregateid, ':', 1), 'topic', NEW.id, (NEW.headers ->> 'id')::uuid,
            NEW.type, NEW.headers ->> 'subject', outcome, NEW.attempts + CASE WHEN outcome = 'delivered' THEN 1 ELSE 0 END,
            string_to_array(NULLIF(ext ->> 'datacategories', ''), ','), ext ->> 'legalbasis',
            COALESCE(string_to_array(NULLIF(ext ->> 'consentrefs', ''), ','), '{}'),
            NULLIF(ext ->> 'replayid', '')::uuid, split_part(NEW.traceparent, '-', 2),
            CASE WHEN outcome = 'delivered' THEN NEW.topic ELSE NEW.last_error END);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER partner_outbox_audit AFTER UPDATE ON outbox
      FOR EACH ROW EXECUTE FUNCTION partner_outbox_audit()`);
    await q.query(`
      CREATE TABLE retractions (
        id              uuid PRIMARY KEY,
        organisation_id text NOT NULL,
        trajectory_id   text NOT NULL,
        consent_id      uuid NOT NULL,
        categories      text[] NOT NULL,
        withdrawn_at    timestamptz NOT NULL,
        issued_at       timestamptz NOT NULL,
        acknowledged_at timestamptz,
        UNIQUE (organisation_id, consent_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE retractions`);
    await q.query(`DROP TRIGGER partner_outbox_audit ON outbox`);
    await q.query(`DROP FUNCTION partner_outbox_audit()`);
    await q.query(`DROP TABLE disclosure_audit`);
    await q.query(`DROP FUNCTION disclosure_audit_append_only()`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE gateway_events`);
    await q.query(`DROP TABLE partner_subscriptions`);
    await q.query(`DROP TABLE webhook_secrets`);
    await q.query(`DROP TABLE partner_channels`);
    await q.query(`DROP TABLE partners`);
  }
}
