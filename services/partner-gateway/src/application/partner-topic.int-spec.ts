import '../test-support/topic-prefix';
import { randomUUID } from 'node:crypto';
import { waitFor } from '@ketenlink/testing';
import { Kafka, logLevel } from 'kafkajs';
import {
  facts,
  type GatewayTestApp,
  readPartnerTopic,
  startGatewayTestApp,
  type TopicCredentials,
  type TopicMessage,
} from '../test-support/harness';
import { deliveryKey } from './webhook-copy';

/**
 * Partner topics behind real Kafka access control (deploy/local: SASL/SCRAM-SHA-512 listener,
 * StandardAuthorizer, deny by default): each partner's credentials read its own topic, with its
 * own group, and get an authorisation error on another partner's topic or group.
 */
const A = 'reclassering-oost';
const B = 'fz-de-haven';
const TITLE = 'nl.ketenlink.title.registered.v1';

let gw: GatewayTestApp;
const kafkas: { disconnect(): Promise<void> }[] = [];

beforeAll(async () => {
  gw = await startGatewayTestApp({ PARTNER_WEBHOOK_POLL_MS: '0' });
  await gw.publish([
    facts.organisation('ketenlink-ops', 'platform'),
    facts.organisation(A, 'probation-service'),
    facts.organisation(B, 'care-provider'),
  ]);
  await waitFor(
    async () =>
      (
        (await gw.ds.query(`SELECT count(*)::int AS n FROM facts_organisations`)) as { n: number }[]
      )[0]!.n >= 3,
    { what: 'organisations projected' },
  );
}, 60_000);

afterAll(async () => {
  for (const k of kafkas) await k.disconnect().catch(() => undefined);
  await gw?.close();
});

async function partnerWithTopic(org: string): Promise<TopicCredentials> {
  const op = await gw.as('ketenlink-ops', ['operator']);
  expect((await op.post('/partners', { organisationId: org, fullPayloads: false })).status).toBe(
    201,
  );
  expect((await op.put(`/partners/${org}/subscriptions`, { eventTypes: [TITLE] })).status).toBe(
    204,
  );
  const res = await op.post(`/partners/${org}/channels/topic`, {});
  expect(res.status).toBe(201);
  return res.body as TopicCredentials;
}

/** The broker's error codes kafkajs saw (it reports some only in its debug log). */
const brokerErrors: string[] = [];

const kafkaAs = (c: TopicCredentials) =>
  new Kafka({
    clientId: `partner-${c.username}`,
    brokers: c.bootstrapServers.split(','),
    sasl: { mechanism: 'scram-sha-512', username: c.username, password: c.password },
    logLevel: logLevel.DEBUG,
    logCreator: () => (entry) => {
      const type = (entry.log as { error?: { type?: string } }).error?.type;
      if (type) brokerErrors.push(type);
    },
    retry: { retries: 1 },
  });

describe('partner topics with SASL/SCRAM and ACLs (real broker)', () => {
  it("A reads its own topic with its own group; B's topic and group are refused", async () => {
    const a = await partnerWithTopic(A);
    const b = await partnerWithTopic(B);
    expect(a).toMatchObject({
      topic: expect.stringMatching(/ketenlink\.partner\.reclassering-oost\.v1$/),
      group: `partner.${A}`,
    });
    const t = randomUUID();
    await gw.publish([
      facts.opened(t, A),
      facts.joined(t, A, 'probation'),
      facts.joined(t, B, 'provider'),
    ]);
    const [title] = await gw.publish([facts.title(t, 1)]);

    const received: TopicMessage[] = [];
    const kafka = kafkaAs(a);
    kafkas.push(await readPartnerTopic(kafka, a, received));
    const got = await waitFor(() => received.find((r) => r.headers.ce_id === title!.id), {
      timeoutMs: 30_000,
      what: "the title event on A's own topic",
    });
    // Thin by default: metadata only, a link to pull, the ground as CloudEvents extensions.
    // (titleId is title-and-conditions: not in a thin delivery.)
    expect(got.value).toEqual({ trajectoryId: t });
    expect(got.headers).toMatchObject({
      ce_type: TITLE,
      ce_legalbasis: 'legal-duty',
      ce_delivery: 'thin',
      ce_dataref: `/partner/events/${title!.id}`,
    });
    await waitFor(
      async () =>
        (
          (await gw.ds.query(
            `SELECT count(*)::int AS n FROM disclosure_audit WHERE organisation_id = $1
              AND channel_kind = 'topic' AND outcome = 'delivered' AND event_id = $2`,
            [A, title!.id],
          )) as { n: number }[]
        )[0]!.n === 1,
      { what: 'the delivery audited' },
    );

    // A replay copy keeps the event id and carries ce_replayid: its delivery key (ADR 0040,
    // ce_id + ce_replayid) is new, so a partner deduplicating as the guide says takes it.
    const partner = await gw.as(A, ['partner-system']);
    const replay = await partner.post('/partner/replays', { fromEventId: title!.id });
    expect(replay.status).toBe(202);
    const replayId = (replay.body as { replayId: string }).replayId;
    const again = await waitFor(
      () => received.find((r) => r.headers.ce_id === title!.id && r.headers.ce_replayid),
      { timeoutMs: 30_000, what: "the replay copy on A's topic" },
    );
    expect(again.headers.ce_replayid).toBe(replayId);
    expect(again.value).toEqual({ trajectoryId: t });
    const keys = received
      .filter((r) => r.headers.ce_id === title!.id)
      .map((r) => deliveryKey(r.headers.ce_id!, r.headers.ce_replayid));
    expect(new Set(keys)).toEqual(new Set([title!.id, `${title!.id}:${replayId}`]));

    // A's credentials on B's topic: an authorisation error, not data.
    const admin = kafka.admin();
    kafkas.push(admin);
    await admin.connect();
    await expect(admin.fetchTopicOffsets(b.topic)).rejects.toMatchObject({
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
    const thief = kafka.consumer({ groupId: a.group + '.thief' });
    kafkas.push(thief);
    await thief.connect();
    await expect(thief.subscribe({ topics: [b.topic], fromBeginning: true })).rejects.toMatchObject(
      {
        type: 'TOPIC_AUTHORIZATION_FAILED',
      },
    );
    // …and B's group is not A's to use, even on A's own topic.
    // (kafkajs reports the broker's refusal of the group coordinator only in its debug log.)
    await expect(admin.fetchOffsets({ groupId: b.group, topics: [a.topic] })).rejects.toThrow();
    expect(brokerErrors).toContain('GROUP_AUTHORIZATION_FAILED');
    // No credential at all: refused by SASL.
    const anonymous = kafkaAs({ ...a, password: 'wrong' }).admin();
    await expect(anonymous.connect()).rejects.toThrow(/SASL|authenticat/i);
  }, 90_000);
});
