import { randomUUID } from 'node:crypto';
import { addDays, calendarDate } from '@ketenlink/dates';
import {
  trajectoryFactEvent,
  trajectoryFactEvents,
  uniqueOrganisationId,
} from '@ketenlink/trajectory-facts';
import { OverdueSweepService } from '../application/deadlines/overdue-sweep.service';
import {
  type Client,
  counts,
  type HandoverTestApp,
  sourceEvent,
  startHandoverTestApp,
} from '../test-support/harness';

/**
 * The handover service against real PostgreSQL and Kafka: its facts (registry, participations,
 * consents, titles) and the package's sources (plan reviews) arrive as real events on their
 * topics; commands and reads go through HTTP, the gate and the access log.
 */
let t: HandoverTestApp;
const SENDER = uniqueOrganisationId('fz-sender');
const RECEIVER = uniqueOrganisationId('fz-receiver');
const OUTSIDER = uniqueOrganisationId('fz-outsider');
const PROBATION = uniqueOrganisationId('reclassering');
const ZVH = uniqueOrganisationId('zvh');
const today = calendarDate(new Date());
let sender: Client;
let receiver: Client;
let outsider: Client;

beforeAll(async () => {
  process.env.HANDOVER_RESPONSE_WITHIN_HOURS = '1';
  t = await startHandoverTestApp();
  await t.deliver([
    trajectoryFactEvents.organisation(SENDER, 'care-provider'),
    trajectoryFactEvents.organisation(RECEIVER, 'care-provider'),
    trajectoryFactEvents.organisation(OUTSIDER, 'care-provider'),
    trajectoryFactEvents.organisation(PROBATION, 'probation-service'),
    trajectoryFactEvents.organisation(ZVH, 'zvh'),
  ]);
  sender = await t.as(SENDER, ['coordinator']);
  receiver = await t.as(RECEIVER, ['coordinator']);
  outsider = await t.as(OUTSIDER, ['coordinator']);
});

afterAll(async () => {
  await t?.close();
});

/** A trajectory with the sender as provider, probation, a title, plan and risk assessment. */
async function trajectory(consents: { id: string; categories: string[] }[]): Promise<string> {
  const trajectoryId = randomUUID();
  const planId = randomUUID();
  await t.deliver([
    ...trajectoryFactEvents.trajectory({
      trajectoryId,
      opener: ZVH,
      openerRole: 'zvh',
      participants: [
        { organisationId: SENDER, role: 'provider' },
        { organisationId: PROBATION, role: 'probation' },
      ],
      titles: [
        {
          titleId: randomUUID(),
          kind: 'conditional-release',
          startDate: '2026-01-01',
          expectedEndDate: '2028-01-01',
          conditions: [{ type: 'abstinence', description: 'No alcohol or drugs' }],
        },
      ],
    }),
    ...consents.map((c) =>
      trajectoryFactEvent('nl.ketenlink.consent.granted.v1', {
        trajectoryId,
        consentId: c.id,
        recipient: { kind: 'organisation', id: RECEIVER },
        categories: c.categories as never,
        purpose: 'Warm handover to the receiving provider',
        legalBasis: 'consent',
        validFrom: new Date(Date.now() - 60_000).toISOString(),
      }),
    ),
    sourceEvent('nl.ketenlink.plan.versioned.v1', {
      trajectoryId,
      planId,
      version: 3,
      ownerOrganisationId: SENDER,
      coordinatingOrganisationId: SENDER,
      setting: 'sheltered-housing',
      definitive: true,
      goals: [
        {
          goalId: randomUUID(),
          description: 'Daytime activity four days a week',
          lifeArea: 'work-and-daytime',
          ownerOrganisationId: SENDER,
          targetDate: '2026-09-01',
        },
      ],
      earlyWarningPlan: {
        joint: true,
        signals: [
          {
            level: 'orange',
            description: 'Skips activities',
            actions: [
              {
                description: 'Extra check-in',
                ownerOrganisationId: SENDER,
                ownerRole: 'support-worker',
              },
            ],
          },
        ],
      },
      effectiveFrom: '2026-02-01',
      versionedByOrganisationId: SENDER,
      versionedAt: new Date().toISOString(),
    }),
    sourceEvent('nl.ketenlink.risk-assessment.recorded.v1', {
      trajectoryId,
      assessmentId: randomUUID(),
      instrument: 'HKT-R',
      level: 'moderate',
      authorOrganisationId: SENDER,
      setting: 'sheltered-housing',
      assessedOn: '2026-02-01',
      expiresOn: '2026-08-01',
      recordedAt: new Date().toISOString(),
    }),
  ]);
  return trajectoryId;
}

