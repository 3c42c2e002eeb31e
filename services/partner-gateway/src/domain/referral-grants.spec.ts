import { REFERRAL_CATEGORIES, referralGrantOf, type TrajectoryFacts } from '@ketenlink/disclosure';
import { factsForEvent } from './fan-out';
import {
  PLACEMENT_REFUSED,
  PLACEMENT_REQUESTED,
  PLACEMENT_WITHDRAWN,
  referralChangeOf,
} from './referral-grants';

const T = '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11';
const P1 = '3c9f1e52-8d4a-4b7e-9f21-6a0d5c8b7e43';
const P2 = '9d1a7e0b-2c4f-4e8a-8b3d-1f6e5a4c3b21';

describe('referral grants projected from the placement events (ADR 0042)', () => {
  it('placement.requested opens a grant for the addressed provider, on legal duty', () => {
    expect(
      referralChangeOf(PLACEMENT_REQUESTED, {
        trajectoryId: T,
        placementId: P1,
        providerOrganisationId: 'fz-de-brug',
        referrerOrganisationId: 'zvh-rotterdam',
        requestedAt: '2026-11-20T10:00:00Z',
      }),
    ).toEqual({
      kind: 'opened',
      trajectoryId: T,
      referral: {
        placementId: P1,
        recipientOrganisationId: 'fz-de-brug',
        referrerOrganisationId: 'zvh-rotterdam',
        categories: REFERRAL_CATEGORIES,
        legalBasis: 'legal-duty',
        validFrom: new Date('2026-11-20T10:00:00Z'),
      },
    });
  });

  it('placement.withdrawn and placement.refused end it at their instant; others change nothing', () => {
    const at = '2026-11-22T08:00:00Z';
    expect(referralChangeOf(PLACEMENT_WITHDRAWN, { placementId: P1, withdrawnAt: at })).toEqual({
      kind: 'withdrawn',
      placementId: P1,
      at: new Date(at),
    });
    expect(referralChangeOf(PLACEMENT_REFUSED, { placementId: P1, refusedAt: at })).toEqual({
      kind: 'refused',
      placementId: P1,
      at: new Date(at),
    });
    expect(
      referralChangeOf('nl.ketenlink.placement.accepted.v1', { placementId: P1 }),
    ).toBeUndefined();
  });
});

describe('factsForEvent: an event about a placement relies on its own referral only', () => {
  const grant = (id: string, org: string) =>
    referralGrantOf(
      {
        placementId: id,
        recipientOrganisationId: org,
        referrerOrganisationId: 'zvh',
        categories: REFERRAL_CATEGORIES,
        legalBasis: 'legal-duty',
        validFrom: new Date('2026-11-20T10:00:00Z'),
      },
      [],
    );
  const other = { ...grant('h-1', 'clinic'), purpose: 'handover' };
  const facts: TrajectoryFacts = {
    trajectoryId: T,
    participations: [],
    consents: [],
    grants: [grant(P1, 'provider-1'), grant(P2, 'provider-2'), other],
  };
  const event = (data: unknown) => ({ id: 'e', type: PLACEMENT_REQUESTED, subject: T, data });

  it("drops the other placements' referral grants, keeps the rest", () => {
    expect(factsForEvent(event({ placementId: P1 }), facts).grants?.map((g) => g.id)).toEqual([
      P1,
      'h-1',
    ]);
  });

  it('keeps every grant for an event that names no placement', () => {
    expect(factsForEvent(event({ planId: 'x' }), facts)).toBe(facts);
    expect(factsForEvent(event(null), facts)).toBe(facts);
  });
});
