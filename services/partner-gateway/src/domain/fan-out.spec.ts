import type { ConsentRecord, Participation } from '@ketenlink/consent';
import type { TrajectoryFacts } from '@ketenlink/disclosure';
import { fanOut, type SourceEvent } from './fan-out';
import { FULL_NOTICE, NOTICE_TYPE, REPORT_TYPE, TEST_CONTRACTS } from './fan-out.fixtures';
import type { PartnerProfile } from './partner';
import { categoriesToPurge } from './retraction';

const T = FULL_NOTICE.trajectoryId;
const AT = new Date('2026-12-01T12:00:00Z');
const FROM = new Date('2026-11-01T00:00:00Z');

const partner = (org: string, over: Partial<PartnerProfile> = {}): PartnerProfile => ({
  organisationId: org,
  audience: 'organisation',
  fullPayloads: true,
  subscriptions: new Set([REPORT_TYPE]),
  channels: [{ id: `${org}-topic`, kind: 'topic', eventTypes: [] }],
  ...over,
});
const takesPart = (org: string, role: Participation['role']): Participation => ({
  organisationId: org,
  role,
  from: FROM,
});
const facts = (
  participations: Participation[],
  consents: ConsentRecord[] = [],
): TrajectoryFacts => ({
  trajectoryId: T,
  participations,
  consents,
});
const event = (type = NOTICE_TYPE): SourceEvent => ({
  id: 'e-1',
  type,
  subject: T,
  data: FULL_NOTICE,
});

const PARTICIPANTS = [
  takesPart('reclassering-noord', 'probation'),
  takesPart('fz-de-brug', 'provider'),
  takesPart('zvh-rotterdam', 'zvh'),
];

