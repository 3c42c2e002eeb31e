import { waitFor } from '@ketenlink/testing';
import {
  migrateService,
  staffCaller as client,
  startService,
  stopService,
  type RunningService,
  registerOrganisations,
} from '../support/platform';

/**
 * Placement across services, each its own process: a referrer opens a trajectory; placement
 * intake learns of it from Kafka; the request goes through documents, acceptance, intake and
 * move-in; `client.placed` makes the provider a participant of the trajectory, and from then on
 * the provider sees the trajectory's timeline, placement events included, in order.
 */
describe('placement request to move-in makes the provider a participant', () => {
  let trajectory: RunningService | undefined;
  let intake: RunningService | undefined;
  const REFERRER = 'pi-e2e-ref';
  const PROVIDER = 'fz-e2e-brug';

  beforeAll(async () => {
    migrateService('trajectory');
    migrateService('placement-intake');
    [trajectory, intake] = await Promise.all([
      startService('trajectory', 13021),
      startService('placement-intake', 13022),
    ]);
    await registerOrganisations(trajectory!, [
      { id: REFERRER, kind: 'prison' },
      { id: PROVIDER, kind: 'care-provider' },
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stopService(trajectory), stopService(intake)]);
  });

  it('request → accepted → intake → moved in → provider participates and sees the timeline', async () => {
    const referrerT = client(() => trajectory!, REFERRER, ['referrer']);
    const referrerP = client(() => intake!, REFERRER, ['referrer']);
    const officerP = client(() => intake!, PROVIDER, ['placement-officer']);
    const providerT = client(() => trajectory!, PROVIDER, ['placement-officer']);

    const opened = await referrerT('POST', '/trajectories', { region: 'Twente' });
    expect(opened.status).toBe(201);
    const trajectoryId = opened.body.id as string;
    // Before the move-in the provider does not take part: it sees nothing.
    expect((await providerT('GET', `/trajectories/${trajectoryId}`)).status).toBe(404);

    // placement-intake honours a token once it has projected the organisation's registration
    // (ProjectedOrganisationDirectory; 403 before).
    await waitFor(async () => (await officerP('GET', '/locations')).status === 200, {
      timeoutMs: 60_000,
      intervalMs: 250,
      what: 'placement-intake to know the provider organisation',
    });
    const location = await officerP('POST', '/locations', {
      label: 'Huize E2E',
      forensicMix: 'spread',
      substancePolicy: 'use-tolerated',
      expertise: ['addiction'],
      capacity: 4,
      excludedOffenceCategories: [],
    });
    expect(location.status).toBe(201);
    const locationId = location.body.id as string;

    const request = {
      trajectoryId,
      providerOrganisationId: PROVIDER,
      referrerKind: 'probation',
      title: {
        kind: 'conditional-release',
        startDate: '2026-01-01',
        expectedEndDate: '2028-06-30',
      },
      offenceCategory: 'arson',
      activeSubstanceUse: true,
      needs: ['housing'],
      urgency: 'regular',
      documents: [
        { kind: 'probation-advice', reference: 'dossier/advies-e2e' },
        {
          kind: 'risk-assessment',
          riskAssessment: {
            instrument: 'RISc',
            author: 'Reclassering advisor',
            assessedOn: '2026-10-01',
            setting: 'sheltered housing',
            validUntil: '2027-10-01',
          },
        },
        { kind: 'placement-letter' },
      ],
    };
    // Placement intake knows the trajectory once it has consumed trajectory.opened.
    const placement = await waitFor(
      async () => {
        const res = await referrerP('POST', '/placements', request);
        return res.status === 201 ? res : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'placement-intake to know the trajectory' },
    );
    const placementId = placement.body.id as string;
    const step = async (action: string, body: object) =>
      expect((await officerP('POST', `/placements/${placementId}/${action}`, body)).status).toBe(
        200,
      );
    await step('accept', { locationId });
    await step('intake', { scheduledFor: new Date(Date.now() + 86_400_000).toISOString() });
    await step('first-contact', { at: new Date(Date.now() - 60_000).toISOString() });
    await step('move-in', {});

    // client.placed → the trajectory service adds the provider as participant.
    const participants = await waitFor(
      async () => {
        const res = await referrerT('GET', `/trajectories/${trajectoryId}/participants`);
        const items = (res.body.items ?? []) as { organisationId: string; role: string }[];
        return items.some((p) => p.organisationId === PROVIDER) ? items : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the provider to become a participant' },
    );
    expect(participants).toContainEqual(
      expect.objectContaining({ organisationId: PROVIDER, role: 'provider' }),
    );

    // The provider now sees the trajectory and its timeline: events of both services, in order.
    const timeline = await waitFor(
      async () => {
        const res = await providerT('GET', `/trajectories/${trajectoryId}/timeline`);
        if (res.status !== 200) return undefined;
        const types = (res.body.items as { type: string }[]).map((i) =>
          i.type.replace(/^nl\.ketenlink\./, '').replace(/\.v1$/, ''),
        );
        return types.includes('client.placed') &&
          types.filter((t) => t === 'trajectory.participant-joined').length >= 2
          ? types
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the provider to see the timeline' },
    );
    const placementEvents = timeline.filter((t) => /^(placement|intake|client)\./.test(t));
    expect(placementEvents).toEqual([
      'placement.requested',
      'placement.accepted',
      'intake.scheduled',
      'client.placed',
    ]);
    expect(timeline[0]).toBe('trajectory.opened');
    expect(timeline.at(-1)).toBe('trajectory.participant-joined');
  });
});
