import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Participants, legal titles, consent records, the identity vault, the access log and the
 * timeline read model (issue 3).
 */
export class TrajectoryState1763900000300 implements MigrationInterface {
  name = 'TrajectoryState1763900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE participations (
        id               uuid PRIMARY KEY,
        trajectory_id    uuid NOT NULL REFERENCES trajectories (id),
        organisation_id  text NOT NULL,
        role             text NOT NULL
          CHECK (role IN ('provider', 'probation', 'zvh', 'referrer', 'receiving-provider')),
        valid_from       timestamptz NOT NULL,
        valid_until      timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_until IS NULL OR valid_until >= valid_from)
      )`);
    await q.query(`CREATE INDEX participations_trajectory ON participations (trajectory_id)`);
    await q.query(`CREATE INDEX participations_organisation ON participations (organisation_id)`);

    await q.query(`
      CREATE TABLE legal_titles (
        id                 uuid PRIMARY KEY,
        trajectory_id      uuid NOT NULL REFERENCES trajectories (id),
        kind               text NOT NULL,
        start_date         date NOT NULL,
        expected_end_date  date NOT NULL,
        actual_end_date    date,
        end_reason         text,
        conditions         jsonb NOT NULL DEFAULT '[]',
        CHECK (expected_end_date > start_date),
        CHECK (actual_end_date IS NULL OR actual_end_date >= start_date)
      )`);
    await q.query(`CREATE INDEX legal_titles_trajectory ON legal_titles (trajectory_id)`);

    await q.query(`
      CREATE TABLE consent_records (
        id                   uuid PRIMARY KEY,
        trajectory_id        uuid NOT NULL REFERENCES trajectories (id),
        recipient_kind       text NOT NULL CHECK (recipient_kind IN ('organisation', 'class')),
        recipient_id         text NOT NULL,
        categories           text[] NOT NULL CHECK (cardinality(categories) > 0),
        purpose              text NOT NULL,
        legal_basis          text NOT NULL CHECK (legal_basis IN ('consent', 'legal-duty', 'covenant')),
        valid_from           timestamptz NOT NULL,
        valid_until          timestamptz,
        revoked_at           timestamptz,
        on_word_of           text NOT NULL,
        recorded_at          timestamptz NOT NULL,
        recorded_by_subject  text NOT NULL,
        recorded_by_org      text NOT NULL,
        CHECK (valid_until IS NULL OR valid_until > valid_from)
      )`);
    await q.query(`CREATE INDEX consent_records_trajectory ON consent_records (trajectory_id)`);

    // The vault: AES-256-GCM per row, the trajectory id as additional data (a ciphertext
    // moved to another row does not decrypt), the key id for rotation.
    await q.query(`
      CREATE TABLE client_identities (
        trajectory_id        uuid PRIMARY KEY REFERENCES trajectories (id),
        key_id               text NOT NULL,
        iv                   bytea NOT NULL,
        ciphertext           bytea NOT NULL,
        auth_tag             bytea NOT NULL,
        recorded_at          timestamptz NOT NULL,
        recorded_by_subject  text NOT NULL,
        recorded_by_org      text NOT NULL
      )`);

    // Append-only: rows can be inserted, never changed or deleted.
    await q.query(`
      CREATE TABLE access_log (
        id               bigserial PRIMARY KEY,
        at               timestamptz NOT NULL DEFAULT clock_timestamp(),
        subject          text NOT NULL,
        organisation_id  text NOT NULL,
        roles            text[] NOT NULL,
        trajectory_id    uuid,
        resource         text NOT NULL,
        outcome          text NOT NULL CHECK (outcome IN ('disclosed', 'denied')),
        categories       text[] NOT NULL DEFAULT '{}',
        legal_bases      jsonb NOT NULL DEFAULT '{}',
        reason           text,
        trace_id         text
      )`);
    await q.query(`CREATE INDEX access_log_trajectory ON access_log (trajectory_id, at)`);
    await q.query(`CREATE INDEX access_log_organisation ON access_log (organisation_id, at)`);
    await q.query(`
      CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_log is append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
      FOR EACH ROW EXECUTE FUNCTION access_log_append_only()`);

    // Timeline read model: every domain event of a trajectory, from every service's topic.
    await q.query(`
      CREATE TABLE timeline_entries (
        event_id         text PRIMARY KEY,
        seq              bigserial NOT NULL,
        trajectory_id    text NOT NULL,
        type             text NOT NULL,
        source           text NOT NULL,
        event_time       timestamptz NOT NULL,
        data             jsonb NOT NULL,
        topic            text NOT NULL,
        kafka_partition  integer NOT NULL,
        kafka_offset     bigint NOT NULL,
        projected_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX timeline_entries_trajectory ON timeline_entries (trajectory_id, event_time, seq)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE timeline_entries`);
    await q.query(`DROP TABLE access_log`);
    await q.query(`DROP FUNCTION access_log_append_only()`);
    await q.query(`DROP TABLE client_identities`);
    await q.query(`DROP TABLE consent_records`);
    await q.query(`DROP TABLE legal_titles`);
    await q.query(`DROP TABLE participations`);
  }
}
