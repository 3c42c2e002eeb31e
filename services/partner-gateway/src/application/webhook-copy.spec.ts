import type { ConsentRecord } from '@ketenlink/consent';
import type { TrajectoryFacts } from '@ketenlink/disclosure';
import type { CloudEvent } from '@ketenlink/messaging';
import type { PartnerProfile } from '../domain/partner';
import { placementRequestData, placementRequestEvent } from '../test-support/placement';
import { deliveryKey, webhookCopyAt } from './webhook-copy';

const T = '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11';
const ZVH = 'zvh-rotterdam';
const FROM = new Date('2026-11-01T00:00:00Z');
const PLACEMENT = 'nl.ketenlink.placement.requested.v1';

const event: CloudEvent = placementRequestEvent('0f0e2d43-8a51-4c47-9a36-5f6d6f0e8a01', {
  ...placementRequestData(T, ZVH, 'fz-de-brug', '3c9f1e52-8d4a-4b7e-9f21-6a0d5c8b7e43'),
  medicationNotes: 'methadone 60 mg daily',
});

const partner: PartnerProfile = {
  organisationId: ZVH,
  audience: 'organisation',
  fullPayloads: true,
  subscriptions: new Set([PLACEMENT]),
  channels: [{ id: 'hook-1', kind: 'webhook', url: 'https://zvh.example/hook', eventTypes: [] }],
};
const consent = (id: string, categories: ConsentRecord['categories']): ConsentRecord => ({
  id,
  recipient: { kind: 'organisation', id: ZVH },
  categories,
  purpose: 'case meeting',
  legalBasis: 'covenant',
  validFrom: FROM,
});
const facts = (consents: ConsentRecord[]): TrajectoryFacts => ({
  trajectoryId: T,
  participations: [{ organisationId: ZVH, role: 'zvh', from: FROM }],
  consents,
});

describe('webhook copy decided at the attempt (ADR 0039)', () => {
  const withdrawnAt = new Date('2026-12-01T12:00:00Z');
  const consents = [
    { ...consent('c-title', ['title-and-conditions']), revokedAt: withdrawnAt },
    consent('c-risk', ['risk']),
  ];

  it('before the withdrawal both consents count; after it the copy lacks the category', () => {
    const before = webhookCopyAt(
      event,
      partner,
      'hook-1',
      facts(consents),
      new Date(withdrawnAt.getTime() - 1),
    );
    const after = webhookCopyAt(event, partner, 'hook-1', facts(consents), withdrawnAt);
    if (!before.send || !after.send) throw new Error('expected copies');
    expect(before.body.data).toMatchObject({
      titleKind: 'conditional-release',
      offenceCategory: 'arson',
    });
    expect(before.consentRefs).toEqual(['c-risk', 'c-title']);
    expect(after.body.data).not.toHaveProperty('titleKind');
    expect(after.body.data).toMatchObject({ offenceCategory: 'arson' });
    expect(after.categories).not.toContain('title-and-conditions');
    expect(after.consentRefs).toEqual(['c-risk']);
    // Never the medical field for a ZVH, on either side of the withdrawal.
    expect(before.body.data).not.toHaveProperty('medicationNotes');
    expect(after.body).toMatchObject({ id: event.id, consentref: 'c-risk', delivery: 'full' });
  });

  it('withheld when the partner stopped taking part, is gone, or the channel no longer carries the type', () => {
    const gone = { ...facts(consents), participations: [] };
    expect(webhookCopyAt(event, partner, 'hook-1', gone, withdrawnAt)).toEqual({
      send: false,
      reason: 'at send time: does not take part in the trajectory',
    });
    expect(webhookCopyAt(event, undefined, 'hook-1', facts(consents), withdrawnAt)).toMatchObject({
      send: false,
    });
    expect(
      webhookCopyAt(
        event,
        { ...partner, subscriptions: new Set() },
        'hook-1',
        facts(consents),
        withdrawnAt,
      ),
    ).toMatchObject({ send: false });
  });

  it('a replay copy carries its replay id; the delivery key is the event id, or id:replay id', () => {
    const copy = webhookCopyAt(event, partner, 'hook-1', facts(consents), withdrawnAt, 'r-1');
    expect(copy).toMatchObject({ send: true, body: { id: event.id, replayid: 'r-1' } });
    expect(deliveryKey(event.id)).toBe(event.id);
    expect(deliveryKey(event.id, null)).toBe(event.id);
    expect(deliveryKey(event.id, 'r-1')).toBe(`${event.id}:r-1`);
  });
});
