import '../test-support/topic-prefix';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@ketenlink/testing';
// The reference subscriber is documentation partners copy (docs/partner-guide.md), not a
// library: the test runs against that very file.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  type ReferenceSubscriber,
  startReferenceSubscriber,
} from '../../../../docs/examples/reference-subscriber';
import { facts, type GatewayTestApp, startGatewayTestApp } from '../test-support/harness';

/**
 * Webhook delivery against real Kafka (the context topics), real PostgreSQL and real HTTP
 * receivers (docs/examples/reference-subscriber.ts): a receiver down for a while gets
 * everything once, in order per trajectory; one that never answers ends in dead letters while
 * the others are not delayed; a withdrawal retracts, and a replay after it sends less.
 */
const PROB = 'reclassering-noord';
const ZVH = 'zvh-rotterdam';
const OUTSIDER = 'fz-elders';
const ZVH2 = 'zvh-den-haag';
const TITLE = 'nl.ketenlink.title.registered.v1';

let gw: GatewayTestApp;
let hanging: Server;
let hangingUrl: string;
const subscribers: ReferenceSubscriber[] = [];
let probSecret: string;

beforeAll(async () => {
  gw = await startGatewayTestApp({
    PARTNER_WEBHOOK_POLL_MS: '50',
    PARTNER_WEBHOOK_TIMEOUT_MS: '400',
    PARTNER_WEBHOOK_MAX_ATTEMPTS: '3',
    PARTNER_WEBHOOK_BASE_DELAY_MS: '100',
    PARTNER_WEBHOOK_MAX_DELAY_MS: '300',
  });
  // A partner that accepts connections and never answers.
  hanging = createServer(() => undefined);
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`;
  await gw.publish([
    facts.organisation('ketenlink-ops', 'platform'),
    facts.organisation(PROB, 'probation-service'),
    facts.organisation(ZVH, 'zvh'),
    facts.organisation(OUTSIDER, 'care-provider'),
    facts.organisation(ZVH2, 'zvh'),
  ]);
  await waitFor(
    async () =>
      (
        (await gw.ds.query(`SELECT count(*)::int AS n FROM facts_organisations`)) as { n: number }[]
      )[0]!.n >= 5,
    { what: 'organisations projected' },
  );
}, 60_000);

afterAll(async () => {
  for (const s of subscribers) await s.close();
  hanging?.closeAllConnections();
  await new Promise((r) => hanging?.close(r));
  await gw?.close();
});

/** Registers `org` with a webhook at `url` (a reference subscriber learns the secret). */
async function partnerWithWebhook(
  org: string,
  types: string[],
  receiver: ReferenceSubscriber | string,
  maxInFlight = 4,
): Promise<string> {
  const op = await gw.as('ketenlink-ops', ['operator']);
  expect((await op.post('/partners', { organisationId: org, fullPayloads: true })).status).toBe(
    201,
  );
  expect((await op.put(`/partners/${org}/subscriptions`, { eventTypes: types })).status).toBe(204);
  const url = typeof receiver === 'string' ? receiver : receiver.url;
  const res = await op.post(`/partners/${org}/channels/webhooks`, {
    url,
    eventTypes: types,
    maxInFlight,
  });
  expect(res.status).toBe(201);
  const { secret } = res.body as { secret: string };
  expect(secret).toMatch(/^whsec_/);
  if (typeof receiver !== 'string') receiver.setSecrets([secret]);
  return secret;
}

async function subscriber(): Promise<ReferenceSubscriber> {
  const s = await startReferenceSubscriber({ secrets: [] });
  subscribers.push(s);
  return s;
}

const audit = (org: string, outcome: string) =>
  gw.ds.query(
    `SELECT count(*)::int AS n FROM disclosure_audit WHERE organisation_id = $1 AND outcome = $2`,
    [org, outcome],
  ) as Promise<{ n: number }[]>;

describe('webhook delivery (real Kafka, PostgreSQL and HTTP receivers)', () => {
  let a: ReferenceSubscriber;
  const trajectories = [randomUUID(), randomUUID(), randomUUID()];

  it('a receiver down for a while gets everything once, in order per trajectory; a dead one is dead-lettered', async () => {
    a = await subscriber();
    const c = await subscriber();
    a.setDown(true);
    probSecret = await partnerWithWebhook(PROB, [TITLE], a);
    await partnerWithWebhook(ZVH, [TITLE], hangingUrl, 2);
    await partnerWithWebhook(OUTSIDER, [TITLE], c);
    const setup = trajectories.flatMap((t) => [
      facts.opened(t, PROB),
      facts.joined(t, PROB, 'probation'),
      facts.joined(t, ZVH, 'zvh'),
      facts.consent(
        t,
        randomUUID(),
        { kind: 'organisation', id: ZVH },
        ['title-and-conditions'],
        'covenant',
      ),
    ]);
    await gw.publish(setup);
    const titles = await gw.publish(
      [0, 1, 2, 3].flatMap((n) => trajectories.map((t) => facts.title(t, n))),
    );
    await waitFor(async () => (await audit(PROB, 'failed'))[0]!.n >= 2, {
      timeoutMs: 30_000,
      what: 'failed attempts while the receiver is down',
    });
    a.setDown(false);
    await waitFor(() => a.received.length >= titles.length, {
      timeoutMs: 30_000,
      what: 'all title events at the probation receiver',
    });
    expect(new Set(a.received.map((r) => r.event.id)).size).toBe(titles.length);
    expect(a.received.map((r) => r.event.id).sort()).toEqual(titles.map((e) => e.id).sort());
    for (const t of trajectories) {
      expect(a.received.filter((r) => r.event.subject === t).map((r) => r.event.id)).toEqual(
        titles.filter((e) => e.subject === t).map((e) => e.id),
      );
    }
    const first = a.received[0]!.event;
    expect(first).toMatchObject({ legalbasis: 'legal-duty', delivery: 'full' });
    expect(first.data).toHaveProperty('conditions');
    expect(a.rejected).toBe(0);
    // Not a participant: nothing sent, the decision audited.
    expect(c.received).toEqual([]);
    expect((await audit(OUTSIDER, 'withheld'))[0]!.n).toBeGreaterThanOrEqual(titles.length);

    // The partner that never answers: every delivery ends as a dead letter after 3 attempts.
    await waitFor(async () => (await audit(ZVH, 'dead-lettered'))[0]!.n >= titles.length, {
      timeoutMs: 60_000,
      what: 'dead letters of the hanging partner',
    });
    const op = await gw.as('ketenlink-ops', ['operator']);
    const dead = await op.get(`/partners/${ZVH}/dead-letters`);
    expect(dead.status).toBe(200);
    const items = (dead.body as { items: Record<string, unknown>[] }).items;
    expect(items).toHaveLength(titles.length);
    expect(items[0]).toMatchObject({ attempts: 3, eventType: TITLE });
    expect(items[0]).not.toHaveProperty('body');
    const status = await op.get('/partners/status');
    expect((status.body as { items: { organisationId: string }[] }).items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ organisationId: ZVH, deadLetters: titles.length }),
        expect.objectContaining({ organisationId: PROB, webhookPending: 0 }),
      ]),
    );
  }, 120_000);

  it('others are not delayed by a partner that never answers (measured)', async () => {
    const before = a.received.length;
    const sent = await gw.publish(trajectories.map((t) => facts.title(t, 7)));
    const sentAt = Date.now();
    await waitFor(() => a.received.length >= before + sent.length, {
      timeoutMs: 20_000,
      what: 'new events at the healthy receiver',
    });
    const latencies = a.received.slice(before).map((r) => r.receivedAt - sentAt);
    const worst = Math.max(...latencies);
    // The hanging partner holds its 2 slots for 400 ms per attempt, 3 attempts per delivery.
    console.log(
      `healthy partner latency while another hangs: max ${worst} ms (${latencies.join(', ')})`,
    );
    expect(worst).toBeLessThan(3_000);
  }, 60_000);

  it('a withdrawal sends a retraction naming the categories; a replay after it sends less', async () => {
    const t = randomUUID();
    const consentId = randomUUID();
    const d = await subscriber();
    await partnerWithWebhook(ZVH2, [TITLE], d);
    await gw.publish([
      facts.opened(t, PROB),
      facts.joined(t, ZVH2, 'zvh'),
      facts.consent(
        t,
        consentId,
        { kind: 'organisation', id: ZVH2 },
        ['title-and-conditions'],
        'covenant',
      ),
    ]);
    const titles = await gw.publish([facts.title(t, 1), facts.title(t, 2)]);
    await waitFor(() => d.received.length >= 2, {
      timeoutMs: 20_000,
      what: 'original deliveries',
    });
    expect(d.received.map((r) => r.event.consentref)).toEqual([consentId, consentId]);
    expect(d.received[0]!.event).toMatchObject({ legalbasis: 'covenant' });

    await gw.publish([facts.revoked(t, consentId)]);
    const retraction = await waitFor(
      () => d.received.find((r) => r.event.type === 'nl.ketenlink.partner.retraction-issued.v1'),
      { timeoutMs: 20_000, what: 'the retraction' },
    );
    expect(retraction.event.data).toMatchObject({
      consentId,
      categories: ['title-and-conditions'],
      recipientOrganisationId: ZVH2,
    });
    const partner = await gw.as(ZVH2, ['partner-system']);
    const open = await partner.get('/partner/retractions');
    expect((open.body as { items: { acknowledgedAt: null }[] }).items).toEqual([
      expect.objectContaining({ acknowledgedAt: null }),
    ]);
    const retractionId = (retraction.event.data as { retractionId: string }).retractionId;
    expect(
      (await partner.post(`/partner/retractions/${retractionId}/acknowledgement`)).status,
    ).toBe(201);
    // A repeated withdrawal (another event of the same record) retracts nothing twice.
    const [again] = await gw.publish([facts.revoked(t, consentId)]);
    await waitFor(
      async () =>
        (
          (await gw.ds.query(`SELECT 1 FROM gateway_events WHERE id = $1`, [
            again!.id,
          ])) as unknown[]
        ).length === 1,
      { timeoutMs: 20_000, what: 'the repeated withdrawal consumed' },
    );
    const retractions = (await gw.ds.query(
      `SELECT count(*)::int AS n FROM retractions WHERE organisation_id = $1 AND consent_id = $2`,
      [ZVH2, consentId],
    )) as { n: number }[];
    expect(retractions[0]!.n).toBe(1);

    const replay = await partner.post('/partner/replays', { fromEventId: titles[0]!.id });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ queued: 0 });
    const withheld = (await gw.ds.query(
      `SELECT count(*)::int AS n FROM disclosure_audit WHERE organisation_id = $1 AND replay_id = $2
          AND outcome = 'withheld'`,
      [ZVH2, (replay.body as { replayId: string }).replayId],
    )) as { n: number }[];
    expect(withheld[0]!.n).toBeGreaterThanOrEqual(2);
    const titleDeliveries = d.received.filter((r) => r.event.type === TITLE);
    expect(titleDeliveries).toHaveLength(2);

    // A replay from a time also covers registry events (subject: an organisation) and the
    // gateway's own retraction notices: they are skipped, not fed to the gate (was a 500).
    const others = (await gw.ds.query(
      `SELECT count(*)::int AS n FROM gateway_events
        WHERE trajectory_id !~ '^[0-9a-f-]{36}$' OR type LIKE 'nl.ketenlink.partner.%'`,
    )) as { n: number }[];
    expect(others[0]!.n).toBeGreaterThan(0);
    const fromStart = await partner.post('/partner/replays', { fromTime: '2000-01-01T00:00:00Z' });
    expect(fromStart.status).toBe(202);
  }, 60_000);

  it('pull: an event decided with the consent in force now; an outsider gets 404', async () => {
    const [e] = (await gw.ds.query(
      `SELECT id::text FROM gateway_events WHERE type = $1 AND trajectory_id = $2 LIMIT 1`,
      [TITLE, trajectories[0]],
    )) as { id: string }[];
    const prob = await gw.as(PROB, ['partner-system']);
    const res = await prob.get(`/partner/events/${e!.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveProperty('conditions');
    const outsider = await gw.as(OUTSIDER, ['partner-system']);
    expect((await outsider.get(`/partner/events/${e!.id}`)).status).toBe(404);
    const audited = (await gw.ds.query(
      `SELECT outcome FROM disclosure_audit WHERE channel_kind = 'pull' ORDER BY id`,
    )) as { outcome: string }[];
    expect(audited.map((r) => r.outcome)).toEqual(expect.arrayContaining(['pulled', 'withheld']));
  });

  it('secret rotation: during the overlap both secrets verify, the old one alone after it', async () => {
    const op = await gw.as('ketenlink-ops', ['operator']);
    const [channel] = (await gw.ds.query(
      `SELECT id::text FROM partner_channels WHERE organisation_id = $1 AND kind = 'webhook'`,
      [PROB],
    )) as { id: string }[];
    const rotated = await op.post(`/partners/${PROB}/channels/webhooks/${channel!.id}/secret`, {
      overlapMs: 60_000,
    });
    expect(rotated.status).toBe(201);
    const { secret } = rotated.body as { secret: string };
    const deliverOne = async (n: number) => {
      const before = a.received.length;
      await gw.publish([facts.title(trajectories[0]!, n)]);
      await waitFor(() => a.received.length > before, {
        timeoutMs: 20_000,
        what: 'a delivery after rotation',
      });
    };
    const rejected = a.rejected;
    // During the overlap a receiver still on the old secret verifies, and one on the new too.
    a.setSecrets([probSecret]);
    await deliverOne(8);
    a.setSecrets([secret]);
    await deliverOne(9);
    expect(a.rejected).toBe(rejected);
    // After the overlap only the new secret signs: the old one alone is refused (and retried).
    await gw.ds.query(
      `UPDATE webhook_secrets SET retires_at = now() WHERE channel_id = $1 AND retires_at IS NOT NULL`,
      [channel!.id],
    );
    a.setSecrets([probSecret]);
    const before = a.received.length;
    await gw.publish([facts.title(trajectories[0]!, 10)]);
    await waitFor(() => a.rejected > rejected, { timeoutMs: 20_000, what: 'a refused signature' });
    expect(a.received.length).toBe(before);
    a.setSecrets([secret]);
    await waitFor(() => a.received.length > before, { timeoutMs: 20_000, what: 'the retry' });
  }, 60_000);

  it('bad input is a 4xx problem and stores nothing', async () => {
    const op = await gw.as('ketenlink-ops', ['operator']);
    const count = async () =>
      (
        (await gw.ds.query(
          `SELECT (SELECT count(*) FROM partners)::int + (SELECT count(*) FROM partner_channels)::int AS n`,
        )) as { n: number }[]
      )[0]!.n;
    const n = await count();
    const unregistered = await op.post('/partners', { organisationId: 'nobody-registered' });
    expect(unregistered.status).toBe(422);
    expect(unregistered.headers['content-type']).toMatch(/problem\+json/);
    expect((await op.post('/partners', { organisationId: 'Bad Id!' })).status).toBe(400);
    expect((await op.post('/partners', { organisationId: PROB, extra: 1 })).status).toBe(400);
    expect(
      (await op.post(`/partners/${PROB}/channels/webhooks`, { url: 'http://partner.example/x' }))
        .status,
    ).toBe(422);
    expect(
      (await op.put(`/partners/${PROB}/subscriptions`, { eventTypes: ['nl.ketenlink.no.such.v1'] }))
        .status,
    ).toBe(422);
    expect((await op.post('/partners', { organisationId: PROB })).status).toBe(409);
    const partner = await gw.as(PROB, ['partner-system']);
    expect((await partner.post('/partners', { organisationId: OUTSIDER })).status).toBe(403);
    expect((await partner.post('/partner/replays', {})).status).toBe(422);
    expect(await count()).toBe(n);
  });
});
