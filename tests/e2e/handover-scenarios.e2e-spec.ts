import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Role } from '@ketenlink/auth';
import { type EventPayloads, schemaUriOf, topicOf, validatePayload } from '@ketenlink/contracts';
import { addDays, calendarDate, nextDate, startOfDay } from '@ketenlink/dates';
import {
  buildCloudEvent,
  kafkaClients,
  type ProducerPort,
  toKafkaRecord,
} from '@ketenlink/messaging';
import { databaseUrlFor } from '@ketenlink/persistence';
import { REPO_ROOT, waitFor } from '@ketenlink/testing';
import { Client } from 'pg';
import {
  type Answer,
  type Call,
  caller as call,
  E2E_TOPIC_PREFIX,
  migrateService,
  registerOrganisations,
  type RunningService,
  staffCaller as staff,
  startService,
  stopService,
} from '../support/platform';

/**
 * DOMAIN.md scenarios 2 ("through the gate") and 5 ("self-reported relapse → clinic") across the
 * trajectory, handover and plan-reviews services, each its own process. Scenario 2's plan and
 * assessment are put on the reviews topic by the test (as plan reviews publishes them); in
 * scenario 5 the provider records its assessment through plan reviews. Completion moves
 * responsibility: the receiver joins and takes over the reviews (plan reviews' agenda), the
 * sender's participation ends at the agreed date — shown by moving plan reviews' clock (its
 * offset file) past that date: the sender's read is refused by the gate and logged. The
 * receiving side sees exactly the consented package.
 */
