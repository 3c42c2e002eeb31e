/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read JSON answers freely */
import { randomUUID } from 'node:crypto';
import { mintDevToken, type Role } from '@ketenlink/auth';
import { addDays, calendarDate } from '@ketenlink/dates';
import { waitFor } from '@ketenlink/testing';
import { readAllRecords } from '../support/kafka-scan';
import {
  type Call,
  caller as call,
  E2E_TOPIC_PREFIX,
  migrateService,
  registerOrganisations,
  type RunningService,
  startService,
  stopService,
} from '../support/platform';

/**
 * DOMAIN.md scenarios 1 (clean house) and 4 (unclear conditions) across services, each its own
 * process: the trajectory service holds the registry, participants and the title with its
 * conditions; the agreements service learns them from Kafka and runs the three-party agreement,
 * notifications, violations and incidents. (Placement itself, up to move-in, is
 * placement-to-participant.e2e-spec.ts; here the case lead adds the provider as move-in does.)
 */
let trajectory: RunningService | undefined;
let agreements: RunningService | undefined;
const run = randomUUID().slice(0, 6);
const RECLASSERING = `reclassering-e2e-${run}`;
const PROVIDER = `fz-e2e-${run}`;
const PRISON = `pi-e2e-${run}`;
const OUTSIDER = `fz-other-e2e-${run}`;

const caller = (
  svc: () => RunningService,
  claims: { org?: string; roles?: Role[]; kind?: 'client'; trajectory?: string },
) =>
  call(svc, { sub: `e2e-${claims.org ?? 'client'}`, ...claims } as Parameters<
    typeof mintDevToken
  >[0]);
const T = () => trajectory!;
const A = () => agreements!;
const officerT = caller(T, { org: RECLASSERING, roles: ['coordinator', 'probation-officer'] });
const officer = caller(A, { org: RECLASSERING, roles: ['probation-officer'] });
const worker = caller(A, { org: PROVIDER, roles: ['support-worker'] });
const prison = caller(A, { org: PRISON, roles: ['referrer'] });
const outsider = caller(A, { org: OUTSIDER, roles: ['support-worker'] });

/** Events of this run on the agreements topic: type and payload. */
async function agreementEvents(): Promise<{ type: string; data: any }[]> {
  const records = await readAllRecords((t) => t === `${E2E_TOPIC_PREFIX}ketenlink.agreements.v1`);
  return records.map((r) => {
    const lines = r.text.split('\n');
    const type = lines.find((l) => l.startsWith('ce_type='))!.slice('ce_type='.length);
    return { type, data: JSON.parse(lines.at(-1)!) };
  });
}

/** A trajectory opened by reclassering (case lead) with a title, the prison and the provider taking part. */
async function trajectoryWithTitle(
  conditions: { type: string; description: string }[],
): Promise<string> {
  const opened = await officerT('POST', '/trajectories', {
    region: 'Drenthe',
    participantRole: 'probation',
  });
  expect(opened.status).toBe(201);
  const id = opened.body.id as string;
  const today = calendarDate(new Date());
  // The title first: its event precedes the provider's joining on the trajectory's partition, so
  // once the agreements service lets the provider party draft, it also knows the conditions.
  const title = await officerT('POST', `/trajectories/${id}/titles`, {
    kind: 'conditional-release',
    startDate: addDays(today, -30),
    expectedEndDate: addDays(today, 365),
    conditions,
  });
  expect(title.status).toBe(201);
  for (const [organisationId, role] of [
    [PRISON, 'referrer'],
    [PROVIDER, 'provider'],
  ]) {
    const joined = await officerT('POST', `/trajectories/${id}/participants`, {
      organisationId,
      role,
      from: today,
    });
    expect(joined.status).toBe(201);
  }
  return id;
}

function terms(overrides: object = {}) {
  const today = calendarDate(new Date());
  return {
    notificationTriggers: [],
    contactFrequencies: [
      { between: 'client-officer', every: { count: 2, unit: 'week' } },
      { between: 'support-worker-officer', every: { count: 1, unit: 'month' } },
    ],
    driegesprek: {
      firstOn: today,
      every: { count: 3, unit: 'month' },
      nextReviewOn: addDays(today, 91),
    },
    clientGoals: ['Stay clean', 'Find daytime work'],
    probationGoals: ['No relapse into offending'],
    lifeAreaOwners: [
      { lifeArea: 'addiction', owner: 'provider' },
      { lifeArea: 'justice', owner: 'probation' },
    ],
    firstPointOfContact: { party: 'provider', organisationId: PROVIDER, role: 'support-worker' },
    houseRules: ['No alcohol in the house'],
    ...overrides,
  };
}
const parties = { probationOrganisationId: RECLASSERING, providerOrganisationId: PROVIDER };

/** Drafts once the agreements service has heard of the trajectory, its participants and title. */
async function draftWhenKnown(trajectoryId: string, by: Call, body: object) {
  return waitFor(
    async () => {
      const res = await by('POST', `/trajectories/${trajectoryId}/agreements`, body);
      if (res.status === 201) return res;
      if (![403, 404, 422].includes(res.status))
        throw new Error(`draft: ${res.status} ${JSON.stringify(res.body)}`);
      return undefined;
    },
    { timeoutMs: 60_000, intervalMs: 300, what: 'the agreements service to know the trajectory' },
  );
}

