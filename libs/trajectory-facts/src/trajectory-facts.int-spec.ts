import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Controller, Inject, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { TitleChangedV1 } from '@ketenlink/contracts';
import { startOfDay } from '@ketenlink/dates';
import { entitlementOf } from '@ketenlink/disclosure';
import {
  CONTEXT_TOPICS,
  EventContext,
  kafkaClients,
  OutboxInbox1763900000000,
  type ProducerPort,
} from '@ketenlink/messaging';
import { DatabaseModule, databaseUrlFor } from '@ketenlink/persistence';
import { connectEventConsumer } from '@ketenlink/service-runtime';
import { openTestDatabase, waitFor } from '@ketenlink/testing';
import type { DataSource } from 'typeorm';
import {
  ProjectedOrganisationDirectory,
  publishTrajectoryFacts,
  TRAJECTORY_FACTS,
  TRAJECTORY_FACTS_MIGRATIONS,
  trajectoryFactEvent,
  trajectoryFactEvents,
  trajectoryFactsProjected,
  TrajectoryFactsModule,
  type TrajectoryFactsPort,
  uniqueOrganisationId,
} from './index';

/**
 * The facts projection against real Kafka and PostgreSQL: schema-valid events published on the
 * trajectory topic, consumed by a service's own consumer (connectEventConsumer, inbox), read back
 * as the gate's facts; repeats and late arrivals change nothing; a service's own handler of the
 * same event type runs after the projection in the same inbox transaction.
 */
const SERVICE = 'trajectory-facts';
const MIGRATIONS = [OutboxInbox1763900000000, ...TRAJECTORY_FACTS_MIGRATIONS];
const PROBATION = uniqueOrganisationId('rn');
const PROVIDER = uniqueOrganisationId('fz');
const ZVH = uniqueOrganisationId('zvh');

/** What the service's own title.changed handler saw of the projection, inside its transaction. */
const seenByOwnHandler = new Map<string, unknown>();

@Controller()
class ServiceOwnTitleHandler {
  constructor(@Inject(TRAJECTORY_FACTS) private readonly facts: TrajectoryFactsPort) {}

  @EventPattern('nl.ketenlink.title.changed.v1')
  async onChanged(@Payload() data: TitleChangedV1, @Ctx() ctx: EventContext): Promise<void> {
    const titles = await this.facts.titlesOf(data.trajectoryId, ctx.getTransaction());
    seenByOwnHandler.set(data.titleId, titles.find((t) => t.titleId === data.titleId)?.conditions);
  }
}

@Module({
  imports: [
    DatabaseModule.forRoot({
      service: SERVICE,
      url: databaseUrlFor(SERVICE, { test: true }),
      entities: [],
      migrations: MIGRATIONS,
    }),
    TrajectoryFactsModule.forRoot(),
  ],
  controllers: [ServiceOwnTitleHandler],
})
class FactsTestModule {}

let ds: DataSource;
let app: INestApplication;
let facts: TrajectoryFactsPort;
let directory: ProjectedOrganisationDirectory;
let producer: ProducerPort;
const kafka = kafkaClients({ clientId: 'trajectory-facts-int' });

async function publish(events: Parameters<typeof publishTrajectoryFacts>[1]): Promise<void> {
  await publishTrajectoryFacts(producer, events);
  await waitFor(() => trajectoryFactsProjected(ds, events), {
    timeoutMs: 60_000,
    what: `${events.length} events projected`,
  });
}

beforeAll(async () => {
  ds = await openTestDatabase({ service: SERVICE, migrations: MIGRATIONS });
  app = await NestFactory.create(FactsTestModule, { logger: false });
  await app.init();
  const consumer = await connectEventConsumer(app, {
    name: SERVICE,
    group: `facts-int-${randomUUID().slice(0, 8)}`,
    topics: [CONTEXT_TOPICS.trajectory],
  });
  await app.startAllMicroservices();
  await waitFor(() => consumer.state() === 'running', { timeoutMs: 60_000, what: 'group joined' });
  producer = kafka.producer();
  await producer.connect();
  facts = app.get(TRAJECTORY_FACTS);
  directory = app.get(ProjectedOrganisationDirectory);
}, 120_000);

afterAll(async () => {
  await producer?.disconnect();
  await app?.close();
  await ds?.destroy();
});

