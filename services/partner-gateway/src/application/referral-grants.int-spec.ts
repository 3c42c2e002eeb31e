import '../test-support/topic-prefix';
import { randomUUID } from 'node:crypto';
import { validatePayload } from '@ketenlink/contracts';
import { REFERRAL_CATEGORIES } from '@ketenlink/disclosure';
import type { CloudEvent } from '@ketenlink/messaging';
import { waitFor } from '@ketenlink/testing';
import {
  auditOf,
  facts,
  type GatewayTestApp,
  registerOrganisations,
  registerPartner,
  startGatewayTestApp,
} from '../test-support/harness';
import { placementRequestData } from '../test-support/placement';
import { type ReferenceSubscriber, webhookPartner } from '../test-support/webhook-partner';

/**
 * The referral grant (ADR 0042) through real Kafka, PostgreSQL and HTTP receivers: the provider a
 * placement request is addressed to does not take part in the trajectory, and its partner system
 * receives the request (the referral categories, on legal duty, the audit naming the referral)
 * and the placement's events while the referral is in force; a provider not addressed receives
 * nothing; after the refusal or the withdrawal a later event of the placement is withheld. Each
 * event is published after the one before it was decided (its audit row): events of two topics
 * have no order between them. The gateway runs without its outbox relay (webhooks do not need
 * it): a partner topic copy waits in the outbox, and the refusal re-decides it (ADR 0039).
 */
const ZVH = 'zvh-referral';
const PROVIDER = 'fz-referral';
const OTHER = 'fz-other-referral';
const TOPIC_PROVIDER = 'fz-topic-referral';
const REQUESTED = 'nl.ketenlink.placement.requested.v1';
const DOCUMENTS = 'nl.ketenlink.placement.documents-completed.v1';
const REFUSED = 'nl.ketenlink.placement.refused.v1';
const WITHDRAWN = 'nl.ketenlink.placement.withdrawn.v1';
const TYPES = [REQUESTED, DOCUMENTS, REFUSED, WITHDRAWN];

let gw: GatewayTestApp;
const receivers = new Map<string, ReferenceSubscriber>();

const count = async (sql: string, params: unknown[]): Promise<number> =>
  ((await gw.ds.query(sql, params)) as { n: number }[])[0]!.n;

beforeAll(async () => {
  gw = await startGatewayTestApp({
    PARTNER_WEBHOOK_POLL_MS: '50',
    PARTNER_GATEWAY_OUTBOX_RELAY: 'false',
  });
  await registerOrganisations(gw, [
    ['ketenlink-ops', 'platform'],
    [ZVH, 'zvh'],
    [PROVIDER, 'care-provider'],
    [OTHER, 'care-provider'],
    [TOPIC_PROVIDER, 'care-provider'],
  ]);
  for (const org of [PROVIDER, OTHER]) receivers.set(org, await webhookPartner(gw, org, TYPES));
}, 60_000);

afterAll(async () => {
  for (const r of receivers.values()) await r.close();
  await gw?.close();
});

/** A trajectory the ZVH takes part in (and neither provider), once its facts are projected. */
async function trajectory(): Promise<string> {
  const t = randomUUID();
  await gw.publish([facts.opened(t, ZVH), facts.joined(t, ZVH, 'zvh')]);
  await waitFor(
    async () =>
      (await count(`SELECT count(*)::int AS n FROM facts_participations WHERE trajectory_id = $1`, [
        t,
      ])) === 1,
    { what: 'participation projected' },
  );
  return t;
}

/** Published only when valid against its real schema (a dead letter would only time out). */
async function publish(type: string, t: string, data: Record<string, unknown>) {
  expect(validatePayload(type, data)).toEqual({ ok: true });
  const [e] = await gw.publish([{ type, subject: t, data }]);
  return e!;
}

const ids = (t: string, placementId: string) => ({
  trajectoryId: t,
  placementId,
  providerOrganisationId: PROVIDER,
});
const now = () => new Date().toISOString();

interface Audit {
  outcome: string;
  categories: string[];
  legal_basis: string | null;
  legal_bases: Record<string, string>;
  consent_refs: string[];
  detail: string | null;
}

/** The consumer's decision for `org` on `event` (queued or withheld), once it was taken. */
const decided = (org: string, event: CloudEvent) =>
  waitFor(
    async () =>
      (
        (await gw.ds.query(
          `SELECT outcome, categories, legal_basis, legal_bases, consent_refs, detail
             FROM disclosure_audit WHERE organisation_id = $1 AND event_id = $2
              AND outcome IN ('queued', 'withheld') ORDER BY id LIMIT 1`,
          [org, event.id],
        )) as Audit[]
      )[0],
    { timeoutMs: 30_000, what: `the decision on ${event.type} for ${org}` },
  );

const received = (org: string, event: CloudEvent) =>
  receivers.get(org)!.received.find((x) => x.event.id === event.id);

