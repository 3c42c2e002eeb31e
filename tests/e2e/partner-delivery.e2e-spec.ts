/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read JSON answers freely */
import { randomUUID } from 'node:crypto';
import { addDays, calendarDate } from '@ketenlink/dates';
import { waitFor } from '@ketenlink/testing';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
// The reference subscriber is documentation partners copy (docs/partner-guide.md): the test
// runs the provider's webhook receiver on that very file (Standard Webhooks verification).
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  type ReferenceSubscriber,
  startReferenceSubscriber,
} from '../../docs/examples/reference-subscriber';
import {
  migrateService,
  registerOrganisations,
  type RunningService,
  staffCaller,
  startService,
  stopService,
} from '../support/platform';

/**
 * Partner delivery across services, each its own process (trajectory, placement-intake,
 * partner-gateway): real HTTP commands open a trajectory, register a title, add the provider and
 * request a placement with the referrer's medication notes. The probation office reads its copy
 * from its own partner topic with its own SASL/SCRAM credentials (the broker's SASL listener),
 * the provider's receiver gets the signed webhook; the medical field reaches only the provider.
 * A replay asked for over HTTP arrives on the topic with the same `ce_id` and a new delivery key.
 */
let trajectory: RunningService | undefined;
let intake: RunningService | undefined;
let gateway: RunningService | undefined;
let receiver: ReferenceSubscriber | undefined;
let consumer: Consumer | undefined;
const run = randomUUID().slice(0, 6);
const OPS = `ops-e2e-${run}`;
const PROBATION = `reclassering-pgw-${run}`;
const PROVIDER = `fz-pgw-${run}`;
const TITLE = 'nl.ketenlink.title.registered.v1';
const PLACEMENT = 'nl.ketenlink.placement.requested.v1';
const MEDICATION = 'methadone 60 mg daily, dispensed by the pharmacy';

const T = () => trajectory!;
const P = () => intake!;
const G = () => gateway!;
const officerT = staffCaller(T, PROBATION, ['coordinator', 'probation-officer']);
const referrerP = staffCaller(P, PROBATION, ['referrer']);
const operator = staffCaller(G, OPS, ['operator']);
const auditor = staffCaller(G, OPS, ['auditor']);
const probationSystem = staffCaller(G, PROBATION, ['partner-system']);
const providerSystem = staffCaller(G, PROVIDER, ['partner-system']);

interface TopicRecord {
  headers: Record<string, string>;
  value: Record<string, unknown>;
}

beforeAll(async () => {
  migrateService('trajectory');
  migrateService('placement-intake');
  migrateService('partner-gateway');
  [trajectory, intake, gateway] = await Promise.all([
    // Three processes compiling at once on a shared machine: a longer bound for ready.
    startService('trajectory', 13081, undefined, { readyTimeoutMs: 150_000 }),
    startService('placement-intake', 13082, undefined, { readyTimeoutMs: 150_000 }),
    startService('partner-gateway', 13085, undefined, {
      env: { PARTNER_WEBHOOK_POLL_MS: '100' },
      readyTimeoutMs: 150_000,
    }),
  ]);
  await registerOrganisations(trajectory!, [
    { id: OPS, kind: 'platform' },
    { id: PROBATION, kind: 'probation-service' },
    { id: PROVIDER, kind: 'care-provider' },
  ]);
  receiver = await startReferenceSubscriber({ secrets: [] });
}, 300_000);

afterAll(async () => {
  await consumer?.disconnect().catch(() => undefined);
  await receiver?.close();
  await Promise.all([stopService(trajectory), stopService(intake), stopService(gateway)]);
});