describe('trajectory facts projected from real events (Kafka + PostgreSQL)', () => {
  it('participations, consent history, titles, case lead and the end of the legal duty', async () => {
    const titleId = randomUUID();
    const events = trajectoryFactEvents.trajectory({
      opener: PROBATION,
      openerRole: 'probation',
      participants: [{ organisationId: PROVIDER, role: 'provider', from: '2026-01-05' }],
      titles: [
        {
          titleId,
          kind: 'conditional-release',
          startDate: '2026-01-01',
          expectedEndDate: '2027-01-01',
          conditions: [{ type: 'abstinence', description: 'no alcohol' }],
        },
      ],
    });
    const t = events[0]!.subject;
    const consentId = randomUUID();
    const granted = trajectoryFactEvent('nl.ketenlink.consent.granted.v1', {
      trajectoryId: t,
      consentId,
      recipient: { kind: 'organisation', id: ZVH },
      categories: ['risk'],
      purpose: 'safety meeting',
      legalBasis: 'consent',
      validFrom: '2026-02-01T00:00:00.000Z',
    });
    const revoked = trajectoryFactEvent('nl.ketenlink.consent.revoked.v1', {
      trajectoryId: t,
      consentId,
      revokedAt: '2026-03-01T00:00:00.000Z',
    });
    const transferred = trajectoryFactEvent('nl.ketenlink.trajectory.case-lead-transferred.v1', {
      trajectoryId: t,
      fromOrganisationId: PROBATION,
      toOrganisationId: PROVIDER,
      at: new Date().toISOString(),
    });
    await publish([...events, granted, revoked, transferred]);

    const f = await facts.factsOf(t);
    expect(f).toMatchObject({ trajectoryId: t });
    // The fixture's events share one time, so the projection's order (join time, then event id)
    // is arbitrary between them: compare as a set, by role.
    const byRole = [...f!.participations].sort((a, b) => a.role.localeCompare(b.role));
    expect(byRole).toEqual([
      expect.objectContaining({ organisationId: PROBATION, role: 'probation' }),
      { organisationId: PROVIDER, role: 'provider', from: startOfDay('2026-01-05') },
    ]);
    // The full history: a withdrawn record stays, with its withdrawal (the gate decides at an instant).
    expect(f!.consents).toEqual([
      {
        id: consentId,
        recipient: { kind: 'organisation', id: ZVH },
        categories: ['risk'],
        purpose: 'safety meeting',
        legalBasis: 'consent',
        validFrom: new Date('2026-02-01T00:00:00Z'),
        revokedAt: new Date('2026-03-01T00:00:00Z'),
      },
    ]);
    expect(f!.legalDutyUntil).toBeUndefined();
    expect(await facts.caseLeadOf(t)).toBe(PROVIDER);

    const changed = trajectoryFactEvent('nl.ketenlink.title.changed.v1', {
      trajectoryId: t,
      titleId,
      effectiveFrom: '2026-04-01',
      conditions: [{ type: 'treatment', description: 'weekly sessions' }],
    });
    const ended = trajectoryFactEvent('nl.ketenlink.title.ended.v1', {
      trajectoryId: t,
      titleId,
      endedOn: '2026-06-01',
      reason: 'ended-early-hearing',
    });
    await publish([changed, ended]);
    // The service's own handler ran after the projection, in its transaction.
    expect(seenByOwnHandler.get(titleId)).toEqual([
      { type: 'treatment', description: 'weekly sessions' },
    ]);
    expect(await facts.titlesOf(t)).toEqual([
      {
        titleId,
        kind: 'conditional-release',
        startDate: '2026-01-01',
        expectedEndDate: '2027-01-01',
        endedOn: '2026-06-01',
        conditions: [{ type: 'treatment', description: 'weekly sessions' }],
      },
    ]);
    const after = await facts.factsOf(t);
    expect(after!.legalDutyUntil).toEqual(startOfDay('2026-06-01'));
    // The gate with these facts: probation's title-bound duty has ended (R-TITLE-END).
    const probation = { subject: 's', organisationId: PROBATION, roles: ['coordinator'] };
    const at = new Date();
    expect(entitlementOf(probation, after!, at).permitted.has('title-and-conditions')).toBe(false);
    expect(entitlementOf(probation, f!, at).permitted.has('title-and-conditions')).toBe(true);
  }, 90_000);

  it('a repeat changes nothing; late arrivals (left before joined, revoke before grant, an older change) are safe', async () => {
    const [opened, openerJoined] = trajectoryFactEvents.trajectory({ opener: PROBATION });
    const t = opened!.subject;
    const joined = trajectoryFactEvents.joined(t, { organisationId: ZVH, role: 'zvh' });
    const left = trajectoryFactEvents.left(t, ZVH, 'zvh', new Date(Date.now() + 1000));
    const consentId = randomUUID();
    const revoked = trajectoryFactEvent('nl.ketenlink.consent.revoked.v1', {
      trajectoryId: t,
      consentId,
      revokedAt: '2026-03-01T00:00:00.000Z',
    });
    const granted = trajectoryFactEvent('nl.ketenlink.consent.granted.v1', {
      trajectoryId: t,
      consentId,
      recipient: { kind: 'class', id: 'relatives' },
      categories: ['plan-and-goals'],
      purpose: 'family',
      legalBasis: 'consent',
      validFrom: '2026-02-01T00:00:00.000Z',
    });
    const titleId = randomUUID();
    const registered = trajectoryFactEvent('nl.ketenlink.title.registered.v1', {
      trajectoryId: t,
      titleId,
      kind: 'other',
      startDate: '2026-01-01',
      expectedEndDate: '2027-01-01',
    });
    const newer = trajectoryFactEvent(
      'nl.ketenlink.title.changed.v1',
      { trajectoryId: t, titleId, effectiveFrom: '2026-05-01', expectedEndDate: '2028-01-01' },
      { time: new Date(Date.now() + 2000) },
    );
    const older = trajectoryFactEvent(
      'nl.ketenlink.title.changed.v1',
      { trajectoryId: t, titleId, effectiveFrom: '2026-03-01', expectedEndDate: '2027-06-01' },
      { time: new Date(Date.now() - 2000) },
    );
    // Emitted in order, delivered out of order (and some twice).
    await publish([
      left,
      opened!,
      revoked,
      openerJoined!,
      joined,
      granted,
      newer,
      registered,
      older,
    ]);
    await publish([joined, granted, left]);

    const f = await facts.factsOf(t);
    expect(f!.participations.find((p) => p.organisationId === ZVH)).toEqual({
      organisationId: ZVH,
      role: 'zvh',
      from: expect.any(Date),
      until: new Date(left.data.at),
    });
    expect(f!.participations).toHaveLength(2);
    expect(f!.consents).toEqual([
      expect.objectContaining({
        id: consentId,
        recipient: { kind: 'class', id: 'relatives' },
        revokedAt: new Date('2026-03-01T00:00:00Z'),
      }),
    ]);
    expect((await facts.titlesOf(t))[0]).toMatchObject({ expectedEndDate: '2028-01-01' });

    // A re-join after leaving is a new participation the earlier left does not end.
    const rejoined = trajectoryFactEvents.joined(t, { organisationId: ZVH, role: 'zvh' });
    await publish([rejoined, left]);
    const zvh = (await facts.participationsOf(t)).filter((p) => p.organisationId === ZVH);
    expect(zvh).toHaveLength(2);
    expect(zvh[1]!.until).toBeUndefined();
    // factsOf reads in one statement the same rows, in the same order, as the reads on their own.
    const one = await facts.factsOf(t);
    expect(one!.participations).toEqual(await facts.participationsOf(t));
  }, 90_000);

  it('unknown trajectory → undefined; the directory knows registered and active organisations only', async () => {
    expect(await facts.factsOf(randomUUID())).toBeUndefined();
    const active = uniqueOrganisationId('fz');
    const ended = uniqueOrganisationId('gem');
    const later = trajectoryFactEvents.organisation(ended, 'municipality', {
      activeUntil: '2025-12-31',
    });
    const first = trajectoryFactEvent(
      'nl.ketenlink.organisation.changed.v1',
      { organisationId: ended, kind: 'municipality', identifiers: {}, activeFrom: '2020-01-01' },
      { time: new Date(Date.now() - 60_000) },
    );
    await publish([trajectoryFactEvents.organisation(active, 'care-provider'), later, first]);
    const now = new Date();
    expect(await directory.isActive(active, now)).toBe(true);
    // The older change arrived last and changed nothing: the organisation ended in 2025.
    expect(await directory.isActive(ended, now)).toBe(false);
    expect(await directory.isActive(ended, new Date('2025-06-01T12:00:00Z'))).toBe(true);
    expect(await directory.isActive(uniqueOrganisationId('nobody'), now)).toBe(false);
    expect(await directory.find(active)).toMatchObject({ kind: 'care-provider' });
  }, 90_000);
});
