import { randomUUID } from 'node:crypto';
import { brokersFromEnv, CONTEXT_TOPICS } from '@ketenlink/messaging';
import { waitFor } from '@ketenlink/testing';
import { type IHeaders, Kafka, logLevel } from 'kafkajs';
import {
  type Client,
  startTrajectoryTestApp,
  type TrajectoryTestApp,
} from '../test-support/harness';

/**
 * The same trajectory's timeline seen by a provider, a probation officer, a ZVH coordinator
 * and an operator, through the real chain: HTTP command → outbox → relay → Kafka → this
 * service's consumer → timeline read model → consent policy with the records in force now.
 * The expectations are written out by hand from the role-default table and the records.
 */
let t: TrajectoryTestApp;
let id: string;
let zvh: Client;
let provider: Client;
let probation: Client;
let operator: Client;
let zvhContactConsent: string;

interface Item {
  type: string;
  data: Record<string, unknown>;
  withheld: string[];
}
const short = (type: string) => type.replace(/^nl\.ketenlink\./, '').replace(/\.v1$/, '');
const timeline = async (c: Client): Promise<Item[]> => {
  const res = await c.get(`/trajectories/${id}/timeline`);
  expect(res.status).toBe(200);
  return res.body.items as Item[];
};
const view = (items: Item[]) => items.map((i) => [short(i.type), i.withheld.sort()]);

