import '../test-support/topic-prefix';
import { randomUUID } from 'node:crypto';
import { validatePayload } from '@ketenlink/contracts';
import { waitFor } from '@ketenlink/testing';
// The reference subscriber is documentation partners copy (docs/partner-guide.md), not a
// library: the test runs against that very file.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  type ReferenceSubscriber,
  startReferenceSubscriber,
} from '../../../../docs/examples/reference-subscriber';
import {
  auditOf as auditRows,
  facts,
  type GatewayTestApp,
  registerOrganisations,
  registerPartner,
  startGatewayTestApp,
  trajectoryWithConsents,
} from '../test-support/harness';
import { placementRequestData } from '../test-support/placement';
import { type AuditEntry, DeliveryStore } from './ports/delivery.store.port';

/**
 * A webhook copy is decided at send time (ADR 0039), with the consent in force at each attempt:
 * copies queued while the receiver is down, a consent withdrawn, the receiver up again — the
 * delivered body lacks the withdrawn category, an event with nothing left permitted is withheld,
 * and the append-only audit says so per attempt. A replay copy carries a new delivery key
 * (ADR 0040: webhook-id `<event id>:<replay id>`), so a receiver that deduplicates by it takes it.
 */
const ZVH = 'zvh-send-time';
const TITLE = 'nl.ketenlink.title.registered.v1';
const PLACEMENT = 'nl.ketenlink.placement.requested.v1';

let gw: GatewayTestApp;
let receiver: ReferenceSubscriber;

const count = async (sql: string, params: unknown[]): Promise<number> =>
  ((await gw.ds.query(sql, params)) as { n: number }[])[0]!.n;

beforeAll(async () => {
  gw = await startGatewayTestApp({
    PARTNER_WEBHOOK_POLL_MS: '50',
    PARTNER_WEBHOOK_MAX_ATTEMPTS: '1000',
    PARTNER_WEBHOOK_BASE_DELAY_MS: '50',
    PARTNER_WEBHOOK_MAX_DELAY_MS: '200',
  });
  receiver = await startReferenceSubscriber({ secrets: [] });
  await registerOrganisations(gw, [
    ['ketenlink-ops', 'platform'],
    [ZVH, 'zvh'],
  ]);
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  await gw?.close();
});

const auditOf = (eventId: string) => auditRows(gw, ZVH, eventId);

