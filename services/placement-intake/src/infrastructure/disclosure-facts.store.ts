import { Inject, Injectable } from '@nestjs/common';
import { type Referral, referralGrantOf, type TrajectoryFacts } from '@ketenlink/disclosure';
import type { SqlExecutor } from '@ketenlink/messaging';
import { TRAJECTORY_FACTS, type TrajectoryFactsPort } from '@ketenlink/trajectory-facts';
import { DataSource } from 'typeorm';
import {
  DisclosureFactsPort,
  type PlacementRef,
  REFERRAL_CATEGORIES,
  type ReferralDisclosure,
} from '../application/ports/disclosure-facts.port';

/**
 * The referral disclosures in plain SQL, with the trajectory's facts from the shared projection
 * (@ketenlink/trajectory-facts): participations and consent records in their full history, and
 * the end of the legal duty.
 */
@Injectable()
export class SqlDisclosureFacts extends DisclosureFactsPort {
  constructor(
    private readonly ds: DataSource,
    @Inject(TRAJECTORY_FACTS) private readonly facts: TrajectoryFactsPort,
  ) {
    super();
  }

  async recordReferral(tx: SqlExecutor, r: ReferralDisclosure): Promise<void> {
    await tx.query(
      `INSERT INTO referral_disclosures
         (placement_id, trajectory_id, recipient_org, referrer_org, categories, legal_basis, valid_from)
       VALUES ($1, $2, $3, $4, $5, 'legal-duty', $6)`,
      [
        r.placementId,
        r.trajectoryId,
        r.recipientOrganisationId,
        r.referrerOrganisationId,
        REFERRAL_CATEGORIES,
        r.validFrom,
      ],
    );
  }

  async endReferral(
    tx: SqlExecutor,
    placementId: string,
    at: Date,
    reason: 'withdrawn',
  ): Promise<void> {
    await tx.query(
      `UPDATE referral_disclosures SET ended_at = $2, end_reason = $3
        WHERE placement_id = $1 AND ended_at IS NULL`,
      [placementId, at, reason],
    );
  }

  async factsOf(placements: readonly PlacementRef[]): Promise<Map<string, TrajectoryFacts>> {
    const trajectoryIds = [...new Set(placements.map((p) => p.trajectoryId))];
    if (trajectoryIds.length === 0) return new Map();
    const referrals = (await this.ds.query(
      `SELECT placement_id::text AS "placementId", trajectory_id::text AS "trajectoryId",
              recipient_org AS "recipientOrganisationId", referrer_org AS "referrerOrganisationId",
              categories, legal_basis AS "legalBasis", valid_from AS "validFrom",
              ended_at AS "withdrawnAt"
         FROM referral_disclosures WHERE placement_id = ANY($1::uuid[])`,
      [placements.map((p) => p.id)],
    )) as (Referral & { trajectoryId: string })[];
    const refusedAt = new Map(placements.map((p) => [p.id, p.refusedAt]));
    const out = new Map<string, TrajectoryFacts>();
    for (const id of trajectoryIds) {
      const known = await this.facts.factsOf(id);
      if (!known) continue;
      const grants = referrals
        .filter((r) => r.trajectoryId === id)
        .map((r) =>
          referralGrantOf({ ...r, refusedAt: refusedAt.get(r.placementId) }, known.participations),
        );
      out.set(id, { ...known, grants });
    }
    return out;
  }
}
