import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mintDevToken } from '@ketenlink/auth';
import { schemaUriOf, topicOf, type EventPayloads, type EventType } from '@ketenlink/contracts';
import { addDays, addMonths, calendarDate } from '@ketenlink/dates';
import {
  buildCloudEvent,
  fromKafkaRecord,
  kafkaClients,
  toKafkaRecord,
  type CloudEvent,
} from '@ketenlink/messaging';
import { REPO_ROOT, waitFor } from '@ketenlink/testing';
import {
  E2E_TOPIC_PREFIX,
  migrateService,
  startService,
  stopService,
  type RunningService,
} from '../support/platform';

/**
 * Scenario 1 (review at +3 months) and scenario 5 (driegesprek every 2 weeks) fire from the
 * events alone: plan-reviews runs as its own process; the trajectory, placement and agreement
 * events it consumes are put on this run's topics as their services publish them (CloudEvents,
 * validated by the consumer against their contracts); time moves through the service's clock
 * offset file (no sleeps), and what fires is read back from the reviews topic.
 */
const DAY = 86_400_000;
const PROVIDER = 'fz-e2e-reviews';
const OFFICER = 'reclassering-e2e';
const CLOCK_FILE = path.join(REPO_ROOT, '.data', `plan-reviews-clock-${randomUUID().slice(0, 8)}`);
const kafka = kafkaClients({ clientId: 'e2e-plan-reviews' });
const producer = kafka.producer();
let reviews: RunningService | undefined;

const setOffsetDays = (days: number) => writeFileSync(CLOCK_FILE, String(days * DAY));

beforeAll(async () => {
  mkdirSync(path.dirname(CLOCK_FILE), { recursive: true });
  setOffsetDays(0);
  migrateService('plan-reviews');
  reviews = await startService('plan-reviews', 13024, undefined, {
    env: { PLAN_REVIEWS_CLOCK_OFFSET_FILE: CLOCK_FILE, PLAN_REVIEWS_TIMER_INTERVAL_MS: '200' },
  });
  await producer.connect();
  // The registry as the trajectory service publishes it (the registered-organisation guard).
  for (const [organisationId, kind] of [
    [PROVIDER, 'care-provider'],
    [OFFICER, 'probation-service'],
  ] as const) {
    await publish('nl.ketenlink.organisation.registered.v1', organisationId, {
      organisationId,
      kind,
      identifiers: {},
      activeFrom: '2020-01-01',
    });
  }
}, 120_000);

afterAll(async () => {
  await producer.disconnect();
  await stopService(reviews);
});

async function publish<T extends EventType>(type: T, subject: string, data: EventPayloads[T]) {
  const e = buildCloudEvent({ type, source: 'e2e', subject, data, dataschema: schemaUriOf(type) });
  await producer.send([{ topic: `${E2E_TOPIC_PREFIX}${topicOf(type)}`, ...toKafkaRecord(e) }]);
}

/** Every event on this run's reviews topic so far. */
async function reviewsEvents(): Promise<CloudEvent[]> {
  const topic = `${E2E_TOPIC_PREFIX}ketenlink.reviews.v1`;
  const admin = kafka.admin();
  const partitions = await admin.topicOffsets(topic);
  await admin.disconnect();
  const reader = kafka.reader();
  const out: CloudEvent[] = [];
  for (const p of partitions) {
    for (const r of await reader.read(topic, p.partition, p.low, 10_000)) {
      out.push(fromKafkaRecord(r.key, r.value, r.headers as never));
    }
  }
  return out;
}

const fired = async (trajectoryId: string, kind: string) =>
  (await reviewsEvents())
    .filter((e) => e.subject === trajectoryId && e.type === 'nl.ketenlink.review.due.v1')
    .map((e) => e.data as { kind: string; dueOn: string })
    .filter((d) => d.kind === kind)
    .map((d) => d.dueOn);

