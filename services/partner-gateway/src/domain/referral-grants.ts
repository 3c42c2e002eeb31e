import type {
  PlacementRefusedV1,
  PlacementRequestedV1,
  PlacementWithdrawnV1,
} from '@ketenlink/contracts';
import { REFERRAL_CATEGORIES, type Referral } from '@ketenlink/disclosure';

export const PLACEMENT_REQUESTED = 'nl.ketenlink.placement.requested.v1';
export const PLACEMENT_WITHDRAWN = 'nl.ketenlink.placement.withdrawn.v1';
export const PLACEMENT_REFUSED = 'nl.ketenlink.placement.refused.v1';

/**
 * The placement events that open or end a referral grant (ADR 0042), as placement-intake records
 * and ends its referral disclosure: the request opens it, the withdrawal and the refusal end it.
 */
export const REFERRAL_EVENT_TYPES: readonly string[] = [
  PLACEMENT_REQUESTED,
  PLACEMENT_WITHDRAWN,
  PLACEMENT_REFUSED,
];

/** What one placement event changes in the gateway's referral grants. */
export type ReferralChange =
  | { readonly kind: 'opened'; readonly trajectoryId: string; readonly referral: Referral }
  | { readonly kind: 'withdrawn' | 'refused'; readonly placementId: string; readonly at: Date };

/**
 * The referral change of a placement event (pure): `placement.requested` opens a grant for the
 * addressed provider (providerOrganisationId) with the referral categories on legal duty from
 * the request's time, as placement-intake's `recordReferral`; `placement.withdrawn` ends it at
 * the withdrawal (placement-intake's `endReferral`); `placement.refused` at the refusal. Any
 * other type changes nothing.
 */
export function referralChangeOf(type: string, data: unknown): ReferralChange | undefined {
  switch (type) {
    case PLACEMENT_REQUESTED: {
      const d = data as PlacementRequestedV1;
      return {
        kind: 'opened',
        trajectoryId: d.trajectoryId,
        referral: {
          placementId: d.placementId,
          recipientOrganisationId: d.providerOrganisationId,
          referrerOrganisationId: d.referrerOrganisationId,
          categories: REFERRAL_CATEGORIES,
          legalBasis: 'legal-duty',
          validFrom: new Date(d.requestedAt),
        },
      };
    }
    case PLACEMENT_WITHDRAWN: {
      const d = data as PlacementWithdrawnV1;
      return { kind: 'withdrawn', placementId: d.placementId, at: new Date(d.withdrawnAt) };
    }
    case PLACEMENT_REFUSED: {
      const d = data as PlacementRefusedV1;
      return { kind: 'refused', placementId: d.placementId, at: new Date(d.refusedAt) };
    }
    default:
      return undefined;
  }
}