const DAY = 86_400_000;
const CLOCK_FILE = path.join(
  REPO_ROOT,
  '.data',
  `handover-reviews-clock-${randomUUID().slice(0, 8)}`,
);
const setReviewsClockDays = (days: number) => writeFileSync(CLOCK_FILE, String(days * DAY));
describe('warm handovers across services (R-HANDOVER)', () => {
  let trajectory: RunningService | undefined;
  let handover: RunningService | undefined;
  let reviews: RunningService | undefined;
  let producer: ProducerPort;
  const run = randomUUID().slice(0, 6);
  const PI = `pi-e2e-${run}`;
  const ZVH = `zvh-e2e-${run}`;
  const PROBATION = `reclassering-e2e-${run}`;
  const HOUSING = `fz-e2e-housing-${run}`;
  const CLINIC = `fz-e2e-clinic-${run}`;
  const today = calendarDate(new Date());

  beforeAll(async () => {
    mkdirSync(path.dirname(CLOCK_FILE), { recursive: true });
    setReviewsClockDays(0);
    migrateService('trajectory');
    migrateService('handover');
    migrateService('plan-reviews');
    // allSettled: a service that fails to start must not leave the others running unstopped.
    const started = await Promise.allSettled([
      startService('trajectory', 13066),
      startService('handover', 13067, undefined, {
        env: { HANDOVER_OVERDUE_SWEEP_INTERVAL_MS: '0' },
      }),
      startService('plan-reviews', 13068, undefined, {
        env: { PLAN_REVIEWS_CLOCK_OFFSET_FILE: CLOCK_FILE, PLAN_REVIEWS_TIMER_INTERVAL_MS: '0' },
      }),
    ]);
    [trajectory, handover, reviews] = started.map((s) =>
      s.status === 'fulfilled' ? s.value : undefined,
    );
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    await registerOrganisations(trajectory!, [
      { id: PI, kind: 'prison' },
      { id: ZVH, kind: 'zvh' },
      { id: PROBATION, kind: 'probation-service' },
      { id: HOUSING, kind: 'care-provider' },
      { id: CLINIC, kind: 'care-provider' },
    ]);
    producer = kafkaClients({ clientId: `e2e-reviews-${run}` }).producer();
    await producer.connect();
  }, 180_000);

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all([stopService(trajectory), stopService(handover), stopService(reviews)]);
    rmSync(CLOCK_FILE, { force: true });
  });

  const T = () => trajectory!;
  const H = () => handover!;
  const R = () => reviews!;

  /** Plan reviews' agenda of `org` (scheduled items too), this trajectory's items only. */
  const agendaOf = async (org: string, roles: Role[], id: string) => {
    const res = await staff(R, org, roles)('GET', '/agenda?include=scheduled&limit=200');
    expect(res.status).toBe(200);
    return (res.body.items as { trajectoryId: string }[]).filter((i) => i.trajectoryId === id) as {
      trajectoryId: string;
      ruleId: string;
      responsibleOrganisationId: string;
      kind?: string;
      dueOn?: string;
    }[];
  };

  /** Plan reviews' access-log rows of `org` on trajectory `id`. */
  const reviewsAccessLog = async (org: string, id: string) => {
    const db = new Client({ connectionString: databaseUrlFor('plan_reviews', { test: true }) });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT resource, outcome, at FROM access_log
          WHERE organisation_id = $1 AND trajectory_id = $2 ORDER BY id`,
        [org, id],
      );
      return rows as { resource: string; outcome: string; at: Date }[];
    } finally {
      await db.end();
    }
  };

  /** Publishes an event of plan reviews on its topic (this run's prefix), keyed by trajectory. */
  async function review<K extends keyof EventPayloads>(type: K, data: EventPayloads[K]) {
    const valid = validatePayload(type, data);
    if (!valid.ok) throw new Error(valid.errors.join('; '));
    const e = buildCloudEvent({
      type,
      source: 'plan-reviews',
      subject: (data as { trajectoryId: string }).trajectoryId,
      dataschema: schemaUriOf(type),
      data,
    });
    await producer.send([{ topic: `${E2E_TOPIC_PREFIX}${topicOf(type)}`, ...toKafkaRecord(e) }]);
  }

  const participants = async (id: string) => {
    const res = await staff(T, ZVH, ['zvh-coordinator'])('GET', `/trajectories/${id}/participants`);
    expect(res.status).toBe(200);
    return res.body.items as {
      organisationId: string;
      role: string;
      from: string;
      until?: string;
    }[];
  };

  /** The whole warm handover as its coordinators drive it; returns the handover id. */
  async function warmHandover(
    from: Call,
    to: Call,
    body: object,
    leavesOn: string,
    /** When the package's sources (plan reviews' events) have arrived. */
    ready: (pkg: Answer['body']) => boolean,
  ): Promise<{ id: string; pkg: Answer }> {
    // The handover service learns of the trajectory from Kafka: retry until it knows it.
    const requested = await waitFor(
      async () => {
        const r = await from('POST', '/handovers', body);
        return r.status === 201 ? r : undefined;
      },
      { timeoutMs: 30_000, what: 'handover requested' },
    );
    const id = requested.body.id as string;
    expect((await to('GET', `/handovers/${id}/package`)).status).toBe(403); // not accepted yet
    expect((await to('POST', `/handovers/${id}/accept`)).status).toBe(200);
    const meeting = await from('POST', `/handovers/${id}/meeting`, {
      meetingAt: new Date(Date.now() + 3_600_000).toISOString(),
      location: 'Visiting room',
    });
    expect(meeting.status).toBe(200);
    const held = await to('POST', `/handovers/${id}/meeting-held`, {
      heldAt: new Date().toISOString(),
      clientPresent: true,
      receiverPresent: true,
      probationPresent: true,
    });
    expect(held.body.meetingHeld).toMatchObject({ warm: true });
    expect(
      (
        await from('POST', `/handovers/${id}/closing-report`, {
          risks: 'Relapse when evenings are empty',
          whatWorks: 'Clear agreements, weekly contact',
          whyEnded: 'Care continues elsewhere',
        })
      ).status,
    ).toBe(200);
    // What the receiver reads before completion, through the handover's grants (ADR 0032).
    const pkg = await waitFor(
      async () => {
        const r = await to('GET', `/handovers/${id}/package`);
        return r.status === 200 && ready(r.body) ? r : undefined;
      },
      { what: 'the package sources projected' },
    );
    const done = await from('POST', `/handovers/${id}/complete`, { senderLeavesOn: leavesOn });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
    return { id, pkg };
  }

  it('scenario 2, through the gate: prison → housing, the package is exactly what the client consented', async () => {
    const pi = staff(T, PI, ['coordinator']);
    const opened = await pi('POST', '/trajectories', {
      region: 'Utrecht',
      participantRole: 'referrer',
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    for (const [organisationId, role] of [
      [ZVH, 'zvh'],
      [PROBATION, 'probation'],
    ]) {
      expect(
        (
          await pi('POST', `/trajectories/${id}/participants`, {
            organisationId,
            role,
            from: today,
          })
        ).status,
      ).toBe(201);
    }
    const title = await staff(T, PROBATION, ['probation-officer'])(
      'POST',
      `/trajectories/${id}/titles`,
      {
        kind: 'conditional-release',
        startDate: today,
        expectedEndDate: addDays(today, 365),
        conditions: [{ type: 'abstinence', description: 'No alcohol or drugs' }],
      },
    );
    expect(title.status).toBe(201);
    // The client consents that the housing provider receives conditions and plan, not risk.
    const client = call(T, { sub: `client-${run}`, kind: 'client', trajectory: id });
    const consent = await client('POST', '/me/trajectory/consents', {
      recipient: { kind: 'organisation', id: HOUSING },
      categories: ['title-and-conditions', 'plan-and-goals'],
      purpose: 'Warm handover from prison to sheltered housing',
      legalBasis: 'consent',
      onWordOf: 'client',
    });
    expect(consent.status).toBe(201);
    await review('nl.ketenlink.plan.versioned.v1', {
      trajectoryId: id,
      planId: randomUUID(),
      version: 1,
      ownerOrganisationId: PI,
      coordinatingOrganisationId: ZVH,
      setting: 'prison',
      definitive: true,
      goals: [
        {
          goalId: randomUUID(),
          description: 'A room in the new region',
          ownerOrganisationId: PI,
          targetDate: addDays(today, 60),
        },
      ],
      effectiveFrom: today,
      versionedByOrganisationId: PI,
      versionedAt: new Date().toISOString(),
    });
    await review('nl.ketenlink.risk-assessment.recorded.v1', {
      trajectoryId: id,
      assessmentId: randomUUID(),
      instrument: 'RISc',
      level: 'moderate',
      authorOrganisationId: PROBATION,
      setting: 'prison',
      assessedOn: today,
      expiresOn: addDays(today, 180),
      recordedAt: new Date().toISOString(),
    });

    const housing = staff(H, HOUSING, ['coordinator']);
    const leavesOn = addDays(today, 7);
    const { pkg } = await warmHandover(
      staff(H, PI, ['coordinator']),
      housing,
      {
        trajectoryId: id,
        kind: 'prison-to-housing',
        receivingOrganisationId: HOUSING,
        reason: 'Release; the client chose a new region',
        plannedDate: today,
      },
      leavesOn,
      (b) =>
        b.plan !== undefined &&
        b.leftOut?.every(
          (l: { item: string }) =>
            l.item !== 'riskAssessment' || !/not available/.test(JSON.stringify(l)),
        ),
    );

    // Participants change: housing joins as provider, the prison leaves after the agreed date.
    await waitFor(async () => (await participants(id)).some((p) => p.organisationId === HOUSING), {
      timeoutMs: 30_000,
      what: 'housing joined',
    });
    const rows = await participants(id);
    expect(rows.find((p) => p.organisationId === HOUSING)).toMatchObject({ role: 'provider' });
    expect(rows.find((p) => p.organisationId === PI)).toMatchObject({
      until: startOfDay(nextDate(leavesOn)).toISOString(),
    });

    // The package: conditions, plan and the consented part of the closing report; no risk.
    expect(pkg.body.titles).toEqual([expect.objectContaining({ kind: 'conditional-release' })]);
    expect(pkg.body.closingReport).toEqual({
      whatWorks: 'Clear agreements, weekly contact',
      whyEnded: 'Care continues elsewhere',
      recordedAt: expect.any(String),
    });
    expect(pkg.body).not.toHaveProperty('riskAssessment');
    expect(pkg.body.leftOut.map((l: { item: string }) => l.item).sort()).toEqual([
      'closingReport.risks',
      'earlyWarningPlan',
      'riskAssessment',
    ]);
    // The sender still takes part until its last day (the gate ends it at `until`).
    expect((await pi('GET', `/trajectories/${id}`)).status).toBe(200);
    expect((await staff(T, HOUSING, ['coordinator'])('GET', `/trajectories/${id}`)).status).toBe(
      200,
    );
  }, 120_000);

  it('scenario 5, self-reported relapse: housing → clinic, the clinic receives the new risk picture', async () => {
    const zvh = staff(T, ZVH, ['zvh-coordinator']);
    const opened = await zvh('POST', '/trajectories', { region: 'Twente' });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    for (const [organisationId, role] of [
      [HOUSING, 'provider'],
      [PROBATION, 'probation'],
    ]) {
      expect(
        (
          await zvh('POST', `/trajectories/${id}/participants`, {
            organisationId,
            role,
            from: today,
          })
        ).status,
      ).toBe(201);
    }
    const client = call(T, { sub: `client5-${run}`, kind: 'client', trajectory: id });
    expect(
      (
        await client('POST', '/me/trajectory/consents', {
          recipient: { kind: 'organisation', id: CLINIC },
          categories: ['risk', 'plan-and-goals'],
          purpose: 'Clinical admission after relapse',
          legalBasis: 'consent',
          onWordOf: 'client',
        })
      ).status,
    ).toBe(201);
    // The client admitted use at the driegesprek: the housing provider records a new assessment
    // for the changed context in plan reviews (retried until its projection knows the trajectory).
    const housingReviews = staff(R, HOUSING, ['coordinator']);
    await waitFor(
      async () => {
        const r = await housingReviews('POST', `/trajectories/${id}/risk-assessments`, {
          instrument: 'HKT-R',
          level: 'high',
          setting: 'sheltered-housing',
          assessedOn: today,
          expiresOn: addDays(today, 90),
          reason: 'context-change',
        });
        return r.status === 201 ? r : undefined;
      },
      { timeoutMs: 30_000, what: 'assessment recorded in plan reviews' },
    );
    // Its reassessment at expiry falls to the case lead (no provider placed through intake).
    await waitFor(
      async () =>
        (await agendaOf(ZVH, ['zvh-coordinator'], id)).some(
          (i) => i.ruleId === 'R-RISK' && i.responsibleOrganisationId === ZVH,
        ),
      { timeoutMs: 30_000, what: "the reassessment on the ZVH's agenda" },
    );
    const clinic = staff(H, CLINIC, ['coordinator']);
    const { pkg } = await warmHandover(
      staff(H, HOUSING, ['coordinator']),
      clinic,
      {
        trajectoryId: id,
        kind: 'provider-to-provider',
        receivingOrganisationId: CLINIC,
        reason: 'Self-reported relapse: clinical treatment',
        plannedDate: today,
      },
      today,
      (b) => b.riskAssessment !== undefined,
    );
    await waitFor(async () => (await participants(id)).some((p) => p.organisationId === CLINIC), {
      timeoutMs: 30_000,
      what: 'clinic joined',
    });
    expect((await participants(id)).find((p) => p.organisationId === HOUSING)).toMatchObject({
      until: startOfDay(nextDate(today)).toISOString(),
    });
    expect(pkg.body.riskAssessment).toMatchObject({ instrument: 'HKT-R', level: 'high' });
    expect(pkg.body.closingReport).toMatchObject({ risks: 'Relapse when evenings are empty' });
    expect(pkg.body).not.toHaveProperty('titles'); // no consent for conditions (and none recorded)

    // (a) The clinic now has the trajectory's reviews on its agenda in plan reviews: the
    // reassessment (R-RISK; today's assessment already answers the change of context, so it is
    // due at the assessment's expiry) moved from the case lead to the clinic.
    const onClinicAgenda = await waitFor(
      async () => {
        const items = await agendaOf(CLINIC, ['coordinator'], id);
        return items.some((i) => i.kind === 'risk-reassessment') ? items : undefined;
      },
      { timeoutMs: 30_000, what: "the reviews on the clinic's agenda" },
    );
    expect(onClinicAgenda).toEqual([
      expect.objectContaining({
        ruleId: 'R-RISK',
        kind: 'risk-reassessment',
        responsibleOrganisationId: CLINIC,
        dueOn: addDays(today, 90),
      }),
    ]);
    expect(await agendaOf(ZVH, ['zvh-coordinator'], id)).toEqual([]);

    // (b) The sender takes part until the end of the agreed leave date (today): plan reviews'
    // gate lets it read now, and refuses it once its clock is past that date — logged.
    const housingReads = () => housingReviews('GET', `/trajectories/${id}/risk-assessments`);
    expect((await housingReads()).status).toBe(200);
    setReviewsClockDays(1);
    const refused = await housingReads();
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ status: 404 });
    const clinicReads = await staff(R, CLINIC, ['coordinator'])(
      'GET',
      `/trajectories/${id}/risk-assessments`,
    );
    expect(clinicReads.status).toBe(200); // the receiver reads on as the provider it became
    expect(clinicReads.body.items[0]).toMatchObject({ instrument: 'HKT-R' });
    const log = await reviewsAccessLog(HOUSING, id);
    expect(log.map((r) => r.outcome)).toEqual(expect.arrayContaining(['disclosed', 'denied']));
    const denied = log.filter((r) => r.outcome === 'denied').at(-1)!;
    expect(denied.at.getTime()).toBeGreaterThanOrEqual(startOfDay(nextDate(today)).getTime());
    setReviewsClockDays(0);
  }, 120_000);
});
