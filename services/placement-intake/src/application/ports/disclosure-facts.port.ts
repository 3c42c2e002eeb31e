import type { TrajectoryFacts } from '@ketenlink/disclosure';
import type { SqlExecutor } from '@ketenlink/messaging';

/** What a referral discloses to the addressed provider (libs/disclosure, shared with the gateway). */
export { REFERRAL_CATEGORIES } from '@ketenlink/disclosure';

export interface ReferralDisclosure {
  readonly placementId: string;
  readonly trajectoryId: string;
  readonly recipientOrganisationId: string;
  readonly referrerOrganisationId: string;
  readonly validFrom: Date;
}

/** A placement as the facts need it: its trajectory, and when a refusal ended its referral. */
export interface PlacementRef {
  readonly id: string;
  readonly trajectoryId: string;
  readonly refusedAt?: Date | undefined;
}

/**
 * The disclosure gate's inputs in placement-intake: the trajectory's facts (projected by
 * @ketenlink/trajectory-facts: participations, consent records, end of the legal duty) with the
 * referral disclosures of the placements, each ended by a withdrawal (ended_at), a refusal, or
 * the referrer or provider leaving the trajectory. Plain SQL in
 * infrastructure/disclosure-facts.store.ts (docs/adr/0014-persistence-style.md).
 */
export abstract class DisclosureFactsPort {
  /** Records the referral's disclosure in the request's own transaction. */
  abstract recordReferral(tx: SqlExecutor, r: ReferralDisclosure): Promise<void>;

  /** Ends the referral's disclosure (withdrawal) in the command's transaction; once. */
  abstract endReferral(
    tx: SqlExecutor,
    placementId: string,
    at: Date,
    reason: 'withdrawn',
  ): Promise<void>;

  /** The facts of each known trajectory of these placements (unknown ones are absent). */
  abstract factsOf(placements: readonly PlacementRef[]): Promise<Map<string, TrajectoryFacts>>;
}