describe('fan-out decision (R-CONSENT, per field)', () => {
  it('probation receives conditions and notifications without subscribing, never medical data', () => {
    const { deliveries } = fanOut(
      event(),
      [partner('reclassering-noord', { subscriptions: new Set() })],
      facts(PARTICIPANTS),
      AT,
      TEST_CONTRACTS,
    );
    expect(deliveries).toHaveLength(1);
    const [d] = deliveries;
    expect(d!.data).toEqual({
      trajectoryId: T,
      noticeId: 'n-1',
      condition: 'abstinence',
      cause: 'positive urine check',
      riskLevel: 'orange',
      contactPerson: 'case lead: zvh',
    });
    expect(d!.categories).not.toContain('medical');
    expect(d!.legalBasis).toBe('legal-duty');
  });

  it('a provider receives what the placement needs (medical, plan, logistics) but only if it subscribed', () => {
    const unsubscribed = fanOut(
      event(),
      [partner('fz-de-brug', { subscriptions: new Set() })],
      facts(PARTICIPANTS),
      AT,
      TEST_CONTRACTS,
    );
    expect(unsubscribed.deliveries).toEqual([]);
    const { deliveries } = fanOut(
      event(),
      [partner('fz-de-brug', { subscriptions: new Set([NOTICE_TYPE]) })],
      facts(PARTICIPANTS),
      AT,
      TEST_CONTRACTS,
    );
    expect(deliveries[0]!.data).toMatchObject({
      medication: 'methadone 40mg',
      nextStep: 'driegesprek',
      appointment: '2026-12-03T10:00',
    });
    expect(deliveries[0]!.data).not.toHaveProperty('cause');
  });

  it('a ZVH receives what the covenant names: the covenant record adds risk, basis covenant', () => {
    const covenant: ConsentRecord = {
      id: 'c-cov',
      recipient: { kind: 'organisation', id: 'zvh-rotterdam' },
      categories: ['risk'],
      purpose: 'case meeting',
      legalBasis: 'covenant',
      validFrom: FROM,
    };
    const zvh = partner('zvh-rotterdam', { subscriptions: new Set([REPORT_TYPE]) });
    const without = fanOut(event(REPORT_TYPE), [zvh], facts(PARTICIPANTS), AT, TEST_CONTRACTS);
    expect(without.deliveries[0]!.data).toEqual({
      trajectoryId: T,
      noticeId: 'n-1',
      contactPerson: 'case lead: zvh',
    });
    const withCov = fanOut(
      event(REPORT_TYPE),
      [zvh],
      facts(PARTICIPANTS, [covenant]),
      AT,
      TEST_CONTRACTS,
    );
    expect(withCov.deliveries[0]!.data).toEqual({
      trajectoryId: T,
      noticeId: 'n-1',
      riskLevel: 'orange',
      contactPerson: 'case lead: zvh',
    });
    expect(withCov.deliveries[0]!.legalBasis).toBe('covenant');
    expect(withCov.deliveries[0]!.consentRefs).toEqual(['c-cov']);
  });

  it("relatives' channel: general information only, problem and treatment data only with consent", () => {
    const relatives = partner('familie-app', {
      audience: 'relatives',
      trajectoryId: T,
      subscriptions: new Set([REPORT_TYPE]),
    });
    const without = fanOut(
      event(REPORT_TYPE),
      [relatives],
      facts(PARTICIPANTS),
      AT,
      TEST_CONTRACTS,
    );
    expect(without.deliveries[0]!.data).toEqual({
      trajectoryId: T,
      noticeId: 'n-1',
      contactPerson: 'case lead: zvh',
    });
    const consent: ConsentRecord = {
      id: 'c-rel',
      recipient: { kind: 'class', id: 'relatives' },
      categories: ['plan-and-goals'],
      purpose: 'family support',
      legalBasis: 'consent',
      validFrom: FROM,
    };
    const withConsent = fanOut(
      event(REPORT_TYPE),
      [relatives],
      facts(PARTICIPANTS, [consent]),
      AT,
      TEST_CONTRACTS,
    );
    expect(withConsent.deliveries[0]!.data).toMatchObject({ nextStep: 'driegesprek' });
    expect(withConsent.deliveries[0]!.data).not.toHaveProperty('medication');
    expect(withConsent.deliveries[0]!.consentRefs).toEqual(['c-rel']);
    // Another trajectory's relatives channel gets nothing.
    const other = fanOut(
      event(REPORT_TYPE),
      [{ ...relatives, trajectoryId: 'other' }],
      facts(PARTICIPANTS, [consent]),
      AT,
      TEST_CONTRACTS,
    );
    expect(other.deliveries).toEqual([]);
  });

  it('nothing is sent where nothing beyond metadata is permitted, nor to non-participants', () => {
    const referrer = fanOut(
      event(REPORT_TYPE),
      [partner('pi-vught')],
      facts([...PARTICIPANTS, takesPart('pi-vught', 'referrer')]),
      AT,
      TEST_CONTRACTS,
    );
    // The referrer may know participation and general information: contactPerson only.
    expect(referrer.deliveries[0]!.data).toEqual({
      trajectoryId: T,
      noticeId: 'n-1',
      contactPerson: 'case lead: zvh',
    });
    const stranger = fanOut(
      event(REPORT_TYPE),
      [partner('fz-elders')],
      facts(PARTICIPANTS),
      AT,
      TEST_CONTRACTS,
    );
    expect(stranger.deliveries).toEqual([]);
    expect(stranger.withheld).toEqual([
      { organisationId: 'fz-elders', reason: 'does not take part in the trajectory' },
    ]);
    const left = fanOut(
      event(REPORT_TYPE),
      [partner('fz-de-brug')],
      facts([{ ...takesPart('fz-de-brug', 'provider'), until: new Date('2026-11-20T00:00:00Z') }]),
      AT,
      TEST_CONTRACTS,
    );
    expect(left.deliveries).toEqual([]);
  });

  it('thin by default: only metadata fields, with the ground recorded', () => {
    const { deliveries } = fanOut(
      event(REPORT_TYPE),
      [partner('fz-de-brug', { fullPayloads: false })],
      facts(PARTICIPANTS),
      AT,
      TEST_CONTRACTS,
    );
    expect(deliveries[0]!.mode).toBe('thin');
    expect(deliveries[0]!.data).toEqual({ trajectoryId: T, noticeId: 'n-1' });
    expect(deliveries[0]!.categories).toEqual(['metadata']);
    expect(deliveries[0]!.entitledCategories).toContain('medical');
  });

  it('webhook channels carry only the event types they name', () => {
    const p = partner('fz-de-brug', {
      channels: [
        { id: 'w1', kind: 'webhook', url: 'https://x', eventTypes: [NOTICE_TYPE] },
        { id: 't', kind: 'topic', eventTypes: [] },
      ],
    });
    const { deliveries } = fanOut(event(REPORT_TYPE), [p], facts(PARTICIPANTS), AT, TEST_CONTRACTS);
    expect(deliveries.map((d) => d.channel.id)).toEqual(['t']);
  });

  it('after a withdrawal, the categories to purge are those not held on another ground', () => {
    const consent: ConsentRecord = {
      id: 'c-1',
      recipient: { kind: 'organisation', id: 'reclassering-noord' },
      categories: ['medical', 'risk'],
      purpose: 'x',
      legalBasis: 'consent',
      validFrom: FROM,
      revokedAt: new Date('2026-11-30T00:00:00Z'),
    };
    expect(
      categoriesToPurge(partner('reclassering-noord'), consent, facts(PARTICIPANTS, [consent]), AT),
    ).toEqual(['medical']);
  });
});