const requestBody = (trajectoryId: string) => ({
  trajectoryId,
  kind: 'housing-to-ambulant',
  receivingOrganisationId: RECEIVER,
  reason: 'Ready for ambulant support',
  plannedDate: addDays(today, 7),
});

async function accessLog(handoverTrajectory: string) {
  return (await t.ds.query(
    `SELECT organisation_id, resource, outcome, categories, legal_bases, reason
       FROM access_log WHERE trajectory_id = $1 ORDER BY id`,
    [handoverTrajectory],
  )) as { organisation_id: string; resource: string; outcome: string; categories: string[] }[];
}

it('a consent withdrawn between request and acceptance shrinks the package', async () => {
  const riskConsent = randomUUID();
  const id = await trajectory([
    { id: riskConsent, categories: ['risk'] },
    { id: randomUUID(), categories: ['plan-and-goals', 'title-and-conditions'] },
  ]);
  const requested = await sender.post('/handovers', requestBody(id));
  expect(requested.status).toBe(201);
  const handoverId = requested.body.id as string;
  expect(requested.body.packageLeftOut).toEqual(
    expect.arrayContaining([expect.objectContaining({ item: 'closingReport.risks' })]),
  );

  // Before accepting, the receiver sees the request but not the package (403, logged).
  expect((await receiver.get(`/handovers/${handoverId}`)).status).toBe(200);
  expect((await receiver.get(`/handovers/${handoverId}/package`)).status).toBe(403);

  const report = await sender.post(`/handovers/${handoverId}/closing-report`, {
    risks: 'Relapse when evenings are unstructured',
    whatWorks: 'Fixed day rhythm',
    whyEnded: 'Ready to live on his own',
  });
  expect(report.status).toBe(200);

  // The client withdraws the risk consent before the receiver accepts.
  await t.deliver([
    trajectoryFactEvent('nl.ketenlink.consent.revoked.v1', {
      trajectoryId: id,
      consentId: riskConsent,
      revokedAt: new Date().toISOString(),
    }),
  ]);
  expect((await receiver.post(`/handovers/${handoverId}/accept`)).status).toBe(200);

  const pkg = await receiver.get(`/handovers/${handoverId}/package`);
  expect(pkg.status).toBe(200);
  expect(pkg.body).toMatchObject({
    titles: [expect.objectContaining({ kind: 'conditional-release' })],
    plan: expect.objectContaining({ version: 3 }),
    closingReport: { whatWorks: 'Fixed day rhythm', whyEnded: 'Ready to live on his own' },
  });
  expect(pkg.body).not.toHaveProperty('riskAssessment');
  expect(pkg.body).not.toHaveProperty('earlyWarningPlan');
  expect(pkg.body.closingReport).not.toHaveProperty('risks');
  expect(pkg.body.leftOut.map((l: { item: string }) => l.item).sort()).toEqual([
    'closingReport.risks',
    'earlyWarningPlan',
    'riskAssessment',
  ]);

  const log = await accessLog(id);
  expect(log.filter((r) => r.resource === 'handover-package')).toEqual([
    expect.objectContaining({ organisation_id: RECEIVER, outcome: 'denied', categories: [] }),
    expect.objectContaining({
      organisation_id: RECEIVER,
      outcome: 'disclosed',
      categories: ['metadata', 'participation', 'plan-and-goals', 'title-and-conditions'],
    }),
  ]);
});

