import { randomUUID } from 'node:crypto';
import { mintDevToken, type Role } from '@ketenlink/auth';
import { type EventPayloads, schemaUriOf, topicOf, validatePayload } from '@ketenlink/contracts';
import { addDays, calendarDate, nextDate, startOfDay } from '@ketenlink/dates';
import {
  buildCloudEvent,
  kafkaClients,
  type ProducerPort,
  toKafkaRecord,
} from '@ketenlink/messaging';
import { waitFor } from '@ketenlink/testing';
import {
  E2E_TOPIC_PREFIX,
  migrateService,
  registerOrganisations,
  type RunningService,
  startService,
  stopService,
} from '../support/platform';

/**
 * DOMAIN.md scenarios 2 ("through the gate") and 5 ("self-reported relapse → clinic") across the
 * trajectory and handover services, each its own process. Plan reviews is not on main yet: its
 * events (plan.versioned, risk-assessment.recorded) are published on its real topic, as it
 * would. Completion moves responsibility: the receiver joins, the sender's participation ends at
 * the agreed date; the receiving side sees exactly the consented package.
 */
describe('warm handovers across services (R-HANDOVER)', () => {
  let trajectory: RunningService | undefined;
  let handover: RunningService | undefined;
  let producer: ProducerPort;
  const run = randomUUID().slice(0, 6);
  const PI = `pi-e2e-${run}`;
  const ZVH = `zvh-e2e-${run}`;
  const PROBATION = `reclassering-e2e-${run}`;
  const HOUSING = `fz-e2e-housing-${run}`;
  const CLINIC = `fz-e2e-clinic-${run}`;
  const today = calendarDate(new Date());

  beforeAll(async () => {
    migrateService('trajectory');
    migrateService('handover');
    [trajectory, handover] = await Promise.all([
      startService('trajectory', 13066),
      startService('handover', 13067, undefined, {
        env: { HANDOVER_OVERDUE_SWEEP_INTERVAL_MS: '0' },
      }),
    ]);
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
    await Promise.all([stopService(trajectory), stopService(handover)]);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read field by field
  type Answer = { status: number; body: any };
  type Call = (method: string, path: string, body?: object) => Promise<Answer>;
  const call = (svc: () => RunningService, claims: Parameters<typeof mintDevToken>[0]): Call => {
    const token = mintDevToken(claims);
    return async (method, path, body) => {
      const res = await fetch(`${svc().url}${path}`, {
        method,
        headers: { authorization: `Bearer ${await token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: await res.json().catch(() => ({})) };
    };
  };
  const staff = (svc: () => RunningService, org: string, roles: Role[]) =>
    call(svc, { sub: `e2e-${org}`, org, roles });
  const T = () => trajectory!;
  const H = () => handover!;

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
    // The client admitted use at the driegesprek: a new assessment for the changed context.
    await review('nl.ketenlink.risk-assessment.recorded.v1', {
      trajectoryId: id,
      assessmentId: randomUUID(),
      instrument: 'HKT-R',
      level: 'high',
      authorOrganisationId: HOUSING,
      setting: 'sheltered-housing',
      assessedOn: today,
      expiresOn: addDays(today, 90),
      reason: 'context-change',
      recordedAt: new Date().toISOString(),
    });
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
  }, 120_000);
});