async function placedTrajectory(
  cadence: { count: number; unit: 'week' | 'month' },
  reviewOn: string,
) {
  const id = randomUUID();
  const today = calendarDate(new Date());
  await publish('nl.ketenlink.trajectory.opened.v1', id, {
    trajectoryId: id,
    openedAt: new Date().toISOString(),
    openedBy: { organisationId: OFFICER, role: 'referrer' },
    region: 'Drenthe',
  });
  for (const [organisationId, role] of [
    [OFFICER, 'probation'],
    [PROVIDER, 'provider'],
  ] as const) {
    await publish('nl.ketenlink.trajectory.participant-joined.v1', id, {
      trajectoryId: id,
      organisationId,
      role,
      from: today,
    });
  }
  await publish('nl.ketenlink.client.placed.v1', id, {
    trajectoryId: id,
    placementId: randomUUID(),
    providerOrganisationId: PROVIDER,
    locationId: 'huize-e2e',
    movedInAt: new Date().toISOString(),
  });
  await publish('nl.ketenlink.agreement.activated.v1', id, {
    trajectoryId: id,
    agreementId: randomUUID(),
    version: 1,
    basis: 'signed-agreement',
    parties: { probationOrganisationId: OFFICER, providerOrganisationId: PROVIDER },
    terms: {
      conditions: [],
      notificationTriggers: [],
      contactFrequencies: [],
      driegesprek: { every: cadence, nextReviewOn: reviewOn },
      clientGoals: [],
      probationGoals: [],
      lifeAreaOwners: [],
      firstPointOfContact: { party: 'provider', organisationId: PROVIDER, role: 'support-worker' },
      houseRules: [],
    },
    activatedAt: new Date().toISOString(),
  } as EventPayloads['nl.ketenlink.agreement.activated.v1']);
  return id;
}

describe('plan-review schedules fire from the events alone (plan-reviews as a process)', () => {
  it('scenario 5: driegesprek a week after move-in, then every 2 weeks; scenario 1: review at +3 months', async () => {
    const today = calendarDate(new Date());
    const s5 = await placedTrajectory({ count: 2, unit: 'week' }, addMonths(today, 6));
    const s1 = await placedTrajectory({ count: 3, unit: 'month' }, addMonths(today, 3));
    // The consumer scheduled both (review.scheduled on the topic); nothing is due yet.
    await waitFor(
      async () =>
        (await reviewsEvents()).filter(
          (e) =>
            e.type === 'nl.ketenlink.review.scheduled.v1' &&
            ([s1, s5] as string[]).includes(e.subject!),
        ).length >= 6,
      {
        timeoutMs: 60_000,
        what: 'both trajectories scheduled',
      },
    );
    expect(await fired(s5, 'driegesprek')).toEqual([]);

    // +8 days: the first driegesprek (move-in + 7) is due, once.
    setOffsetDays(8);
    await waitFor(async () => (await fired(s5, 'driegesprek')).length === 1, {
      timeoutMs: 30_000,
      what: 'first driegesprek due',
    });
    expect(await fired(s5, 'driegesprek')).toEqual([addDays(today, 7)]);

    // The support worker records it; the next is two weeks later (the agreement's cadence).
    const token = await mintDevToken({
      sub: 'e2e-worker',
      org: PROVIDER,
      roles: ['support-worker'],
    });
    const heldOn = addDays(today, 8);
    const res = await fetch(`${reviews!.url}/trajectories/${s5}/meetings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'driegesprek',
        heldAt: `${heldOn}T10:00:00+01:00`,
        attendees: [
          { role: 'client', attended: true },
          { role: 'support-worker', organisationId: PROVIDER, attended: true },
          { role: 'probation-officer', organisationId: OFFICER, attended: true },
        ],
        decision: 'none',
      }),
    });
    expect(res.status).toBe(201);
    setOffsetDays(8 + 15);
    await waitFor(async () => (await fired(s5, 'driegesprek')).length === 2, {
      timeoutMs: 30_000,
      what: 'second driegesprek due',
    });
    expect(await fired(s5, 'driegesprek')).toEqual([addDays(today, 7), addDays(heldOn, 14)]);

    // Scenario 1: the review the agreement fixed at +3 months falls due then, not before.
    expect(await fired(s1, 'plan-evaluation')).toEqual([]);
    const days = Math.round(
      (new Date(addMonths(today, 3)).getTime() - new Date(today).getTime()) / DAY,
    );
    setOffsetDays(days + 1);
    await waitFor(async () => (await fired(s1, 'plan-evaluation')).length === 1, {
      timeoutMs: 30_000,
      what: 'review at +3 months due',
    });
    expect(await fired(s1, 'plan-evaluation')).toEqual([addMonths(today, 3)]);
  }, 180_000);
});
