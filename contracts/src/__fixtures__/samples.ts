import type { EventPayloads, EventType } from '../../generated/events';

export const TRAJECTORY_ID = '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11';
const TITLE_ID = '0d4b5c1a-6a8e-4d3c-8f55-0c1f3e9a7b21';
const CONSENT_ID = '9a7e2d44-2b1c-4e0f-a6b3-7c5d8e1f0a32';
const PLACEMENT_ID = '3c9f1e52-8d4a-4b7e-9f21-6a0d5c8b7e43';
const LOCATION_ID = '7e1a4c90-2f5b-4d8e-b3a6-91c0d2e4f5a6';

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
  'nl.ketenlink.placement.requested.v1': {
    trajectoryId: TRAJECTORY_ID,
    placementId: PLACEMENT_ID,
    providerOrganisationId: 'fz-de-brug',
    referrerOrganisationId: 'reclassering-noord',
    referrerKind: 'probation',
    titleKind: 'special-conditions-suspended-sentence',
    titleExpectedEndDate: '2027-03-01',
    remainingTitleMonths: 23,
    offenceCategory: 'violence',
    activeSubstanceUse: false,
    needs: ['housing', 'addiction-care'],
    urgency: 'regular',
    djiPlacementReference: 'IFZO-2025-00042',
    documentsComplete: false,
    requestedAt: '2025-03-03T09:00:00Z',
    answerDueOn: '2025-03-17',
  },
  'nl.ketenlink.placement.documents-completed.v1': {
    trajectoryId: TRAJECTORY_ID,
    placementId: PLACEMENT_ID,
    providerOrganisationId: 'fz-de-brug',
    documentKinds: ['probation-advice', 'risk-assessment', 'placement-letter'],
    completedAt: '2025-03-04T14:00:00Z',
    answerDueOn: '2025-03-11',
  },
  'nl.ketenlink.placement.accepted.v1': {
    trajectoryId: TRAJECTORY_ID,
    placementId: PLACEMENT_ID,
    providerOrganisationId: 'fz-de-brug',
    locationId: LOCATION_ID,
    acceptedAt: '2025-03-06T10:00:00Z',
  },
  'nl.ketenlink.placement.refused.v1': {
    trajectoryId: TRAJECTORY_ID,
    placementId: PLACEMENT_ID,
    providerOrganisationId: 'fz-de-brug',
    reasonCode: 'other',
    reasonText: 'The client asked for a placement in another region.',
    refusedAt: '2025-03-06T10:00:00Z',
  },
  'nl.ketenlink.placement.waitlisted.v1': {
    trajectoryId: TRAJECTORY_ID,
    placementId: PLACEMENT_ID,
    providerOrganisationId: 'fz-de-brug',
    bridgingAmbulant: true,
    bridgingNote: 'Weekly ambulant support by the FACT team until a room is free.',
    waitlistedAt: '2025-03-06T10:00:00Z',
  },
  'nl.ketenlink.intake.scheduled.v1': {
    trajectoryId: TRAJECTORY_ID,
    placementId: PLACEMENT_ID,
    providerOrganisationId: 'fz-de-brug',
    locationId: LOCATION_ID,
    scheduledFor: '2025-03-10T13:30:00+01:00',
  },
  'nl.ketenlink.client.placed.v1': {
    trajectoryId: TRAJECTORY_ID,
    placementId: PLACEMENT_ID,
    providerOrganisationId: 'fz-de-brug',
    locationId: LOCATION_ID,
    movedInAt: '2025-03-12T11:00:00+01:00',
  },
  'nl.ketenlink.placement.answer-overdue.v1': {
    trajectoryId: TRAJECTORY_ID,
    placementId: PLACEMENT_ID,
    providerOrganisationId: 'fz-de-brug',
    answerDueOn: '2025-03-11',
    detectedAt: '2025-03-12T00:01:00+01:00',
  },
  'nl.ketenlink.intake.crucial-info-overdue.v1': {
    trajectoryId: TRAJECTORY_ID,
    placementId: PLACEMENT_ID,
    providerOrganisationId: 'fz-de-brug',
    firstContactAt: '2025-03-10T13:30:00+01:00',
    dueAt: '2025-03-11T13:30:00+01:00',
    detectedAt: '2025-03-11T13:31:00+01:00',
  },
};