describe('webhook copies decided at send time (real Kafka, PostgreSQL and HTTP receiver)', () => {
  it('a withdrawal while the receiver is down: the retried copy lacks the category, an event with nothing left is withheld, audited per attempt', async () => {
    const op = await registerPartner(gw, ZVH, {
      fullPayloads: true,
      eventTypes: [TITLE, PLACEMENT],
    });
    const ch = await op.post(`/partners/${ZVH}/channels/webhooks`, { url: receiver.url });
    expect(ch.status).toBe(201);
    receiver.setSecrets([(ch.body as { secret: string }).secret]);
    receiver.setDown(true);

    const { t, titleConsent, riskConsent } = await trajectoryWithConsents(gw, ZVH);
    const placementData = placementRequestData(t, ZVH, 'fz-send-time', randomUUID());
    expect(validatePayload(PLACEMENT, placementData)).toEqual({ ok: true });
    // The title event (trajectory topic) first, failing at the head of the trajectory's queue;
    // then the placement request (placement topic) behind it. Published together, the two topics
    // are consumed in either order (no order across topics), and whichever is queued first heads
    // the queue: this test needs the title at the head.
    const [title] = await gw.publish([facts.title(t, 1)]);
    await waitFor(
      async () => (await auditOf(title!.id)).filter((a) => a.outcome === 'failed').length >= 2,
      { timeoutMs: 30_000, what: 'the title copy failing at the head while the receiver is down' },
    );
    const [placement] = await gw.publish([{ type: PLACEMENT, subject: t, data: placementData }]);
    await waitFor(async () => (await auditOf(placement!.id)).some((a) => a.outcome === 'queued'), {
      timeoutMs: 30_000,
      what: 'the placement copy queued behind it',
    });
    const queued = (await auditOf(placement!.id)).find((a) => a.outcome === 'queued')!;
    expect(queued.categories).toEqual(expect.arrayContaining(['title-and-conditions', 'risk']));
    expect(queued.consent_refs.sort()).toEqual([titleConsent, riskConsent].sort());

    // The title consent is withdrawn while the copies wait.
    await gw.publish([facts.revoked(t, titleConsent)]);
    await waitFor(
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM retractions WHERE organisation_id = $1 AND consent_id = $2`,
          [ZVH, titleConsent],
        )) === 1,
      { timeoutMs: 30_000, what: 'the withdrawal projected and its retraction issued' },
    );
    receiver.setDown(false);

    const retraction = await waitFor(
      () =>
        receiver.received.find((r) => r.event.type === 'nl.ketenlink.partner.retraction-issued.v1'),
      { timeoutMs: 30_000, what: 'the retraction at the receiver' },
    );
    // The title event has nothing permitted any more: withheld at its attempt, never sent.
    expect(receiver.received.find((r) => r.event.id === title!.id)).toBeUndefined();
    const titleAudit = await auditOf(title!.id);
    const last = titleAudit.at(-1)!;
    expect(last).toMatchObject({ outcome: 'withheld', channel_kind: 'webhook' });
    expect(last.detail).toMatch(/at send time: no field of the event is permitted beyond metadata/);
    expect(titleAudit.filter((a) => a.outcome === 'delivered')).toEqual([]);
    // Per attempt: the failed attempts, then the withholding one, numbered 1, 2, …
    const attempts = titleAudit.filter((a) => a.attempt !== null).map((a) => a.attempt);
    expect(attempts).toEqual(attempts.map((_, i) => i + 1));

    // The placement request went out without the withdrawn category, on the other consent only.
    const got = receiver.received.find((r) => r.event.id === placement!.id)!;
    expect(got).toBeDefined();
    expect(got.event.data).toMatchObject({ offenceCategory: 'arson', activeSubstanceUse: false });
    expect(got.event.data).not.toHaveProperty('titleKind');
    expect(String(got.event.datacategories).split(',')).not.toContain('title-and-conditions');
    expect(got.event.consentrefs).toBe(riskConsent);
    const delivered = (await auditOf(placement!.id)).filter((a) => a.outcome === 'delivered');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.categories).not.toContain('title-and-conditions');
    expect(delivered[0]!.categories).toContain('risk');
    expect(delivered[0]!.consent_refs).toEqual([riskConsent]);
    // In order per trajectory: the placement copy before the retraction that followed it.
    const order = receiver.received.map((r) => r.event.id);
    expect(order.indexOf(placement!.id)).toBeLessThan(order.indexOf(retraction.event.id));
    expect(receiver.rejected).toBe(0);

    // Nothing pending; the audit stays append-only.
    expect(
      await count(
        `SELECT count(*)::int AS n FROM webhook_deliveries WHERE organisation_id = $1
            AND delivered_at IS NULL AND dead_at IS NULL AND withheld_at IS NULL`,
        [ZVH],
      ),
    ).toBe(0);
    await expect(gw.ds.query(`UPDATE disclosure_audit SET detail = 'x'`)).rejects.toThrow(
      /append-only/,
    );

    // A replay: a new delivery key (webhook-id), the same event id, taken by a receiver that
    // deduplicates by webhook-id; re-decided now (still without the title category).
    const partner = await gw.as(ZVH, ['partner-system']);
    const replay = await partner.post('/partner/replays', { fromEventId: placement!.id });
    expect(replay.status).toBe(202);
    const replayId = (replay.body as { replayId: string }).replayId;
    const again = await waitFor(
      () => receiver.received.find((r) => r.event.id === placement!.id && r.event.replayid),
      { timeoutMs: 30_000, what: 'the replay copy' },
    );
    expect(again.webhookId).toBe(`${placement!.id}:${replayId}`);
    expect(got.webhookId).toBe(placement!.id);
    expect(again.event).toMatchObject({ replayid: replayId, consentref: riskConsent });
    expect(again.event.data).not.toHaveProperty('titleKind');
    expect(receiver.duplicates).toBe(0);
    // …and supersedes what the receiver holds of that event.
    expect(receiver.current.get(placement!.id)).toBe(again);
  }, 120_000);

  it("an attempt's end is one statement: its audit always, the row's update only while the lease is held", async () => {
    const store = gw.app.get(DeliveryStore);
    const [row] = (await gw.ds.query(
      `SELECT seq::text AS seq, id::text AS id, channel_id::text AS channel_id,
              event_id::text AS event_id, event_type, trajectory_id
         FROM webhook_deliveries WHERE organisation_id = $1 ORDER BY seq LIMIT 1`,
      [ZVH],
    )) as {
      seq: string;
      id: string;
      channel_id: string;
      event_id: string;
      event_type: string;
      trajectory_id: string;
    }[];
    // Another dispatcher holds the lease now (this one's expired while it was sending).
    await gw.ds.query(
      `UPDATE webhook_deliveries SET lease_owner = 'int-new-holder' WHERE seq = $1`,
      [row!.seq],
    );
    const entry: AuditEntry = {
      organisationId: ZVH,
      channelKind: 'webhook',
      channelId: row!.channel_id,
      deliveryId: row!.id,
      eventId: row!.event_id,
      eventType: row!.event_type,
      trajectoryId: row!.trajectory_id,
      outcome: 'failed',
      attempt: 99,
      categories: ['metadata', 'risk'],
      legalBasis: 'covenant',
      legalBases: { metadata: 'covenant', risk: 'consent' },
      consentRefs: ['c-1'],
      traceparent: null,
      detail: 'int: lease check',
    };
    const end = (owner: string) => ({
      sql: `UPDATE webhook_deliveries SET last_error = $3, lease_owner = NULL
             WHERE seq = $1 AND lease_owner = $2`,
      params: [row!.seq, owner, 'int: ended'],
    });
    // Every column but the id, the time and the detail, as written.
    const audited = () =>
      gw.ds
        .query(
          `SELECT to_jsonb(a) - 'id' - 'at' - 'detail' AS r FROM disclosure_audit a
            WHERE detail LIKE 'int: lease check%' ORDER BY id`,
        )
        .then((rows: { r: Record<string, unknown> }[]) => rows.map((x) => x.r));

    // The lease was lost: the row stays its new holder's, the attempt (it happened) is audited.
    expect(await store.updateAudited(end('int-old-holder'), entry)).toBe(false);
    expect(await audited()).toHaveLength(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM webhook_deliveries WHERE seq = $1 AND lease_owner = 'int-new-holder'`,
        [row!.seq],
      ),
    ).toBe(1);
    expect(await store.updateAudited(end('int-new-holder'), entry)).toBe(true);
    // The same row as the delivery store's plain audit INSERT writes for the same entry.
    await store.audit(undefined, { ...entry, detail: 'int: lease check, plain insert' });
    const [lost, viaUpdate, viaInsert] = await audited();
    expect(lost).toEqual(viaInsert);
    expect(viaUpdate).toEqual(viaInsert);
    expect(viaUpdate).toMatchObject({
      delivery_id: row!.id,
      outcome: 'failed',
      attempt: 99,
      legal_bases: { metadata: 'covenant', risk: 'consent' },
      consent_refs: ['c-1'],
      trace_id: null,
    });
    expect(
      await count(
        `SELECT count(*)::int AS n FROM webhook_deliveries
          WHERE seq = $1 AND last_error = 'int: ended' AND lease_owner IS NULL`,
        [row!.seq],
      ),
    ).toBe(1);
  }, 30_000);
});
