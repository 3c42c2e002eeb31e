import type { ConsentRecord, Participation } from '@ketenlink/consent';
import { type DisclosureGrant, entitlementOf, type TrajectoryFacts } from './entitlement';

const T = 'traj-1';
const at = new Date('2026-12-01T12:00:00Z');
const before = new Date('2026-11-01T00:00:00Z');
const provider: Participation = { organisationId: 'fz', role: 'provider', from: before };
const probation: Participation = { organisationId: 'rn', role: 'probation', from: before };
const referral = (over: Partial<DisclosureGrant> = {}): DisclosureGrant => ({
  id: 'placement-1',
  recipientOrganisationId: 'fz-other',
  categories: ['title-and-conditions', 'risk', 'plan-and-goals', 'participation', 'metadata'],
  purpose: 'referral',
  legalBasis: 'legal-duty',
  validFrom: before,
  ...over,
});
const facts = (over: Partial<TrajectoryFacts> = {}): TrajectoryFacts => ({
  trajectoryId: T,
  participations: [provider, probation],
  consents: [],
  ...over,
});
const staff = (organisationId: string, roles: string[]) => ({
  subject: 's',
  organisationId,
  roles,
});
const permitted = (e: { permitted: ReadonlySet<string> }) => [...e.permitted].sort();

describe('entitlementOf: the policy, cut to the token roles inside the organisation', () => {
  it('a placement officer of a participating provider gets the provider defaults', () => {
    const e = entitlementOf(staff('fz', ['placement-officer']), facts(), at);
    expect(e.visible).toBe(true);
    expect(e.permitted.has('medical')).toBe(true);
    expect(e.decisions.medical).toMatchObject({ permit: true, basis: 'legal-duty' });
  });

  it('finding 5: a referrer user of the provider organisation does not get the provider view', () => {
    const e = entitlementOf(staff('fz', ['referrer']), facts(), at);
    expect(e.visible).toBe(true);
    expect(permitted(e)).toEqual(['general-information', 'metadata', 'participation']);
    expect(e.decisions.medical).toMatchObject({ permit: false });
  });

  it('finding 5: a token holding operator sees metadata only, whatever else it holds', () => {
    const e = entitlementOf(staff('fz', ['operator', 'placement-officer']), facts(), at);
    expect(permitted(e)).toEqual(['metadata']);
    expect(e.recipient).toEqual({ kind: 'operator' });
  });

  it('finding 3: an addressed provider sees the referral categories only while it is in force', () => {
    const f = facts({ grants: [referral({ validUntil: new Date('2026-12-02T00:00:00Z') })] });
    const e = entitlementOf(staff('fz-other', ['placement-officer']), f, at);
    expect(e.visible).toBe(true);
    expect(permitted(e)).toEqual([
      'metadata',
      'participation',
      'plan-and-goals',
      'risk',
      'title-and-conditions',
    ]);
    expect(e.decisions.risk).toMatchObject({ rule: 'disclosure-record:referral' });
    const after = entitlementOf(
      staff('fz-other', ['placement-officer']),
      f,
      new Date('2026-12-02T00:00:00Z'),
    );
    expect(after.visible).toBe(false);
    expect(permitted(after)).toEqual([]);
    // Another organisation: nothing, not even that the trajectory exists.
    expect(entitlementOf(staff('fz-third', ['placement-officer']), f, at).visible).toBe(false);
  });

  it('finding 4: after leaving, nothing', () => {
    const left = facts({ participations: [{ ...provider, until: at }] });
    expect(entitlementOf(staff('fz', ['placement-officer']), left, at).visible).toBe(false);
  });

  it('the client sees his own trajectory only; relatives only what a record for them grants', () => {
    const client = { kind: 'client' as const, subject: 'c', trajectoryId: T };
    expect(entitlementOf(client, facts(), at).permitted.has('medical')).toBe(true);
    expect(entitlementOf({ ...client, trajectoryId: 'other' }, facts(), at).visible).toBe(false);
    const record: ConsentRecord = {
      id: 'c1',
      recipient: { kind: 'class', id: 'relatives' },
      categories: ['plan-and-goals'],
      purpose: 'family',
      legalBasis: 'consent',
      validFrom: before,
    };
    const relative = { kind: 'relative' as const, subject: 'r', trajectoryId: T };
    expect(permitted(entitlementOf(relative, facts({ consents: [record] }), at))).toEqual([
      'general-information',
      'metadata',
      'plan-and-goals',
    ]);
  });

  it('a token with only unknown roles sees nothing of the organisation’s entitlement', () => {
    expect(permitted(entitlementOf(staff('fz', ['nobody']), facts(), at))).toEqual([]);
  });
});
