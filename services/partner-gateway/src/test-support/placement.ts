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
