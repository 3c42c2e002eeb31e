import '../test-support/topic-prefix';
import { randomUUID } from 'node:crypto';
import { validatePayload } from '@ketenlink/contracts';
import { kafkaClients, OutboxRelay } from '@ketenlink/messaging';
import { waitFor } from '@ketenlink/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import {
  auditOf as auditRows,
  facts,
  type GatewayTestApp,
  registerOrganisations,
  registerPartner,
  readPartnerTopic,
  startGatewayTestApp,
  type TopicCredentials,
  type TopicMessage,
  trajectoryWithConsents,
} from '../test-support/harness';
import { placementRequestData } from '../test-support/placement';

/**
 * Partner topic copies still waiting in the outbox when a consent is withdrawn (ADR 0039): the
 * gateway runs without its relay, so the copies wait as they would through a Kafka outage; the
 * withdrawal re-decides them in its inbox transaction; then a relay publishes. The partner reads
 * the narrower copy, nothing of the event with nothing left permitted, the copy a relay was
 * already sending (a live lease: left as it was), then the retraction — in that order. The
 * other narrowing events re-decide them the same way: a participation ended, and the last title
 * ended (R-TITLE-END: probation's legal duty, its only ground, ends with it).
 */
const ZVH = 'zvh-topic-withdrawal';
const TITLE = 'nl.ketenlink.title.registered.v1';
const PLACEMENT = 'nl.ketenlink.placement.requested.v1';
const RETRACTION = 'nl.ketenlink.partner.retraction-issued.v1';
const TITLE_ENDED = 'nl.ketenlink.title.ended.v1';

let gw: GatewayTestApp;
let pool: Pool | undefined;
let relay: OutboxRelay | undefined;
const kafkas: { disconnect(): Promise<void> }[] = [];

const count = async (sql: string, params: unknown[]): Promise<number> =>
  ((await gw.ds.query(sql, params)) as { n: number }[])[0]!.n;

beforeAll(async () => {
  gw = await startGatewayTestApp({
    PARTNER_WEBHOOK_POLL_MS: '0',
    PARTNER_GATEWAY_OUTBOX_RELAY: 'false',
  });
  await registerOrganisations(gw, [
    ['ketenlink-ops', 'platform'],
    [ZVH, 'zvh'],
  ]);
}, 60_000);

afterAll(async () => {
  for (const k of kafkas) await k.disconnect().catch(() => undefined);
  await relay?.stop();
  await pool?.end();
  await gw?.close();
});

/** The topic channel's audit of one event. */
const auditOf = async (eventId: string) =>
  (await auditRows(gw, ZVH, eventId)).filter((a) => a.channel_kind === 'topic');

const outboxRow = async (id: string) =>
  (
    (await gw.ds.query(`SELECT payload, headers, published_at FROM outbox WHERE id = $1`, [
      id,
    ])) as { payload: Record<string, unknown>; headers: { extensions: Record<string, string> } }[]
  )[0];

/** What the partner read from its own topic, in order. */
const received: TopicMessage[] = [];

/** The outbox relay, as the gateway runs it, started now (the gateway's own is off). */
async function startRelay(): Promise<OutboxRelay> {
  pool ??= new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  relay = new OutboxRelay({
    pool,
    listenUrl: process.env.DATABASE_URL!,
    producer: kafkaClients({ clientId: 'gateway-int-relay' }).producer(),
    pollIntervalMs: 100,
  });
  await relay.start();
  return relay;
}

function placementOf(t: string) {
  const data = placementRequestData(t, ZVH, 'fz-topic-withdrawal', randomUUID());
  expect(validatePayload(PLACEMENT, data)).toEqual({ ok: true });
  return { type: PLACEMENT, subject: t, data };
}

/** Publishes one event and waits until its topic copy is queued: its event and queued audit row. */
async function queued(input: { type: string; subject: string; data: unknown }) {
  const [event] = await gw.publish([input]);
  const row = await waitFor(async () => (await auditOf(event!.id))[0], {
    what: `the ${input.type} copy queued`,
  });
  expect(row).toMatchObject({ outcome: 'queued', channel_kind: 'topic' });
  return { event: event!, row };
}

async function withdraw(t: string, consentId: string): Promise<void> {
  await gw.publish([facts.revoked(t, consentId)]);
  await waitFor(
    async () =>
      (await count(
        `SELECT count(*)::int AS n FROM retractions WHERE organisation_id = $1 AND consent_id = $2`,
        [ZVH, consentId],
      )) === 1,
    { timeoutMs: 30_000, what: 'the withdrawal consumed and its retraction issued' },
  );
}

