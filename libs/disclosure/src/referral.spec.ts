import type { Participation } from '@ketenlink/consent';
import { entitlementOf } from './entitlement';
import { REFERRAL_CATEGORIES, type Referral, referralGrantOf } from './referral';

const FROM = new Date('2026-11-20T10:00:00Z');
const day = (n: number) => new Date(FROM.getTime() + n * 86_400_000);
const referral: Referral = {
  placementId: 'p-1',
  recipientOrganisationId: 'provider',
  referrerOrganisationId: 'referrer',
  categories: REFERRAL_CATEGORIES,
  legalBasis: 'legal-duty',
  validFrom: FROM,
};
const part = (organisationId: string, from: Date, until?: Date): Participation => ({
  organisationId,
  role: organisationId === 'provider' ? 'provider' : 'zvh',
  from,
  ...(until ? { until } : {}),
});

describe('referralGrantOf: the one referral rule (placement-intake and the gateway)', () => {
  it('is in force from the request, without an end while nothing ended it', () => {
    expect(referralGrantOf(referral, [part('referrer', day(-10))])).toEqual({
      id: 'p-1',
      recipientOrganisationId: 'provider',
      categories: REFERRAL_CATEGORIES,
      purpose: 'referral',
      legalBasis: 'legal-duty',
      validFrom: FROM,
    });
  });

  it('ends at the first of withdrawal, refusal and a party leaving after the request', () => {
    const parts = [part('referrer', day(-10), day(5)), part('provider', day(-30), day(4))];
    expect(referralGrantOf(referral, parts).validUntil).toEqual(day(4));
    expect(referralGrantOf({ ...referral, refusedAt: day(3) }, parts).validUntil).toEqual(day(3));
    expect(
      referralGrantOf({ ...referral, refusedAt: day(3), withdrawnAt: day(2) }, parts).validUntil,
    ).toEqual(day(2));
  });

  it('ignores participations that ended before the request, and other organisations', () => {
    const parts = [part('referrer', day(-30), day(-1)), part('someone-else', day(-5), day(1))];
    expect(referralGrantOf({ ...referral, withdrawnAt: null }, parts).validUntil).toBeUndefined();
  });

  it('lets the gate disclose the referral categories to the addressed provider only', () => {
    const facts = {
      trajectoryId: 't',
      participations: [part('referrer', day(-10))],
      consents: [],
      grants: [referralGrantOf({ ...referral, refusedAt: day(2) }, [])],
    };
    const provider = {
      kind: 'staff' as const,
      subject: 'partner:provider',
      organisationId: 'provider',
      roles: ['partner-system' as const],
    };
    const during = entitlementOf(provider, facts, day(1));
    expect(during.visible).toBe(true);
    expect(during.permitted.has('medical')).toBe(true);
    expect(during.permitted.has('incidents-and-violations')).toBe(false);
    expect(during.decisions.medical).toMatchObject({
      basis: 'legal-duty',
      rule: 'disclosure-record:referral',
      consentId: 'p-1',
    });
    expect(entitlementOf(provider, facts, day(2)).visible).toBe(false);
    expect(entitlementOf({ ...provider, organisationId: 'other' }, facts, day(1)).visible).toBe(
      false,
    );
  });
});
