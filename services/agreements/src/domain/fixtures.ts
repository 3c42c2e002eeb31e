import type { Actor, Parties, Terms } from './agreement';

/** Factories for tests (domain, int, e2e) and the demo seed: one agreement's worth of terms. */
export const CONDITION_ABSTINENCE = '11111111-1111-4111-8111-111111111111';
export const CONDITION_LOCATION_BAN = '22222222-2222-4222-8222-222222222222';
export const TRIGGER_URINE = '33333333-3333-4333-8333-333333333333';

export function partiesFor(probation: string, provider: string): Parties {
  return { probationOrganisationId: probation, providerOrganisationId: provider };
}

export function termsFor(parties: Parties, over: Partial<Terms> = {}): Terms {
  return {
    conditions: [
      {
        conditionId: CONDITION_ABSTINENCE,
        type: 'abstinence',
        text: 'Abstain from alcohol and drugs; cooperate with urine checks.',
        source: 'court-decision',
        sourceReference: 'ECLI:NL:RBNNE:2026:1',
      },
      {
        conditionId: CONDITION_LOCATION_BAN,
        type: 'location-ban',
        text: 'Do not enter the city centre of Assen.',
        source: 'court-decision',
      },
    ],
    notificationTriggers: [
      {
        triggerId: TRIGGER_URINE,
        kind: 'positive-urine-check',
        conditionId: CONDITION_ABSTINENCE,
        description: 'Every positive urine check.',
      },
    ],
    contactFrequencies: [
      { between: 'client-officer', every: { count: 2, unit: 'week' } },
      { between: 'support-worker-officer', every: { count: 1, unit: 'month' } },
    ],
    driegesprek: {
      firstOn: '2026-12-08',
      every: { count: 3, unit: 'month' },
      nextReviewOn: '2027-03-08',
    },
    clientGoals: ['Find daytime work'],
    probationGoals: ['No relapse into offending'],
    lifeAreaOwners: [{ lifeArea: 'addiction', owner: 'provider' }],
    firstPointOfContact: {
      party: 'provider',
      organisationId: parties.providerOrganisationId,
      role: 'support-worker',
    },
    houseRules: ['No visitors after 22:00'],
    ...over,
  };
}

export const officer = (org: string): Actor => ({
  kind: 'staff',
  organisationId: org,
  role: 'probation-officer',
});
export const worker = (org: string): Actor => ({
  kind: 'staff',
  organisationId: org,
  role: 'support-worker',
});
export const CLIENT: Actor = { kind: 'client' };
