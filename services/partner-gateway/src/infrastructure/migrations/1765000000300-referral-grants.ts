import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The referral grants the gateway projects from the placement events (ADR 0042): a
 * `placement.requested` opens one for the addressed provider with the referral's categories on
 * legal duty, `placement.withdrawn` (withdrawn_at) and `placement.refused` (refused_at) end it;
 * the end by a participation of the referrer or the provider is computed from the trajectory
 * facts when read (libs/disclosure `referralGrantOf`, the rule placement-intake decides with).
 */
export class ReferralGrants1765000000300 implements MigrationInterface {
  name = 'ReferralGrants1765000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral_grants (
        placement_id   uuid PRIMARY KEY,
        trajectory_id  uuid NOT NULL,
        recipient_org  text NOT NULL,
        referrer_org   text NOT NULL,
        categories     text[] NOT NULL,
        legal_basis    text NOT NULL CHECK (legal_basis IN ('legal-duty', 'consent')),
        valid_from     timestamptz NOT NULL,
        withdrawn_at   timestamptz,
        refused_at     timestamptz
      )`);
    await q.query(`CREATE INDEX referral_grants_trajectory ON referral_grants (trajectory_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE referral_grants`);
  }
}
