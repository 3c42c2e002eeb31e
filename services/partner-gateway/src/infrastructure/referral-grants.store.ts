import { Injectable } from '@nestjs/common';
import type { Referral } from '@ketenlink/disclosure';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { ReferralGrantStore } from '../application/ports/referral-grants.port';
import type { ReferralChange } from '../domain/referral-grants';

/** The referral grants in plain SQL (docs/adr/0014-persistence-style.md). */
@Injectable()
export class SqlReferralGrantStore extends ReferralGrantStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async apply(tx: SqlExecutor, change: ReferralChange): Promise<void> {
    if (change.kind === 'opened') {
      const r = change.referral;
      await tx.query(
        `INSERT INTO referral_grants
           (placement_id, trajectory_id, recipient_org, referrer_org, categories, legal_basis, valid_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (placement_id) DO NOTHING`,
        [
          r.placementId,
          change.trajectoryId,
          r.recipientOrganisationId,
          r.referrerOrganisationId,
          r.categories,
          r.legalBasis,
          r.validFrom,
        ],
      );
      return;
    }
    // The first end stays (a repeated event changes nothing).
    const column = change.kind === 'withdrawn' ? 'withdrawn_at' : 'refused_at';
    await tx.query(
      `UPDATE referral_grants SET ${column} = $2 WHERE placement_id = $1 AND ${column} IS NULL`,
      [change.placementId, change.at],
    );
  }

  async referralsOf(trajectoryId: string, tx?: SqlExecutor): Promise<Referral[]> {
    return (await (tx ?? this.ds).query(
      `SELECT placement_id::text AS "placementId", recipient_org AS "recipientOrganisationId",
              referrer_org AS "referrerOrganisationId", categories, legal_basis AS "legalBasis",
              valid_from AS "validFrom", withdrawn_at AS "withdrawnAt", refused_at AS "refusedAt"
         FROM referral_grants WHERE trajectory_id = $1 ORDER BY valid_from, placement_id`,
      [trajectoryId],
    )) as Referral[];
  }
}