it('with the consent in force the package carries risk, early-warning plan and the report', async () => {
  const id = await trajectory([
    { id: randomUUID(), categories: ['risk', 'plan-and-goals', 'title-and-conditions'] },
  ]);
  const handoverId = (await sender.post('/handovers', requestBody(id))).body.id as string;
  expect((await receiver.post(`/handovers/${handoverId}/accept`)).status).toBe(200);
  const pkg = await receiver.get(`/handovers/${handoverId}/package`);
  expect(pkg.body).toMatchObject({
    riskAssessment: { instrument: 'HKT-R', level: 'moderate' },
    earlyWarningPlan: { signals: [expect.objectContaining({ level: 'orange' })] },
  });
  expect(pkg.body.leftOut).toEqual([
    expect.objectContaining({
      item: 'closingReport.risks',
      reason: expect.stringMatching(/not available/),
    }),
    expect.objectContaining({ item: 'closingReport.whatWorks' }),
    expect.objectContaining({ item: 'closingReport.whyEnded' }),
  ]);
});

describe('bad input and wrong parties: 4xx, nothing stored or emitted', () => {
  let id: string;
  beforeAll(async () => {
    id = await trajectory([]);
  });

  it.each([
    ['unknown field', 400, (b: object) => ({ ...b, extra: 1 })],
    ['kind not in the list', 400, (b: object) => ({ ...b, kind: 'jail-to-moon' })],
    ['planned date in the past', 422, (b: object) => ({ ...b, plannedDate: '2020-01-01' })],
    [
      'receiver not registered',
      422,
      (b: object) => ({ ...b, receivingOrganisationId: 'nobody-x' }),
    ],
    ['receiver is the sender', 422, (b: object) => ({ ...b, receivingOrganisationId: SENDER })],
    ['follow-on care missing', 422, (b: object) => ({ ...b, kind: 'end-of-title-follow-on' })],
  ])('%s → %i', async (_what, status, change) => {
    const before = await counts(t.ds);
    const res = await sender.post('/handovers', change(requestBody(id)));
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await counts(t.ds)).toEqual(before);
  });

  it('an organisation that does not take part cannot request (422) nor see a handover (404)', async () => {
    const before = await counts(t.ds);
    expect((await outsider.post('/handovers', requestBody(id))).status).toBe(422);
    expect(await counts(t.ds)).toEqual(before);
    const handoverId = (await sender.post('/handovers', requestBody(id))).body.id as string;
    expect((await outsider.get(`/handovers/${handoverId}`)).status).toBe(404);
    expect((await outsider.get(`/handovers/${handoverId}/package`)).status).toBe(404);

    // The sender cannot accept its own request; completion before acceptance is refused.
    const mid = await counts(t.ds);
    const own = await sender.post(`/handovers/${handoverId}/accept`);
    expect(own.status).toBe(409);
    expect(own.body.type).toMatch(/wrong-handover-party/);
    const early = await sender.post(`/handovers/${handoverId}/complete`, {
      senderLeavesOn: addDays(today, 14),
    });
    expect(early.status).toBe(409);
    expect(await counts(t.ds)).toEqual(mid);
    expect((await receiver.get(`/handovers/${handoverId}`)).body.status).toBe('requested');
  });

  it('a token of an unregistered organisation gets 403', async () => {
    const stranger = await t.as(uniqueOrganisationId('fz-unknown'), ['coordinator']);
    expect((await stranger.get('/handovers')).status).toBe(403);
  });
});

it('an unanswered request raises handover.overdue once, after the configured time', async () => {
  const id = await trajectory([]);
  const handoverId = (await sender.post('/handovers', requestBody(id))).body.id as string;
  const sweep = t.app.get(OverdueSweepService);
  const overdue = async () =>
    (
      (await t.ds.query(
        `SELECT count(*)::int AS n FROM outbox WHERE type = 'nl.ketenlink.handover.overdue.v1'
            AND payload->>'handoverId' = $1`,
        [handoverId],
      )) as { n: number }[]
    )[0]!.n;
  await sweep.sweep(new Date(Date.now() + 30 * 60_000));
  expect(await overdue()).toBe(0);
  await sweep.sweep(new Date(Date.now() + 61 * 60_000));
  await sweep.sweep(new Date(Date.now() + 120 * 60_000));
  expect(await overdue()).toBe(1);
});