/** The request reaches the addressed provider only; returns it with the placement id. */
async function requested(t: string) {
  const placementId = randomUUID();
  const request = await publish(REQUESTED, t, {
    ...placementRequestData(t, ZVH, PROVIDER, placementId),
    medicationNotes: 'methadone 60 mg daily, dispensed by the pharmacy',
  });
  const copy = await waitFor(async () => received(PROVIDER, request), {
    timeoutMs: 30_000,
    what: "the provider's copy of the placement request",
  });
  expect(copy.event.data).toMatchObject({
    placementId,
    medicationNotes: 'methadone 60 mg daily, dispensed by the pharmacy',
    offenceCategory: 'arson',
    needs: ['housing'],
  });
  const categories = String(copy.event.datacategories).split(',');
  expect(categories).toEqual(expect.arrayContaining(['medical', 'risk', 'plan-and-goals']));
  for (const c of categories) expect(REFERRAL_CATEGORIES).toContain(c);
  expect(copy.event.legalbasis).toBe('legal-duty');
  expect(copy.event.consentrefs).toBe(placementId);
  const audit = (await decided(PROVIDER, request))!;
  expect(audit).toMatchObject({ outcome: 'queued', legal_basis: 'legal-duty' });
  expect(audit.consent_refs).toEqual([placementId]);
  expect(audit.legal_bases.medical).toBe(`legal-duty (disclosure-record:referral ${placementId})`);
  // The provider not addressed: withheld in the same transaction, so final, not early.
  expect(await decided(OTHER, request)).toMatchObject({
    outcome: 'withheld',
    detail: 'does not take part in the trajectory',
  });
  expect(received(OTHER, request)).toBeUndefined();
  return placementId;
}

/**
 * After the referral ended, a later event of the placement is not sent to the provider. The end
 * itself: a refusal (the provider's own) is decided with the grant ended at its instant; a
 * withdrawal reaches the provider on the grant as it stood, so its system closes the request.
 */
async function endedThenWithheld(t: string, placementId: string, end: CloudEvent) {
  if (end.type === WITHDRAWN) {
    expect(await decided(PROVIDER, end)).toMatchObject({
      outcome: 'queued',
      legal_basis: 'legal-duty',
      consent_refs: [placementId],
    });
    const notice = await waitFor(async () => received(PROVIDER, end), {
      timeoutMs: 30_000,
      what: "the provider's copy of the withdrawal",
    });
    expect(notice.event.data).toMatchObject({ placementId });
    expect(await decided(OTHER, end)).toMatchObject({ outcome: 'withheld' });
  } else {
    expect(await decided(PROVIDER, end)).toMatchObject({ outcome: 'withheld' });
  }
  const later = await publish(DOCUMENTS, t, {
    ...ids(t, placementId),
    documentKinds: ['risk-assessment'],
    completedAt: now(),
    answerDueOn: '2026-12-04',
  });
  expect(await decided(PROVIDER, later)).toMatchObject({
    outcome: 'withheld',
    detail: 'does not take part in the trajectory',
  });
  expect(received(PROVIDER, later)).toBeUndefined();
  expect(
    await count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE event_id = $1`, [
      later.id,
    ]),
  ).toBe(0);
}

describe('referral grants in the fan-out (real Kafka, PostgreSQL)', () => {
  it('the addressed provider gets the request and the placement events until its refusal', async () => {
    const t = await trajectory();
    const placementId = await requested(t);
    // While in force, the placement's events reach it too.
    const documents = await publish(DOCUMENTS, t, {
      ...ids(t, placementId),
      documentKinds: ['risk-assessment'],
      completedAt: now(),
      answerDueOn: '2026-12-04',
    });
    await waitFor(async () => received(PROVIDER, documents), {
      timeoutMs: 30_000,
      what: "the provider's copy of documents-completed",
    });
    const refused = await publish(REFUSED, t, {
      ...ids(t, placementId),
      reasonCode: 'no-capacity',
      refusedAt: now(),
    });
    await endedThenWithheld(t, placementId, refused);
    const [grant] = (await gw.ds.query(
      `SELECT refused_at, withdrawn_at FROM referral_grants WHERE placement_id = $1`,
      [placementId],
    )) as { refused_at: Date | null; withdrawn_at: Date | null }[];
    expect(grant!.refused_at).toBeInstanceOf(Date);
    expect(grant!.withdrawn_at).toBeNull();
  }, 120_000);

  it('the withdrawal ends it likewise', async () => {
    const t = await trajectory();
    const placementId = await requested(t);
    const withdrawn = await publish(WITHDRAWN, t, { ...ids(t, placementId), withdrawnAt: now() });
    await endedThenWithheld(t, placementId, withdrawn);
  }, 120_000);

  it('a topic copy of the request still waiting in the outbox is re-decided at the refusal', async () => {
    const op = await registerPartner(gw, TOPIC_PROVIDER, { fullPayloads: true, eventTypes: TYPES });
    expect((await op.post(`/partners/${TOPIC_PROVIDER}/channels/topic`, {})).status).toBe(201);
    const t = await trajectory();
    const placementId = randomUUID();
    const request = await publish(
      REQUESTED,
      t,
      placementRequestData(t, ZVH, TOPIC_PROVIDER, placementId),
    );
    const queued = await waitFor(async () => (await auditOf(gw, TOPIC_PROVIDER, request.id))[0], {
      what: 'the topic copy of the request queued',
    });
    expect(queued).toMatchObject({ outcome: 'queued', channel_kind: 'topic' });
    expect(queued.consent_refs).toEqual([placementId]);
    await publish(REFUSED, t, {
      ...ids(t, placementId),
      providerOrganisationId: TOPIC_PROVIDER,
      reasonCode: 'no-capacity',
      refusedAt: now(),
    });
    const redecided = await waitFor(
      async () => (await auditOf(gw, TOPIC_PROVIDER, request.id))[1],
      {
        timeoutMs: 30_000,
        what: 'the waiting copy re-decided at the refusal',
      },
    );
    expect(redecided).toMatchObject({ outcome: 'withheld', delivery_id: queued.delivery_id });
    expect(redecided.detail).toMatch(
      /^re-decided at withdrawal \(nl\.ketenlink\.placement\.refused\.v1\): does not take part/,
    );
    expect(
      await count(`SELECT count(*)::int AS n FROM outbox WHERE id = $1`, [queued.delivery_id]),
    ).toBe(0);
  }, 120_000);
});
