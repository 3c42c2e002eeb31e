import type { DataCategory } from '@ketenlink/contracts';
import type { Participation } from '@ketenlink/consent';
import type { DisclosureGrant } from './entitlement';

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

/**
 * A referral as recorded where the placement request is known (placement-intake's own table, the
 * gateway's projection of the placement events): the addressed provider, the referrer, from when,
 * and the explicit ends known so far.
 */
export interface Referral {
  /** The placement id; the grant's id (the ce_consentref of what it disclosed). */
  readonly placementId: string;
  readonly recipientOrganisationId: string;
  readonly referrerOrganisationId: string;
  readonly categories: readonly DataCategory[];
  readonly legalBasis: 'legal-duty' | 'consent';
  readonly validFrom: Date;
  /** When the referrer withdrew the request. */
  readonly withdrawnAt?: Date | null | undefined;
  /** When the provider refused (declined) the request. */
  readonly refusedAt?: Date | null | undefined;
}

/**
 * The referral's disclosure grant (ADR 0020, ADR 0042). It ends at the first of: withdrawal,
 * refusal, the end of a participation of the referrer or the provider (leaving, or its last
 * day) after the referral began. Pure: the one rule placement-intake and the partner gateway
 * decide with.
 */
export function referralGrantOf(
  r: Referral,
  participations: readonly Participation[],
): DisclosureGrant {
  const ends = [r.withdrawnAt, r.refusedAt];
  for (const p of participations) {
    const party =
      p.organisationId === r.referrerOrganisationId ||
      p.organisationId === r.recipientOrganisationId;
    if (party && p.until && p.until > r.validFrom) ends.push(p.until);
  }
  const until = ends
    .filter((d): d is Date => d instanceof Date)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    id: r.placementId,
    recipientOrganisationId: r.recipientOrganisationId,
    categories: r.categories,
    purpose: 'referral',
    legalBasis: r.legalBasis,
    validFrom: r.validFrom,
    ...(until ? { validUntil: until } : {}),
  };
}