/**
 * Registers `org` as a partner of the title and placement events with a topic channel, and reads
 * its topic as the partner would (SASL/SCRAM) into `into`.
 */
async function subscribedOnTopic(org: string, into: TopicMessage[]): Promise<void> {
  const op = await registerPartner(gw, org, {
    fullPayloads: true,
    eventTypes: [TITLE, PLACEMENT],
  });
  const ch = await op.post(`/partners/${org}/channels/topic`, {});
  expect(ch.status).toBe(201);
  const credentials = ch.body as TopicCredentials;
  const kafka = new Kafka({
    clientId: `partner-${credentials.username}`,
    brokers: credentials.bootstrapServers.split(','),
    sasl: {
      mechanism: 'scram-sha-512',
      username: credentials.username,
      password: credentials.password,
    },
    logLevel: logLevel.NOTHING,
  });
  kafkas.push(await readPartnerTopic(kafka, credentials, into));
}

describe('partner topic copies queued before a withdrawal (real Kafka, PostgreSQL)', () => {
  it('re-decided in the withdrawal: narrower copy, nothing for the withheld one, a leased one left, then the retraction', async () => {
    await subscribedOnTopic(ZVH, received);

    const { t, titleConsent, riskConsent } = await trajectoryWithConsents(gw, ZVH);
    const { event: title, row: titleQueued } = await queued(facts.title(t, 1));
    const { event: placement, row: placementQueued } = await queued(placementOf(t));
    const { event: busy, row: busyQueued } = await queued(facts.title(t, 2));
    expect(placementQueued.categories).toEqual(
      expect.arrayContaining(['title-and-conditions', 'risk']),
    );
    // A relay is sending the second title copy right now (a live lease on its row).
    await gw.ds.query(
      `UPDATE outbox SET lease_owner = 'int-busy-relay', lease_expires_at = now() + interval '1 hour'
        WHERE id = $1`,
      [busyQueued.delivery_id],
    );

    // The title consent is withdrawn while the copies wait.
    await withdraw(t, titleConsent);

    // In the withdrawal's transaction: the title copy removed, withheld in the audit…
    expect(await outboxRow(titleQueued.delivery_id!)).toBeUndefined();
    const titleAudit = await auditOf(title.id);
    expect(titleAudit.map((a) => a.outcome)).toEqual(['queued', 'withheld']);
    expect(titleAudit[1]).toMatchObject({ delivery_id: titleQueued.delivery_id });
    expect(titleAudit[1]!.detail).toMatch(
      /^re-decided at withdrawal \(nl\.ketenlink\.consent\.revoked\.v1\): no field of the event is permitted beyond metadata/,
    );
    // …the placement copy rewritten without the withdrawn category, on the other consent only…
    const placementRow = (await outboxRow(placementQueued.delivery_id!))!;
    expect(placementRow.payload).not.toHaveProperty('titleKind');
    expect(placementRow.payload).toMatchObject({ offenceCategory: 'arson' });
    expect(placementRow.headers.extensions.consentrefs).toBe(riskConsent);
    const redecided = (await auditOf(placement.id))[1]!;
    expect(redecided).toMatchObject({ outcome: 'queued', consent_refs: [riskConsent] });
    expect(redecided.categories).not.toContain('title-and-conditions');
    expect(redecided.detail).toMatch(/^re-decided at withdrawal/);
    // …and the copy a relay holds a lease on left as it is.
    const busyRow = (await outboxRow(busyQueued.delivery_id!))!;
    expect(busyRow.payload).toHaveProperty('titleId');
    expect((await auditOf(busy.id)).map((a) => a.outcome)).toEqual(['queued']);

    // The relay runs again; the partner reads its topic.
    await startRelay();
    await waitFor(() => received.find((r) => r.headers.ce_id === placement.id), {
      timeoutMs: 30_000,
      what: 'the placement copy on the partner topic',
    });
    // The retraction waits behind the leased row on the same key; the "busy relay" ends.
    expect(received.find((r) => r.headers.ce_type === RETRACTION)).toBeUndefined();
    await gw.ds.query(`UPDATE outbox SET lease_expires_at = now() WHERE id = $1`, [
      busyQueued.delivery_id,
    ]);
    await waitFor(() => received.find((r) => r.headers.ce_type === RETRACTION), {
      timeoutMs: 30_000,
      what: 'the retraction on the partner topic',
    });

    expect(received.map((r) => r.headers.ce_id)).toEqual([
      placement.id,
      busy.id,
      received.at(-1)!.headers.ce_id,
    ]);
    const [got] = received;
    expect(got!.value).toMatchObject({ offenceCategory: 'arson', activeSubstanceUse: false });
    expect(got!.value).not.toHaveProperty('titleKind');
    expect(got!.headers.ce_datacategories!.split(',')).not.toContain('title-and-conditions');
    expect(got!.headers.ce_consentrefs).toBe(riskConsent);
    expect(received.at(-1)!.value).toMatchObject({
      consentId: titleConsent,
      categories: ['title-and-conditions'],
    });
    // The relay's outcome audit (the outbox trigger) carries what was actually published.
    await waitFor(
      async () =>
        (await auditOf(placement.id)).some((a) => a.outcome === 'delivered') &&
        (await auditOf(busy.id)).some((a) => a.outcome === 'delivered'),
      { what: 'the deliveries audited' },
    );
    const delivered = (await auditOf(placement.id)).find((a) => a.outcome === 'delivered')!;
    expect(delivered.categories).not.toContain('title-and-conditions');
    expect(delivered.consent_refs).toEqual([riskConsent]);
    expect((await auditOf(title.id)).map((a) => a.outcome)).toEqual(['queued', 'withheld']);
    await relay!.stop();
  }, 120_000);

  it('a parked copy with nothing left permitted is removed at the withdrawal: its key flows again', async () => {
    const { t, titleConsent, riskConsent } = await trajectoryWithConsents(gw, ZVH);
    const { event: title, row: titleQueued } = await queued(facts.title(t, 3));
    const { event: placement } = await queued(placementOf(t));
    // Kafka refused the title copy for good: parked, its key (partner:trajectory) waits behind it.
    await gw.ds.query(
      `UPDATE outbox SET parked_at = now(), attempts = attempts + 1, last_error = 'int: refused'
        WHERE id = $1`,
      [titleQueued.delivery_id],
    );
    await withdraw(t, titleConsent);
    expect(await outboxRow(titleQueued.delivery_id!)).toBeUndefined();
    expect((await auditOf(title.id)).map((a) => a.outcome)).toEqual([
      'queued',
      'dead-lettered',
      'withheld',
    ]);

    await startRelay();
    const ofT = () => received.filter((r) => r.headers.ce_subject === t);
    await waitFor(() => ofT().find((r) => r.headers.ce_type === RETRACTION), {
      timeoutMs: 30_000,
      what: 'the retraction on the partner topic',
    });
    expect(ofT().map((r) => r.headers.ce_type)).toEqual([PLACEMENT, RETRACTION]);
    expect(ofT()[0]!.headers.ce_id).toBe(placement.id);
    expect(ofT()[0]!.value).not.toHaveProperty('titleKind');
    expect(ofT()[0]!.headers.ce_consentrefs).toBe(riskConsent);
    expect(
      await count(`SELECT count(*)::int AS n FROM outbox WHERE parked_at IS NOT NULL`, []),
    ).toBe(0);
  }, 120_000);

  it('the partner leaves the trajectory while copies wait: they are removed, withheld, never published', async () => {
    const { t } = await trajectoryWithConsents(gw, ZVH);
    await relay!.stop();
    const { event: title, row: titleQueued } = await queued(facts.title(t, 4));
    const { event: placement, row: placementQueued } = await queued(placementOf(t));
    await gw.publish([
      {
        type: 'nl.ketenlink.trajectory.participant-left.v1',
        subject: t,
        data: { trajectoryId: t, organisationId: ZVH, role: 'zvh', at: new Date().toISOString() },
      },
    ]);
    await waitFor(async () => (await auditOf(placement.id)).length === 2, {
      timeoutMs: 30_000,
      what: 'the leaving projected and the copies re-decided',
    });
    for (const [event, row] of [
      [title, titleQueued],
      [placement, placementQueued],
    ] as const) {
      expect(await outboxRow(row.delivery_id!)).toBeUndefined();
      const [, withheld] = await auditOf(event.id);
      expect(withheld).toMatchObject({ outcome: 'withheld', delivery_id: row.delivery_id });
      expect(withheld!.detail).toMatch(
        /^re-decided at withdrawal \(nl\.ketenlink\.trajectory\.participant-left\.v1\): does not take part/,
      );
    }
    // A later event of another trajectory goes out: nothing of t was published in between.
    await startRelay();
    const other = await trajectoryWithConsents(gw, ZVH);
    const { event: marker } = await queued(facts.title(other.t, 5));
    await waitFor(() => received.find((r) => r.headers.ce_id === marker.id), {
      timeoutMs: 30_000,
      what: 'a later copy on the partner topic',
    });
    expect(received.filter((r) => r.headers.ce_subject === t)).toEqual([]);
  }, 120_000);

  it("the trajectory's last title ends while copies wait: probation's legal duty ends with it (R-TITLE-END)", async () => {
    // Probation takes part on its role default only (legal duty, no consent record): the
    // title-bound categories (title and conditions, risk) end with the last title.
    const PROB = 'prob-topic-withdrawal';
    await registerOrganisations(gw, [[PROB, 'probation-service']]);
    const got: TopicMessage[] = [];
    await subscribedOnTopic(PROB, got);
    const probAudit = async (eventId: string) =>
      (await auditRows(gw, PROB, eventId)).filter((a) => a.channel_kind === 'topic');

    await relay?.stop();
    const t = randomUUID();
    await gw.publish([facts.opened(t, ZVH), facts.joined(t, PROB, 'probation')]);
    // The title and the placement request are on different topics: each one queued, then the next.
    const titleData = facts.title(t, 6);
    const [title] = await gw.publish([titleData]);
    const titleQueued = await waitFor(async () => (await probAudit(title!.id))[0], {
      what: "probation's title copy queued",
    });
    expect(titleQueued).toMatchObject({ outcome: 'queued', consent_refs: [] });
    const [placement] = await gw.publish([placementOf(t)]);
    const placementQueued = await waitFor(async () => (await probAudit(placement!.id))[0], {
      what: "probation's placement copy queued",
    });
    expect(placementQueued.categories).toEqual(
      expect.arrayContaining(['title-and-conditions', 'risk', 'participation']),
    );

    // The title, the trajectory's only one, ends today (a hearing ended it early).
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });
    const ended = {
      trajectoryId: t,
      titleId: titleData.data.titleId,
      endedOn: today,
      reason: 'ended-early-hearing',
    };
    expect(validatePayload(TITLE_ENDED, ended)).toEqual({ ok: true });
    await gw.publish([{ type: TITLE_ENDED, subject: t, data: ended }]);
    // The barrier: the title's end projected (the re-decision runs in the same inbox transaction).
    await waitFor(
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM facts_titles WHERE title_id = $1 AND ended_on IS NOT NULL`,
          [ended.titleId],
        )) === 1,
      { timeoutMs: 30_000, what: 'the title end projected' },
    );

    // The title copy: nothing beyond metadata is permitted any more — removed, withheld.
    expect(await outboxRow(titleQueued.delivery_id!)).toBeUndefined();
    const titleAudit = await probAudit(title!.id);
    expect(titleAudit.map((a) => a.outcome)).toEqual(['queued', 'withheld']);
    expect(titleAudit[1]).toMatchObject({ delivery_id: titleQueued.delivery_id });
    expect(titleAudit[1]!.detail).toMatch(
      /^re-decided at withdrawal \(nl\.ketenlink\.title\.ended\.v1\): no field of the event is permitted beyond metadata/,
    );
    // The placement copy: rewritten with only what participation still permits.
    const placementRow = (await outboxRow(placementQueued.delivery_id!))!;
    for (const field of ['titleKind', 'offenceCategory', 'activeSubstanceUse']) {
      expect(placementRow.payload).not.toHaveProperty(field);
    }
    expect(placementRow.payload).toMatchObject({ providerOrganisationId: 'fz-topic-withdrawal' });
    const redecided = (await probAudit(placement!.id))[1]!;
    expect(redecided).toMatchObject({
      outcome: 'queued',
      delivery_id: placementQueued.delivery_id,
      consent_refs: [],
    });
    expect(redecided.categories).not.toContain('title-and-conditions');
    expect(redecided.categories).not.toContain('risk');
    expect(redecided.detail).toMatch(/^re-decided at withdrawal \(nl\.ketenlink\.title\.ended/);

    // The relay runs again: probation reads the narrowed placement copy, and nothing before it
    // on its key (the title copy would have gone first).
    await startRelay();
    await waitFor(() => got.find((r) => r.headers.ce_id === placement!.id), {
      timeoutMs: 30_000,
      what: "the placement copy on probation's topic",
    });
    const ofT = got.filter((r) => r.headers.ce_subject === t);
    expect(ofT.map((r) => r.headers.ce_id)).toEqual([placement!.id]);
    expect(ofT[0]!.value).toMatchObject({ placementId: placementRow.payload.placementId });
    for (const field of ['titleKind', 'offenceCategory', 'activeSubstanceUse']) {
      expect(ofT[0]!.value).not.toHaveProperty(field);
    }
    const sent = ofT[0]!.headers.ce_datacategories!.split(',');
    expect(sent).toContain('participation');
    expect(sent).not.toContain('title-and-conditions');
    expect(sent).not.toContain('risk');
  }, 120_000);
});
