import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agreements service's tables (docs/agreements.md):
 * - agreements: one row per agreement, `revision` is the optimistic lock (UPDATE … WHERE
 *   revision = the one read; 0 rows → 409). At most one open agreement per trajectory.
 * - agreement_versions: every version with its terms and signatures, kept for good.
 * - notifications / violations / incidents: the record as jsonb plus the columns the queries and
 *   the overdue sweep need (due times, the once-only `*_reported_at` flags).
 * The access log (every read through the disclosure gate, append-only) is libs/access-log's
 * `AccessLog1764600000000`, listed in the migrations index.
 */
export class Agreements1764600000100 implements MigrationInterface {
  name = 'Agreements1764600000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agreements (
        id               uuid PRIMARY KEY,
        trajectory_id    uuid NOT NULL,
        basis            text NOT NULL CHECK (basis IN ('signed-agreement', 'recorded-talk')),
        parties          jsonb NOT NULL,
        in_force         integer,
        termination      jsonb,
        revision         integer NOT NULL CHECK (revision >= 1),
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX agreements_trajectory ON agreements (trajectory_id)`);
    await q.query(
      `CREATE UNIQUE INDEX agreements_one_open_per_trajectory ON agreements (trajectory_id) WHERE termination IS NULL`,
    );
    await q.query(`
      CREATE TABLE agreement_versions (
        agreement_id     uuid NOT NULL REFERENCES agreements (id),
        version          integer NOT NULL CHECK (version >= 1),
        terms            jsonb NOT NULL,
        created_at       timestamptz NOT NULL,
        created_by       jsonb NOT NULL,
        reason           text,
        held_on          date,
        signatures       jsonb NOT NULL DEFAULT '[]',
        activated_at     timestamptz,
        PRIMARY KEY (agreement_id, version)
      )`);
    await q.query(`
      CREATE TABLE notifications (
        id                      uuid PRIMARY KEY,
        trajectory_id           uuid NOT NULL,
        agreement_id            uuid NOT NULL REFERENCES agreements (id),
        urgency                 text NOT NULL,
        acknowledgement_due_at  timestamptz,
        acknowledged_at         timestamptz,
        overdue_reported_at     timestamptz,
        raised_at               timestamptz NOT NULL,
        record                  jsonb NOT NULL
      )`);
    await q.query(
      `CREATE INDEX notifications_trajectory ON notifications (trajectory_id, raised_at)`,
    );
    await q.query(`
      CREATE INDEX notifications_possibly_overdue ON notifications (acknowledgement_due_at)
        WHERE urgency = 'urgent' AND acknowledged_at IS NULL AND overdue_reported_at IS NULL`);
    await q.query(`
      CREATE TABLE violations (
        id                uuid PRIMARY KEY,
        trajectory_id     uuid NOT NULL,
        agreement_id      uuid NOT NULL REFERENCES agreements (id),
        recorded_at       timestamptz NOT NULL,
        record            jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX violations_trajectory ON violations (trajectory_id, recorded_at)`);
    await q.query(`
      CREATE TABLE incidents (
        id                      uuid PRIMARY KEY,
        trajectory_id           uuid NOT NULL,
        reportable              boolean NOT NULL,
        inspectorate_deadline   timestamptz,
        reported_at             timestamptz,
        overdue_reported_at     timestamptz,
        recorded_at             timestamptz NOT NULL,
        record                  jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX incidents_trajectory ON incidents (trajectory_id, recorded_at)`);
    await q.query(`
      CREATE INDEX incidents_possibly_overdue ON incidents (inspectorate_deadline)
        WHERE reportable AND reported_at IS NULL AND overdue_reported_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE incidents`);
    await q.query(`DROP TABLE violations`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE agreement_versions`);
    await q.query(`DROP TABLE agreements`);
  }
}
