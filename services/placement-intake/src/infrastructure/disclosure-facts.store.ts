import { Injectable } from '@nestjs/common';
import type { DataCategory } from '@ketenlink/contracts';
import type { ParticipantRole, Participation } from '@ketenlink/consent';
import type { DisclosureGrant, TrajectoryFacts } from '@ketenlink/disclosure';
import { DataSource, type EntityManager } from 'typeorm';

/** What a referral discloses to the addressed provider: the file's categories (ADR 0020). */
export const REFERRAL_CATEGORIES: readonly DataCategory[] = [
  'title-and-conditions',
  'risk',
  'plan-and-goals',
  // The intake appointment and first contact the provider arranges under the referral.
  'contact-and-logistics',
  // The intake's crucial information (R-INTAKE-24H), recorded by the provider under the referral.
  'medical',
  'participation',
  'metadata',
];

export interface ReferralDisclosure {
  readonly placementId: string;
  readonly trajectoryId: string;
  readonly recipientOrganisationId: string;
  readonly referrerOrganisationId: string;
  readonly validFrom: Date;
}

/**
 * The gate's inputs in placement-intake: the projected participations (as libs/consent
 * participations, Amsterdam calendar days to instants) and the referral disclosures, each ended
 * by a withdrawal (ended_at), a refusal, or the referrer or provider leaving the trajectory.
 */
@Injectable()
export class DisclosureFactsStore {
  constructor(private readonly ds: DataSource) {}

  /** Records the referral's disclosure in the request's own transaction. */
  async recordReferral(tx: EntityManager, r: ReferralDisclosure): Promise<void> {
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

  /**
   * The facts of each trajectory, with the referral grants of the given placements (a refusal
   * instant per placement ends its grant). Unknown trajectories are absent from the map.
   */
  async factsOf(
    placements: readonly { id: string; trajectoryId: string; refusedAt?: Date }[],
  ): Promise<Map<string, TrajectoryFacts>> {
    const trajectoryIds = [...new Set(placements.map((p) => p.trajectoryId))];
    if (trajectoryIds.length === 0) return new Map();
    const [known, participants, referrals] = await Promise.all([
      this.ds.query(
        `SELECT trajectory_id::text AS id FROM known_trajectories WHERE trajectory_id = ANY($1::uuid[])`,
        [trajectoryIds],
      ) as Promise<{ id: string }[]>,
      this.ds.query(
        `SELECT trajectory_id::text AS trajectory_id, organisation_id, role,
                (valid_from::timestamp AT TIME ZONE 'Europe/Amsterdam') AS from_at,
                LEAST(((valid_until + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'), left_at) AS until_at,
                left_at
           FROM trajectory_participants WHERE trajectory_id = ANY($1::uuid[])`,
        [trajectoryIds],
      ) as Promise<ParticipantRow[]>,
      this.ds.query(
        `SELECT placement_id::text AS placement_id, trajectory_id::text AS trajectory_id,
                recipient_org, referrer_org, categories, legal_basis, valid_from, ended_at
           FROM referral_disclosures WHERE placement_id = ANY($1::uuid[])`,
        [placements.map((p) => p.id)],
      ) as Promise<ReferralRow[]>,
    ]);
    const refusedAt = new Map(placements.map((p) => [p.id, p.refusedAt]));
    const out = new Map<string, TrajectoryFacts>();
    for (const { id } of known) {
      const rows = participants.filter((r) => r.trajectory_id === id);
      const participations: Participation[] = rows.map((r) => ({
        organisationId: r.organisation_id,
        role: r.role as ParticipantRole,
        from: r.from_at,
        ...(r.until_at ? { until: r.until_at } : {}),
      }));
      const grants = referrals
        .filter((g) => g.trajectory_id === id)
        .map((g) => grantOf(g, rows, refusedAt.get(g.placement_id)));
      out.set(id, { trajectoryId: id, participations, consents: [], grants });
    }
    return out;
  }
}

interface ParticipantRow {
  trajectory_id: string;
  organisation_id: string;
  role: string;
  from_at: Date;
  until_at: Date | null;
  left_at: Date | null;
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

/** The grant ends at the first of: withdrawal, refusal, the referrer or provider leaving. */
function grantOf(g: ReferralRow, rows: ParticipantRow[], refusedAt?: Date): DisclosureGrant {
  const ends = [g.ended_at, refusedAt ?? null];
  for (const r of rows) {
    const party = r.organisation_id === g.referrer_org || r.organisation_id === g.recipient_org;
    if (party && r.left_at && r.left_at > g.valid_from) ends.push(r.left_at);
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
