import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trajectory's facts as a service keeps them in its own database (@ketenlink/trajectory-facts,
 * ADR 0021), projected from the trajectory topic. Every row is keyed by an id from the events
 * (organisation, trajectory, joined/left event, consent, title), so a repeated delivery changes
 * nothing; events that may arrive out of order carry the CloudEvents `time` they were emitted
 * at, and a later one wins (an earlier one arriving late changes nothing).
 */
export class TrajectoryFacts1764500000000 implements MigrationInterface {
  name = 'TrajectoryFacts1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE facts_organisations (
        organisation_id text PRIMARY KEY,
        kind            text NOT NULL,
        identifiers     jsonb NOT NULL DEFAULT '{}',
        active_from     date NOT NULL,
        active_until    date,
        source_event_id uuid NOT NULL,
        source_time     timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE facts_trajectories (
        trajectory_id   uuid PRIMARY KEY,
        opened_at       timestamptz,
        opened_by_org   text,
        opened_by_role  text,
        region          text,
        case_lead_org   text,
        case_lead_at    timestamptz,
        opened_event_id uuid
      )`);
    await q.query(`
      CREATE TABLE facts_participations (
        joined_event_id uuid PRIMARY KEY,
        joined_time     timestamptz NOT NULL,
        trajectory_id   uuid NOT NULL,
        organisation_id text NOT NULL,
        role            text NOT NULL,
        valid_from      date NOT NULL,
        valid_until     date
      )`);
    await q.query(
      `CREATE INDEX facts_participations_trajectory ON facts_participations (trajectory_id, organisation_id)`,
    );
    // A left event ends the joined rows of that organisation and role emitted before it (read
    // time), so it may arrive before or after them.
    await q.query(`
      CREATE TABLE facts_participation_ends (
        left_event_id   uuid PRIMARY KEY,
        left_time       timestamptz NOT NULL,
        trajectory_id   uuid NOT NULL,
        organisation_id text NOT NULL,
        role            text NOT NULL,
        at              timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX facts_participation_ends_trajectory ON facts_participation_ends (trajectory_id, organisation_id)`,
    );
    // A withdrawal may come before its grant: the row then waits (granted_event_id NULL) and is
    // not a record until the grant arrives.
    await q.query(`
      CREATE TABLE facts_consents (
        consent_id       uuid PRIMARY KEY,
        trajectory_id    uuid NOT NULL,
        recipient_kind   text,
        recipient_id     text,
        categories       text[],
        purpose          text,
        legal_basis      text,
        valid_from       timestamptz,
        valid_until      timestamptz,
        revoked_at       timestamptz,
        granted_event_id uuid
      )`);
    await q.query(`CREATE INDEX facts_consents_trajectory ON facts_consents (trajectory_id)`);
    // Registered, changed and ended each fill their own columns; a change applies only if it is
    // later than the last applied (changed_time).
    await q.query(`
      CREATE TABLE facts_titles (
        title_id            uuid PRIMARY KEY,
        trajectory_id       uuid NOT NULL,
        kind                text,
        start_date          date,
        expected_end_date   date,
        conditions          jsonb,
        ended_on            date,
        end_reason          text,
        registered_event_id uuid,
        changed_time        timestamptz
      )`);
    await q.query(`CREATE INDEX facts_titles_trajectory ON facts_titles (trajectory_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'facts_titles',
      'facts_consents',
      'facts_participation_ends',
      'facts_participations',
      'facts_trajectories',
      'facts_organisations',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}

/** Append after the service's OutboxInbox… migrations in its migrations index. */
export const TRAJECTORY_FACTS_MIGRATIONS = [TrajectoryFacts1764500000000];
