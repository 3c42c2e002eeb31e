import type { CloudEvent } from '@ketenlink/messaging';

/**
 * A `placement.requested` payload for tests (valid against its schema): a ZVH refers a client
 * with title, risk and plan fields; `medicationNotes` (medical) only when given.
 */
export function placementRequestData(
  trajectoryId: string,
  referrer: string,
  provider: string,
  placementId: string,
): Record<string, unknown> {
  return {
    trajectoryId,
    placementId,
    providerOrganisationId: provider,
    referrerOrganisationId: referrer,
    referrerKind: 'zvh',
    titleKind: 'conditional-release',
    offenceCategory: 'arson',
    activeSubstanceUse: false,
    needs: ['housing'],
    urgency: 'regular',
    documentsComplete: true,
    requestedAt: '2026-11-20T10:00:00Z',
    answerDueOn: '2026-12-04',
  };
}

/** A `placement.requested` CloudEvent as placement-intake's relay publishes it, for unit tests. */
export function placementRequestEvent(id: string, data: Record<string, unknown>): CloudEvent {
  return {
    specversion: '1.0',
    id,
    source: 'placement-intake',
    type: 'nl.ketenlink.placement.requested.v1',
    subject: String(data.trajectoryId),
    time: '2026-11-20T10:00:00.000Z',
    dataschema: 'https://schemas.ketenlink.nl/events/placement.requested/v1.schema.json',
    datacontenttype: 'application/json',
    correlationid: id,
    data,
  };
}