describe('partner delivery: topic with SASL/SCRAM credentials and a signed webhook', () => {
  it('probation reads its copy from its own topic, the provider gets the signed webhook; medical data only to the provider; a replay has a new delivery key', async () => {
    // The gateway learns the registry from the trajectory topic: its guard refuses a token of
    // an organisation it has not projected yet.
    await waitFor(async () => (await operator('GET', '/partners/status')).status === 200, {
      timeoutMs: 60_000,
      intervalMs: 250,
      what: 'the gateway to know the operator organisation',
    });
    for (const org of [PROBATION, PROVIDER]) {
      await waitFor(
        async () =>
          (await operator('POST', '/partners', { organisationId: org, fullPayloads: true }))
            .status === 201,
        { timeoutMs: 30_000, intervalMs: 250, what: `${org} registered as a partner` },
      );
    }
    expect(
      (
        await operator('PUT', `/partners/${PROBATION}/subscriptions`, {
          eventTypes: [TITLE, PLACEMENT],
        })
      ).status,
    ).toBe(204);
    expect(
      (await operator('PUT', `/partners/${PROVIDER}/subscriptions`, { eventTypes: [PLACEMENT] }))
        .status,
    ).toBe(204);
    const topic = await operator('POST', `/partners/${PROBATION}/channels/topic`, {});
    expect(topic.status).toBe(201);
    const creds = topic.body as {
      username: string;
      password: string;
      topic: string;
      group: string;
      bootstrapServers: string;
    };
    const hook = await operator('POST', `/partners/${PROVIDER}/channels/webhooks`, {
      url: receiver!.url,
    });
    expect(hook.status).toBe(201);
    receiver!.setSecrets([hook.body.secret as string]);

    // The probation office reads its own topic with its own credentials, on the SASL listener.
    const [, saslPort] = creds.bootstrapServers.split(',')[0]!.split(':');
    const [, plainPort] = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(':');
    expect(Number(saslPort)).toBe(Number(plainPort) + 2);
    const records: TopicRecord[] = [];
    consumer = new Kafka({
      clientId: `e2e-${creds.username}`,
      brokers: creds.bootstrapServers.split(','),
      sasl: { mechanism: 'scram-sha-512', username: creds.username, password: creds.password },
      logLevel: logLevel.NOTHING,
    }).consumer({ groupId: creds.group });
    await consumer.connect();
    await consumer.subscribe({ topics: [creds.topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        records.push({
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
          ),
          value: JSON.parse(message.value!.toString('utf8')) as Record<string, unknown>,
        });
      },
    });

    // Real commands: the probation office opens the trajectory, registers the title with its
    // condition and adds the provider.
    const opened = await officerT('POST', '/trajectories', {
      region: 'Twente',
      participantRole: 'probation',
    });
    expect(opened.status).toBe(201);
    const trajectoryId = opened.body.id as string;
    const today = calendarDate(new Date());
    const title = await officerT('POST', `/trajectories/${trajectoryId}/titles`, {
      kind: 'conditional-release',
      startDate: addDays(today, -30),
      expectedEndDate: addDays(today, 365),
      conditions: [{ type: 'abstinence', description: 'no alcohol or drugs' }],
    });
    expect(title.status).toBe(201);
    const joined = await officerT('POST', `/trajectories/${trajectoryId}/participants`, {
      organisationId: PROVIDER,
      role: 'provider',
      from: today,
    });
    expect(joined.status).toBe(201);
    // The placement topic is not ordered with the trajectory topic: request the placement once
    // the gateway knows the provider takes part (its pull answers 404 before).
    await waitFor(
      async () =>
        (await providerSystem('GET', `/partner/trajectories/${trajectoryId}`)).status === 200,
      { timeoutMs: 30_000, intervalMs: 250, what: 'the gateway to know the provider takes part' },
    );
    const request = {
      trajectoryId,
      providerOrganisationId: PROVIDER,
      referrerKind: 'probation',
      title: {
        kind: 'conditional-release',
        startDate: addDays(today, -30),
        expectedEndDate: addDays(today, 365),
      },
      offenceCategory: 'arson',
      activeSubstanceUse: true,
      needs: ['housing', 'medication-management'],
      urgency: 'urgent',
      medicationNotes: MEDICATION,
      documents: [{ kind: 'probation-advice', reference: 'dossier/advies-pgw' }],
    };
    const placement = await waitFor(
      async () => {
        const res = await referrerP('POST', '/placements', request);
        return res.status === 201 ? res : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'placement-intake to know the trajectory' },
    );
    const placementId = placement.body.id as string;

    // The provider's receiver: the signed webhook with what the placement needs, medication too.
    const hooked = await waitFor(
      () =>
        receiver!.received.find(
          (r) => r.event.type === PLACEMENT && r.event.data.placementId === placementId,
        ),
      { timeoutMs: 60_000, intervalMs: 100, what: "the placement request at the provider's hook" },
    );
    expect(receiver!.rejected).toBe(0);
    expect(hooked.webhookId).toBe(hooked.event.id);
    expect(hooked.event).toMatchObject({
      subject: trajectoryId,
      legalbasis: 'legal-duty',
      delivery: 'full',
    });
    expect(hooked.event.data).toMatchObject({
      medicationNotes: MEDICATION,
      needs: ['housing', 'medication-management'],
      urgency: 'urgent',
      offenceCategory: 'arson',
    });
    expect(String(hooked.event.datacategories).split(',')).toContain('medical');

    // The probation office's topic: the title's condition and the request without the medical
    // field (nor what the placement needs), from the same event id.
    const onTopic = await waitFor(
      () => {
        const t = records.find((r) => r.headers.ce_type === TITLE);
        const p = records.find((r) => r.headers.ce_id === hooked.event.id);
        return t && p ? { title: t, placement: p } : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: "the copies on the probation office's topic" },
    );
    expect(onTopic.title.value).toMatchObject({
      trajectoryId,
      conditions: [{ type: 'abstinence', description: 'no alcohol or drugs' }],
    });
    expect(onTopic.placement.headers).toMatchObject({
      ce_type: PLACEMENT,
      ce_subject: trajectoryId,
      ce_legalbasis: 'legal-duty',
      ce_delivery: 'full',
      ce_dataref: `/partner/events/${hooked.event.id}`,
    });
    expect(onTopic.placement.headers.ce_datacategories!.split(',')).not.toContain('medical');
    expect(onTopic.placement.value).toMatchObject({
      placementId,
      offenceCategory: 'arson',
      titleKind: 'conditional-release',
    });
    expect(onTopic.placement.value).not.toHaveProperty('medicationNotes');
    expect(onTopic.placement.value).not.toHaveProperty('needs');
    expect(onTopic.placement.value).not.toHaveProperty('urgency');

    // The auditor sees both disclosures with their categories: medical only to the provider.
    const audited = await waitFor(
      async () => {
        const res = await auditor('GET', `/disclosure-audit?trajectoryId=${trajectoryId}`);
        const items = (res.body.items ?? []) as any[];
        const delivered = items.filter(
          (i) => i.eventId === hooked.event.id && i.outcome === 'delivered',
        );
        return delivered.length === 2 ? delivered : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'both deliveries in the disclosure audit' },
    );
    const byOrg = Object.fromEntries(audited.map((a) => [a.organisationId, a]));
    expect(byOrg[PROVIDER]).toMatchObject({ channelKind: 'webhook' });
    expect(byOrg[PROVIDER].categories).toContain('medical');
    expect(byOrg[PROBATION]).toMatchObject({ channelKind: 'topic' });
    expect(byOrg[PROBATION].categories).not.toContain('medical');

    // A replay asked for over HTTP: the same ce_id with ce_replayid (a new delivery key), still
    // without the medical field.
    const replay = await probationSystem('POST', '/partner/replays', {
      fromEventId: hooked.event.id,
    });
    expect(replay.status).toBe(202);
    const again = await waitFor(
      () => records.find((r) => r.headers.ce_id === hooked.event.id && r.headers.ce_replayid),
      { timeoutMs: 30_000, intervalMs: 100, what: 'the replay copy on the topic' },
    );
    expect(again.headers.ce_replayid).toBe(replay.body.replayId);
    expect(again.value).not.toHaveProperty('medicationNotes');
  }, 240_000);
});