beforeAll(async () => {
  t = await startTrajectoryTestApp({ consumer: true });
  zvh = await t.as('zvh-utrecht', ['zvh-coordinator']);
  provider = await t.as('fz-de-brug', ['placement-officer']);
  probation = await t.as('reclassering-midden', ['probation-officer']);
  operator = await t.as('ketenlink-ops', ['operator']);

  const opened = await zvh.post('/trajectories', { region: 'Utrecht' });
  expect(opened.status).toBe(201);
  id = opened.body.id;
  const ok = (res: { status: number; body: unknown }) =>
    expect([200, 201]).toContain(res.status) as unknown;
  ok(
    await zvh.post(`/trajectories/${id}/participants`, {
      organisationId: 'fz-de-brug',
      role: 'provider',
      from: '2026-01-01',
    }),
  );
  ok(
    await zvh.post(`/trajectories/${id}/participants`, {
      organisationId: 'reclassering-midden',
      role: 'probation',
      from: '2026-01-01',
    }),
  );
  ok(
    await probation.post(`/trajectories/${id}/titles`, {
      kind: 'special-conditions-suspended-sentence',
      startDate: '2026-01-10',
      expectedEndDate: '2028-01-09',
      conditions: [{ type: 'reporting-duty', description: 'Reports weekly to probation' }],
    }),
  );
  // The provider, which holds contact and logistics, records on the client's word that the ZVH
  // may see them (the region) for case meetings; a recipient never records its own record.
  const providerLead = await t.as('fz-de-brug', ['coordinator']);
  const c1 = await providerLead.post(`/trajectories/${id}/consents`, {
    recipient: { kind: 'organisation', id: 'zvh-utrecht' },
    categories: ['contact-and-logistics'],
    purpose: 'ZVH case meetings',
    legalBasis: 'consent',
    onWordOf: 'client',
    evidenceReference: 'signed form 2026-010',
  });
  ok(c1);
  zvhContactConsent = c1.body.id;
  // The client lets his relatives see his plan, then withdraws it.
  const c2 = await providerLead.post(`/trajectories/${id}/consents`, {
    recipient: { kind: 'class', id: 'relatives' },
    categories: ['plan-and-goals'],
    purpose: 'Family support',
    legalBasis: 'consent',
    onWordOf: 'client',
    evidenceReference: 'signed form 2026-011',
  });
  ok(c2);
  ok(await providerLead.post(`/trajectories/${id}/consents/${c2.body.id}/revoke`, {}));

  // All 8 events make the round trip through Kafka into the timeline.
  await waitFor(async () => (await timeline(operator)).length === 8, {
    timeoutMs: 60_000,
    intervalMs: 250,
    what: 'the timeline to hold the 8 events',
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const ALL_TYPES = [
  'trajectory.opened',
  'trajectory.participant-joined',
  'trajectory.participant-joined',
  'trajectory.participant-joined',
  'title.registered',
  'consent.granted',
  'consent.granted',
  'consent.revoked',
];

describe('one timeline, four views', () => {
  it('the provider sees everything these events hold (legal duty: Wfz defaults)', async () => {
    expect(view(await timeline(provider))).toEqual(ALL_TYPES.map((type) => [type, []]));
  });

  it('probation sees the title and the records but not the region (no contact-and-logistics)', async () => {
    expect(view(await timeline(probation))).toEqual(
      ALL_TYPES.map((type) => [type, type === 'trajectory.opened' ? ['region'] : []]),
    );
  });

  it("the ZVH sees the region under the client's consent, never the title", async () => {
    const items = await timeline(zvh);
    expect(view(items)).toEqual(
      ALL_TYPES.filter((type) => type !== 'title.registered').map((type) => [type, []]),
    );
    expect(JSON.stringify(items)).not.toContain('Reports weekly');
  });

  it('every timeline read is logged with the ids of the events it disclosed (ADR 0020)', async () => {
    const res = await zvh.get(`/trajectories/${id}/timeline`);
    const shown = (res.body.items as { eventId: string }[]).map((i) => i.eventId);
    const [row] = await t.ds.query(
      `SELECT organisation_id, reader_kind, outcome, event_ids, categories, legal_bases
         FROM access_log WHERE trajectory_id = $1 AND resource = 'timeline'
        ORDER BY id DESC LIMIT 1`,
      [id],
    );
    expect(row).toMatchObject({
      organisation_id: 'zvh-utrecht',
      reader_kind: 'staff',
      outcome: 'disclosed',
      event_ids: shown,
    });
    // The ZVH never sees the title: the title event's id is not among those disclosed.
    const [title] = await t.ds.query(
      `SELECT event_id FROM timeline_entries WHERE trajectory_id = $1 AND type LIKE '%title.registered%'`,
      [id],
    );
    expect(row.event_ids).not.toContain(title.event_id);
    expect(row.legal_bases['contact-and-logistics']).toMatch(
      /^consent \(consent-record:consent /, // the provider's record on the client's word
    );
  });

  it('the operator sees every entry, metadata only', async () => {
    const items = await timeline(operator);
    expect(items.map((i) => short(i.type))).toEqual(ALL_TYPES);
    for (const item of items) {
      const allowed = new Set(['trajectoryId', 'openedAt']);
      expect(Object.keys(item.data).filter((k) => !allowed.has(k))).toEqual([]);
    }
    expect(items[4]?.withheld.sort()).toEqual(
      [
        'conditions[].description',
        'conditions[].type',
        'expectedEndDate',
        'kind',
        'startDate',
        'titleId',
      ].sort(),
    );
  });

  it('an organisation that does not take part sees no timeline at all (404)', async () => {
    const outsider = await t.as('elsewhere', ['coordinator']);
    expect((await outsider.get(`/trajectories/${id}/timeline`)).status).toBe(404);
  });

  it('decides with the consent in force NOW: after withdrawal the ZVH loses the region', async () => {
    // The ZVH did not record it: it withdraws on the client's word.
    const res = await zvh.post(`/trajectories/${id}/consents/${zvhContactConsent}/revoke`, {
      onWordOf: 'client',
    });
    expect(res.status).toBe(200);
    const items = await timeline(zvh);
    const opened = items.find((i) => i.type === 'nl.ketenlink.trajectory.opened.v1');
    expect(opened?.withheld).toEqual(['region']);
    expect(opened?.data).not.toHaveProperty('region');
  });

  it('after probation leaves, it sees nothing any more', async () => {
    const list = await zvh.get(`/trajectories/${id}/participants`);
    const p = (list.body.items as { id: string; organisationId: string }[]).find(
      (x) => x.organisationId === 'reclassering-midden',
    );
    expect((await zvh.post(`/trajectories/${id}/participants/${p!.id}/leave`, {})).status).toBe(
      200,
    );
    expect((await probation.get(`/trajectories/${id}/timeline`)).status).toBe(404);
  });

  it('a redelivered event changes nothing: the same record again leaves the timeline as it was', async () => {
    // The title.registered record exactly as the relay sent it (key, headers, value: same id).
    const rows = async () =>
      (await t.ds.query(
        `SELECT event_id, type, source, event_time, data, topic, kafka_partition, kafka_offset
           FROM timeline_entries WHERE trajectory_id = $1 ORDER BY event_id`,
        [id],
      )) as { event_id: string; type: string }[];
    // Settle first: every event this trajectory's outbox holds is on the timeline (earlier steps'
    // events may still be on their way), so `before` cannot change for any other reason.
    await waitFor(
      async () => {
        const [row] = (await t.ds.query(
          `SELECT count(*)::int AS missing FROM outbox o
            WHERE o.aggregateid = $1
              AND NOT EXISTS (SELECT 1 FROM timeline_entries e WHERE e.event_id::text = o.id::text)`,
          [id],
        )) as { missing: number }[];
        return row!.missing === 0;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'every event of the trajectory on its timeline' },
    );
    const before = await rows();
    const titleEvent = before.find((r) => r.type === 'nl.ketenlink.title.registered.v1')!;
    const kafka = new Kafka({
      clientId: 'timeline-redelivery',
      brokers: brokersFromEnv(),
      logLevel: logLevel.NOTHING,
    });
    const original = await readRecord(kafka, CONTEXT_TOPICS.trajectory, titleEvent.event_id);
    const producer = kafka.producer();
    await producer.connect();
    const [sent] = await producer.send({
      topic: CONTEXT_TOPICS.trajectory,
      messages: [
        {
          key: original.key,
          value: original.value,
          headers: original.headers,
          partition: original.partition,
        },
      ],
    });
    await producer.disconnect();
    // Wait until this service's consumer group has handled (committed) the redelivered record.
    const group = `${process.env.KETENLINK_CONSUMER_GROUP_PREFIX}trajectory`;
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [sent!.topicName] });
        const p = offsets!.partitions.find((x) => x.partition === sent!.partition);
        return p !== undefined && BigInt(p.offset) > BigInt(sent!.baseOffset!);
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the redelivered record to be consumed' },
    );
    await admin.disconnect();
    expect(BigInt(sent!.baseOffset!)).toBeGreaterThan(BigInt(original.offset)); // really sent again
    expect(await rows()).toEqual(before);
    const items = await timeline(operator);
    expect(items.filter((i) => short(i.type) === 'title.registered')).toHaveLength(1);
  });
});

/** One record of `topic` by its CloudEvents id (ce_id header), read with a throw-away group. */
async function readRecord(kafka: Kafka, topic: string, eventId: string) {
  const consumer = kafka.consumer({ groupId: `timeline-redelivery-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let found:
    | {
        key: Buffer | null;
        value: Buffer | null;
        headers: IHeaders;
        partition: number;
        offset: string;
      }
    | undefined;
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      if (found || String(message.headers?.ce_id ?? '') !== eventId) return;
      found = {
        key: message.key,
        value: message.value,
        headers: message.headers ?? {},
        partition,
        offset: message.offset,
      };
    },
  });
  await waitFor(async () => found !== undefined, {
    timeoutMs: 60_000,
    intervalMs: 100,
    what: `the record of event ${eventId} on ${topic}`,
  });
  await consumer.disconnect();
  return found!;
}
