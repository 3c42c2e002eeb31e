import type { EventPayloads, EventType } from '../../generated/events';

export const TRAJECTORY_ID = '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11';
const TITLE_ID = '0d4b5c1a-6a8e-4d3c-8f55-0c1f3e9a7b21';
const CONSENT_ID = '9a7e2d44-2b1c-4e0f-a6b3-7c5d8e1f0a32';

/** One valid, maximal payload per event type (typed by the generated interfaces). */
export const SAMPLES: { readonly [T in EventType]: EventPayloads[T] } = {
  'nl.ketenlink.trajectory.opened.v1': {
    trajectoryId: TRAJECTORY_ID,
    openedAt: '2025-03-01T09:30:00Z',
    openedBy: { organisationId: 'reclassering-noord', role: 'coordinator' },
    region: 'Groningen',
  },
  'nl.ketenlink.trajectory.participant-joined.v1': {
    trajectoryId: TRAJECTORY_ID,
    organisationId: 'fz-de-brug',
    role: 'provider',
    from: '2025-03-10',
    until: '2026-03-09',
  },
  'nl.ketenlink.trajectory.participant-left.v1': {
    trajectoryId: TRAJECTORY_ID,
    organisationId: 'fz-de-brug',
    role: 'provider',
    at: '2025-09-01T17:00:00+02:00',
  },
  'nl.ketenlink.title.registered.v1': {
    trajectoryId: TRAJECTORY_ID,
    titleId: TITLE_ID,
    kind: 'special-conditions-suspended-sentence',
    startDate: '2025-03-01',
    expectedEndDate: '2027-03-01',
    conditions: [
      { type: 'abstinence', description: 'No alcohol; cooperate with breath tests.' },
      { type: 'location-ban', description: 'Stay out of the Oosterpoort area.' },
    ],
  },
  'nl.ketenlink.title.changed.v1': {
    trajectoryId: TRAJECTORY_ID,
    titleId: TITLE_ID,
    effectiveFrom: '2025-06-01',
    expectedEndDate: '2027-09-01',
    conditions: [{ type: 'treatment', description: 'Outpatient forensic treatment.' }],
  },
  'nl.ketenlink.title.ended.v1': {
    trajectoryId: TRAJECTORY_ID,
    titleId: TITLE_ID,
    endedOn: '2027-03-01',
    reason: 'expired',
  },
  'nl.ketenlink.consent.granted.v1': {
    trajectoryId: TRAJECTORY_ID,
    consentId: CONSENT_ID,
    recipient: { kind: 'organisation', id: 'wijkteam-zuid' },
    categories: ['plan-and-goals', 'contact-and-logistics'],
    purpose: 'Coordinate housing support',
    legalBasis: 'consent',
    validFrom: '2025-03-05T00:00:00Z',
    validUntil: '2026-03-05T00:00:00Z',
  },
  'nl.ketenlink.consent.revoked.v1': {
    trajectoryId: TRAJECTORY_ID,
    consentId: CONSENT_ID,
    revokedAt: '2025-05-01T12:00:00Z',
  },
};
