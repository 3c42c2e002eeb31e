import { Inject, Injectable } from '@nestjs/common';
import type { DataCategory } from '@ketenlink/contracts';
import type { Participation } from '@ketenlink/consent';
import type { DisclosureGrant, TrajectoryFacts } from '@ketenlink/disclosure';
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
      `SELECT placement_id::text AS placement_id, trajectory_id::text AS trajectory_id,
              recipient_org, referrer_org, categories, legal_basis, valid_from, ended_at
         FROM referral_disclosures WHERE placement_id = ANY($1::uuid[])`,
      [placements.map((p) => p.id)],
    )) as ReferralRow[];
    const refusedAt = new Map(placements.map((p) => [p.id, p.refusedAt]));
    const out = new Map<string, TrajectoryFacts>();
    for (const id of trajectoryIds) {
      const known = await this.facts.factsOf(id);
      if (!known) continue;
      const grants = referrals
        .filter((g) => g.trajectory_id === id)
        .map((g) => grantOf(g, known.participations, refusedAt.get(g.placement_id)));
      out.set(id, { ...known, grants });
    }
    return out;
  }
}

interface ReferralRow {
  placement_id: string;
  trajectory_id: string;
  recipient_org: string;
  referrer_org: string;
  categories: DataCategory[];
  legal_basis: 'legal-duty' | 'consent';
  valid_from: Date;
  ended_at: Date | null;
}

/**
 * The grant ends at the first of: withdrawal, refusal, the end of a participation of the
 * referrer or the provider (leaving, or its last day) after the referral began.
 */
function grantOf(
  g: ReferralRow,
  participations: readonly Participation[],
  refusedAt?: Date,
): DisclosureGrant {
  const ends = [g.ended_at, refusedAt ?? null];
  for (const p of participations) {
    const party = p.organisationId === g.referrer_org || p.organisationId === g.recipient_org;
    if (party && p.until && p.until > g.valid_from) ends.push(p.until);
  }
  const until = ends
    .filter((d): d is Date => d instanceof Date)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    id: g.placement_id,
    recipientOrganisationId: g.recipient_org,
    categories: g.categories,
    purpose: 'referral',
    legalBasis: g.legal_basis,
    validFrom: g.valid_from,
    ...(until ? { validUntil: until } : {}),
  };
}