async function signAllAndActivate(trajectoryId: string, agreementId: string, version: number) {
  const client = caller(A, { kind: 'client', trajectory: trajectoryId });
  expect((await client('POST', '/me/agreement/signature', { version })).status).toBe(201);
  expect((await officer('POST', `/agreements/${agreementId}/signatures`, { version })).status).toBe(
    201,
  );
  expect((await worker('POST', `/agreements/${agreementId}/signatures`, { version })).status).toBe(
    201,
  );
  const act = await officer('POST', `/agreements/${agreementId}/activation`, {});
  expect(act.status).toBe(200);
  return act.body;
}

beforeAll(async () => {
  migrateService('trajectory');
  migrateService('agreements');
  [trajectory, agreements] = await Promise.all([
    startService('trajectory', 13031),
    startService('agreements', 13033),
  ]);
  await registerOrganisations(trajectory!, [
    { id: RECLASSERING, kind: 'probation-service' },
    { id: PROVIDER, kind: 'care-provider' },
    { id: PRISON, kind: 'prison' },
    { id: OUTSIDER, kind: 'care-provider' },
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([stopService(trajectory), stopService(agreements)]);
});

describe('scenario 1: clean house', () => {
  it('the driegesprek fixes the agreement; provider and probation see the same conditions; a positive urine check reaches probation naming its condition', async () => {
    const trajectoryId = await trajectoryWithTitle([
      { type: 'abstinence', description: 'Abstain from alcohol and drugs; urine checks.' },
    ]);
    const drafted = await draftWhenKnown(trajectoryId, officer, { parties, terms: terms() });
    const agreementId = drafted.body.agreementId as string;
    const [condition] = drafted.body.versions[0].terms.conditions;
    expect(condition).toMatchObject({ type: 'abstinence', source: 'title-registration' });

    const active = await signAllAndActivate(trajectoryId, agreementId, 1);
    expect(active.status).toBe('active');
    const asProvider = await worker('GET', `/agreements/${agreementId}`);
    const asProbation = await officer('GET', `/agreements/${agreementId}`);
    expect(asProvider.body.versions[0].terms.conditions).toEqual(
      asProbation.body.versions[0].terms.conditions,
    );
    expect(asProbation.body.versions[0].terms.clientGoals).toEqual([
      'Stay clean',
      'Find daytime work',
    ]);

    const note = await worker('POST', `/agreements/${agreementId}/notifications`, {
      kind: 'positive-urine-check',
      urgency: 'urgent',
      conditionId: condition.conditionId,
      cause: 'Positive urine check after a weekend away',
      agreedWithClient: 'An extra check on Wednesday',
      clientInformed: true,
    });
    expect(note.status).toBe(201);
    const events = await waitFor(
      async () => {
        const all = await agreementEvents();
        return all.some(
          (e) =>
            e.type === 'nl.ketenlink.notification.raised.v1' &&
            e.data.trajectoryId === trajectoryId,
        )
          ? all
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'notification.raised on the agreements topic' },
    );
    const raised = events.find(
      (e) =>
        e.type === 'nl.ketenlink.notification.raised.v1' && e.data.trajectoryId === trajectoryId,
    )!;
    expect(raised.data).toMatchObject({
      probationOrganisationId: RECLASSERING,
      condition: {
        conditionId: condition.conditionId,
        type: 'abstinence',
        text: 'Abstain from alcohol and drugs; urine checks.',
      },
      urgency: 'urgent',
      clientInformed: true,
    });
    // review at +3 months: plan reviews take it from agreement.activated
    const activated = events.find(
      (e) =>
        e.type === 'nl.ketenlink.agreement.activated.v1' && e.data.trajectoryId === trajectoryId,
    )!;
    expect(activated.data.terms.driegesprek).toMatchObject({
      every: { count: 3, unit: 'month' },
      nextReviewOn: addDays(calendarDate(new Date()), 91),
    });
    // the officer sees and acknowledges it
    const list = await officer('GET', `/trajectories/${trajectoryId}/notifications`);
    expect(list.body).toEqual([
      expect.objectContaining({ cause: 'Positive urine check after a weekend away' }),
    ]);
    expect(
      (await officer('POST', `/notifications/${note.body.notificationId}/acknowledgement`, {}))
        .status,
    ).toBe(200);
  });
});

describe('scenario 4: unclear conditions', () => {
  it('treatment is not a condition; a violation brings a visiting ban, a further incident ends the placement; visible to the right parties only', async () => {
    const trajectoryId = await trajectoryWithTitle([
      { type: 'abstinence', description: 'No alcohol or drugs.' },
    ]);
    // The provider demands treatment and writes it in as a condition of its own …
    const demanded = await draftWhenKnown(trajectoryId, worker, { parties, terms: terms() });
    const agreementId = demanded.body.agreementId as string;
    const fromTitle = demanded.body.versions[0].terms.conditions;
    const treatment = {
      conditionId: randomUUID(),
      type: 'treatment',
      text: 'Addiction treatment at the clinic',
      source: 'agreement',
    };
    const withTreatment = await worker('POST', `/agreements/${agreementId}/amendments`, {
      revision: demanded.body.revision,
      terms: terms({ conditions: [...fromTitle, treatment] }),
      reason: 'Provider: treatment is required',
    });
    expect(withTreatment.status).toBe(201);
    // … reclassering clarifies it is not a condition of the title: version 3 without it.
    const clarified = await officer('POST', `/agreements/${agreementId}/amendments`, {
      revision: withTreatment.body.revision,
      terms: terms({
        conditions: fromTitle,
        probationGoals: ['No relapse', 'Treatment is voluntary, not a condition'],
      }),
      reason: 'Treatment is not a condition of the title',
    });
    expect(clarified.status).toBe(201);
    const diff = await worker('GET', `/agreements/${agreementId}/diff?from=2&to=3`);
    expect(diff.body.changes.conditions).toEqual([
      expect.objectContaining({ change: 'removed', id: treatment.conditionId }),
    ]);
    await signAllAndActivate(trajectoryId, agreementId, 3);

    // Incidents lead to a visiting ban …
    const violation = await worker('POST', `/agreements/${agreementId}/violations`, {
      conditionId: fromTitle[0].conditionId,
      description: 'Brought alcohol into the house, threatened staff',
      occurredOn: calendarDate(new Date()),
      consequence: {
        kind: 'visiting-ban',
        decidedBy: 'provider',
        from: calendarDate(new Date()),
        until: addDays(calendarDate(new Date()), 28),
      },
    });
    expect(violation.status).toBe(201);
    // … and after a further incident the placement ends.
    const incident = await worker('POST', `/trajectories/${trajectoryId}/incidents`, {
      kind: 'serious-violence',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      description: 'Attacked a co-resident',
    });
    expect(incident.status).toBe(201);
    expect(incident.body).toMatchObject({
      reportable: true,
      inspectorateDeadline: expect.any(String),
    });
    const endOfStay = await worker('POST', `/agreements/${agreementId}/violations`, {
      conditionId: fromTitle[0].conditionId,
      description: 'Further incident: violence',
      occurredOn: calendarDate(new Date()),
      consequence: {
        kind: 'end-of-stay',
        decidedBy: 'provider',
        from: addDays(calendarDate(new Date()), 1),
      },
    });
    expect(endOfStay.status).toBe(201);
    const ended = await worker('POST', `/agreements/${agreementId}/termination`, {
      reason: 'placement-ended',
      on: addDays(calendarDate(new Date()), 1),
      explanation: 'End of stay after a further incident',
    });
    expect(ended.body).toMatchObject({
      status: 'terminated',
      termination: { reason: 'placement-ended' },
    });

    // Right parties: probation (legal duty) and the provider (its own records) see both …
    for (const who of [officer, worker]) {
      const v = await who('GET', `/trajectories/${trajectoryId}/violations`);
      expect(v.body.map((x: { consequence: { kind: string } }) => x.consequence.kind)).toEqual([
        'visiting-ban',
        'end-of-stay',
      ]);
      const i = await who('GET', `/trajectories/${trajectoryId}/incidents`);
      expect(i.body).toEqual([
        expect.objectContaining({
          kind: 'serious-violence',
          description: 'Attacked a co-resident',
        }),
      ]);
      expect((await who('GET', `/agreements/${agreementId}`)).body.termination).toMatchObject({
        reason: 'placement-ended',
      });
    }
    // … the prison, taking part as referrer but no party, sees that they exist, not what happened …
    const asPrison = await prison('GET', `/trajectories/${trajectoryId}/violations`);
    expect(asPrison.status).toBe(200);
    expect(
      asPrison.body.every(
        (x: object) => !('consequence' in x) && !('description' in x) && !('condition' in x),
      ),
    ).toBe(true);
    // that the agreement ended is metadata; why (the violation, the end of stay) is not theirs
    const prisonView = await prison('GET', `/agreements/${agreementId}`);
    expect(prisonView.body.termination.reason).toBeUndefined();
    expect(prisonView.body.termination.explanation).toBeUndefined();
    // … and an organisation outside the trajectory learns nothing at all.
    expect((await outsider('GET', `/trajectories/${trajectoryId}/violations`)).status).toBe(404);
    expect((await outsider('GET', `/trajectories/${trajectoryId}/incidents`)).status).toBe(404);
    // The events: violation.recorded carries the visiting ban and names its condition.
    const events = await agreementEvents();
    const mine = events.filter((e) => e.data.trajectoryId === trajectoryId).map((e) => e.type);
    expect(mine).toEqual(
      expect.arrayContaining([
        'nl.ketenlink.violation.recorded.v1',
        'nl.ketenlink.incident.recorded.v1',
        'nl.ketenlink.agreement.terminated.v1',
      ]),
    );
  });
});
