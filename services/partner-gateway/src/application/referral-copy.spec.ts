import { referralGrantOf, type TrajectoryFacts } from '@ketenlink/disclosure';
import type { CloudEvent } from '@ketenlink/messaging';
import type { PartnerProfile } from '../domain/partner';
import { type ReferralChange, referralChangeOf } from '../domain/referral-grants';
import { placementRequestData, placementRequestEvent } from '../test-support/placement';
import { webhookCopyAt } from './webhook-copy';

const T = '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11';
const ZVH = 'zvh-rotterdam';
const PROVIDER = 'fz-de-brug';
const PLACEMENT_ID = '3c9f1e52-8d4a-4b7e-9f21-6a0d5c8b7e43';
const PLACEMENT = 'nl.ketenlink.placement.requested.v1';
const WITHDRAWN = 'nl.ketenlink.placement.withdrawn.v1';
const FROM = new Date('2026-11-01T00:00:00Z');
const AT = new Date('2026-11-21T09:00:00Z');

const placementEvent = (placementId: string, provider = PROVIDER): CloudEvent =>
  placementRequestEvent(`e-${placementId}`, {
    ...placementRequestData(T, ZVH, provider, placementId),
    medicationNotes: 'methadone 60 mg daily',
  });

const partner = (org: string): PartnerProfile => ({
  organisationId: org,
  audience: 'organisation',
  fullPayloads: true,
  subscriptions: new Set([PLACEMENT]),
  channels: [{ id: `${org}-hook`, kind: 'webhook', url: 'https://x.example/hook', eventTypes: [] }],
});

/** The facts as the gateway's adapter builds them: the referral projected from the event. */
function factsWith(...changes: ReferralChange[]): TrajectoryFacts {
  const participations = [{ organisationId: ZVH, role: 'zvh' as const, from: FROM }];
  const opened = changes.find((c) => c.kind === 'opened');
  const ended = (kind: 'withdrawn' | 'refused') =>
    changes.find((c): c is Extract<ReferralChange, { kind: typeof kind }> => c.kind === kind)?.at;
  return {
    trajectoryId: T,
    participations,
    consents: [],
    grants: opened
      ? [
          referralGrantOf(
            { ...opened.referral, withdrawnAt: ended('withdrawn'), refusedAt: ended('refused') },
            participations,
          ),
        ]
      : [],
  };
}

const copyFor = (org: string, e: CloudEvent, facts: TrajectoryFacts, at = AT) =>
  webhookCopyAt(e, partner(org), `${org}-hook`, facts, at);

describe('the referral grant through the gate (ADR 0042, real contracts)', () => {
  const request = placementEvent(PLACEMENT_ID);
  const opened = referralChangeOf(PLACEMENT, request.data)!;

  it('the addressed provider, not taking part, gets the request on legal duty naming the referral', () => {
    const copy = copyFor(PROVIDER, request, factsWith(opened));
    expect(copy.send).toBe(true);
    if (!copy.send) return;
    expect(copy.body.data).toMatchObject({ medicationNotes: 'methadone 60 mg daily' });
    expect(copy.categories).toEqual(expect.arrayContaining(['medical', 'risk', 'plan-and-goals']));
    expect(copy.legalBasis).toBe('legal-duty');
    expect(copy.consentRefs).toEqual([PLACEMENT_ID]);
    expect(copy.legalBases.medical).toBe(`legal-duty (disclosure-record:referral ${PLACEMENT_ID})`);
  });

  it('without the grant, another provider, after the refusal or for another placement: nothing', () => {
    expect(copyFor(PROVIDER, request, factsWith()).send).toBe(false);
    expect(copyFor('fz-other', request, factsWith(opened)).send).toBe(false);
    const refused = referralChangeOf('nl.ketenlink.placement.refused.v1', {
      placementId: PLACEMENT_ID,
      refusedAt: '2026-11-21T08:00:00Z',
    })!;
    expect(copyFor(PROVIDER, request, factsWith(opened, refused)).send).toBe(false);
    // Addressed by this referral, it does not learn of another placement of the trajectory.
    const another = placementEvent('9d1a7e0b-2c4f-4e8a-8b3d-1f6e5a4c3b21', 'fz-other');
    expect(copyFor(PROVIDER, another, factsWith(opened)).send).toBe(false);
  });

  it('the withdrawal itself reaches the addressed provider (on the grant as it stood), nothing after it', () => {
    const withdrawnAt = '2026-11-21T08:00:00Z';
    const withdrawal = {
      ...request,
      id: `w-${PLACEMENT_ID}`,
      type: WITHDRAWN,
      data: {
        trajectoryId: T,
        placementId: PLACEMENT_ID,
        providerOrganisationId: PROVIDER,
        withdrawnAt,
      },
    };
    const ended = factsWith(opened, referralChangeOf(WITHDRAWN, withdrawal.data)!);
    const sub = (org: string): PartnerProfile => ({
      ...partner(org),
      subscriptions: new Set([PLACEMENT, WITHDRAWN]),
    });
    const notice = webhookCopyAt(withdrawal, sub(PROVIDER), `${PROVIDER}-hook`, ended, AT);
    expect(notice.send).toBe(true);
    if (!notice.send) return;
    expect(notice.body.data).toMatchObject({ placementId: PLACEMENT_ID, withdrawnAt });
    expect(notice.legalBasis).toBe('legal-duty');
    // Not to a provider not addressed; and the request, decided after the withdrawal: nothing.
    expect(webhookCopyAt(withdrawal, sub('fz-other'), 'fz-other-hook', ended, AT).send).toBe(false);
    expect(copyFor(PROVIDER, request, ended).send).toBe(false);
  });
});
