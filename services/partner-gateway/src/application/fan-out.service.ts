import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import {
  filterPayload,
  mandatoryRolesOf,
  type ConsentRevokedV1,
  type PartnerRetractionIssuedV1,
} from '@ketenlink/contracts';
import { currentTraceparent, metrics } from '@ketenlink/observability';
import {
  type CloudEvent,
  EventEmitter,
  type SqlExecutor,
  type TransactionScope,
} from '@ketenlink/messaging';
import type { TrajectoryFacts } from '@ketenlink/disclosure';
import { TRAJECTORY_FACT_EVENT_TYPES } from '@ketenlink/trajectory-facts';
import { type ContractView, type Delivery, fanOut } from '../domain/fan-out';
import {
  PLACEMENT_REFUSED,
  PLACEMENT_WITHDRAWN,
  REFERRAL_EVENT_TYPES,
} from '../domain/referral-grants';
import type { PartnerChannel, PartnerProfile } from '../domain/partner';
import { categoriesToPurge } from '../domain/retraction';
import {
  type AuditEntry,
  DeliveryStore,
  type QueuedDelivery,
  type RewrittenTopicCopy,
} from './ports/delivery.store.port';
import { GatewayFacts } from './ports/facts.port';
import { PartnerStore } from './ports/partner.store.port';

export const CONTRACTS: ContractView = {
  filter: filterPayload,
  mandatoryFor: (type) => {
    try {
      return mandatoryRolesOf(type);
    } catch {
      return [];
    }
  },
};

const RETRACTION = 'nl.ketenlink.partner.retraction-issued.v1';
const REVOKED = 'nl.ketenlink.consent.revoked.v1';

/**
 * Facts events that can end a partner's ground for a category (a consent withdrawn, a
 * participation ended, a title and its legal duty ended, a referral withdrawn or refused): the
 * trajectory's topic copies still waiting in the outbox are re-decided with the facts as of the
 * event (ADR 0039, ADR 0042).
 */
export const NARROWING_EVENT_TYPES: ReadonlySet<string> = new Set([
  REVOKED,
  'nl.ketenlink.trajectory.participant-left.v1',
  'nl.ketenlink.title.ended.v1',
  PLACEMENT_WITHDRAWN,
  PLACEMENT_REFUSED,
]);

/**
 * The types that change a trajectory's facts: those @ketenlink/trajectory-facts projects
 * (derived from its handlers) and the placement events the referral grants are projected from
 * (ADR 0042).
 */
export const FACT_EVENT_TYPES: ReadonlySet<string> = new Set([
  ...TRAJECTORY_FACT_EVENT_TYPES,
  ...REFERRAL_EVENT_TYPES,
]);

/**
 * What the events of one inbox transaction share in the fan-out: the partner list and facts
 * read so far, and the rows still to write (flushed in event order, then emptied).
 */
class FanOutBatch {
  partners: PartnerProfile[] | undefined;
  readonly facts = new Map<string, TrajectoryFacts | undefined>();
  queued: QueuedDelivery[] = [];
  withheld: AuditEntry[] = [];

  async flush(tx: SqlExecutor, store: DeliveryStore): Promise<void> {
    const [queued, withheld] = [this.queued, this.withheld];
    this.queued = [];
    this.withheld = [];
    await store.enqueueMany(tx, queued);
    await store.auditMany(tx, withheld);
  }
}
const TRAJECTORY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a partner pulls an event's current details (the CloudEvents `dataref`). */
export function pullLink(eventId: string): string {
  const base = (process.env.PARTNER_GATEWAY_PUBLIC_URL ?? '').replace(/\/$/, '');
  return `${base}/partner/events/${eventId}`;
}

/** The copy of `event` one partner receives, with the delivery's CloudEvents extensions. */
export function partnerCopy(
  event: CloudEvent,
  d: Pick<Delivery, 'data' | 'mode' | 'categories' | 'legalBasis' | 'consentRefs'>,
  replayId?: string,
): CloudEvent {
  const traceparent = currentTraceparent() ?? event.traceparent;
  return {
    specversion: '1.0',
    id: event.id,
    source: event.source,
    type: event.type,
    subject: event.subject,
    time: event.time,
    dataschema: event.dataschema,
    datacontenttype: 'application/json',
    correlationid: event.correlationid,
    ...(event.causationid ? { causationid: event.causationid } : {}),
    ...(traceparent ? { traceparent } : {}),
    extensions: {
      legalbasis: d.legalBasis,
      ...(d.consentRefs[0] ? { consentref: d.consentRefs[0] } : {}),
      consentrefs: d.consentRefs.join(','),
      datacategories: d.categories.join(','),
      delivery: d.mode,
      dataref: pullLink(event.id),
      ...(replayId ? { replayid: replayId } : {}),
    },
    data: d.data,
  };
}

/** A copy of an event decided again for one channel of a partner; or why nothing goes. */
export type CopyDecision =
  | { readonly send: true; readonly delivery: Delivery }
  | { readonly send: false; readonly reason: string };

/**
 * The fan-out's decision (domain/fan-out.ts) taken again for one channel of `partner` with the
 * facts and registration as they stand at `at`: the webhook attempt (ADR 0039) and the topic copy
 * re-decided at a withdrawal (ADR 0039) both go through it. `when` names the moment in the reason.
 */
export function copyDecisionAt(
  event: CloudEvent,
  partner: PartnerProfile | undefined,
  channel: (c: PartnerChannel) => boolean,
  facts: TrajectoryFacts | undefined,
  at: Date,
  when: string,
): CopyDecision {
  if (!partner) return { send: false, reason: 'the partner is not registered any more' };
  const { deliveries, withheld } = fanOut(event, [partner], facts, at, CONTRACTS);
  const d = deliveries.find((x) => channel(x.channel));
  if (!d) {
    return {
      send: false,
      reason: `${when}: ${withheld[0]?.reason ?? 'the partner no longer receives this type on this channel'}`,
    };
  }
  return { send: true, delivery: d };
}

/**
 * Fan-out in the inbox transaction of each consumed event (ADR 0029): keep the event, decide per
 * partner through the gate (domain/fan-out.ts) with the facts in force now, queue each permitted
 * copy on the partner's channels and audit every decision; on a withdrawal, retract.
 */
@Injectable()
export class FanOutService {
  constructor(
    private readonly partners: PartnerStore,
    private readonly facts: GatewayFacts,
    private readonly deliveries: DeliveryStore,
    private readonly emitter: EventEmitter,
  ) {}

  /**
   * One consumed event. With the inbox transaction's `scope` (the consumer's batches), what a
   * chunk of records shares is read once and written once (ADR 0034): the partner list is read
   * once per transaction, a trajectory's facts once until an event of that trajectory changes
   * them (the facts projection handler ran before this one, in the same transaction), and the
   * queue and audit rows of all the chunk's events are written in a few multi-row statements
   * before the commit, in event order.
   */
  async onEvent(
    tx: SqlExecutor,
    event: CloudEvent,
    at: Date = new Date(),
    scope?: TransactionScope,
  ): Promise<void> {
    if (!(await this.deliveries.recordEvent(tx, event))) return;
    if (event.type.startsWith('nl.ketenlink.partner.')) return;
    const batch = scope ? this.batchOf(scope) : new FanOutBatch();
    // Registry events (subject = organisation id) are about organisations, not trajectories.
    if (!TRAJECTORY_ID.test(event.subject)) {
      batch.facts.clear();
      return;
    }
    if (FACT_EVENT_TYPES.has(event.type)) batch.facts.delete(event.subject);
    batch.partners ??= await this.partners.all(tx);
    await this.decide(tx, event, batch.partners, at, batch);
    if (NARROWING_EVENT_TYPES.has(event.type)) {
      // Write what is pending first: the chunk's earlier copies are re-decided with the others
      // waiting in the outbox, and the retraction reads the audit of what was sent.
      await batch.flush(tx, this.deliveries);
      await this.redecideWaitingTopicCopies(tx, event, at, batch);
      if (event.type === REVOKED) await this.retract(tx, event, at, batch);
    }
    if (!scope) await batch.flush(tx, this.deliveries);
  }

  private batchOf(scope: TransactionScope): FanOutBatch {
    let batch = scope.memo.get(FanOutBatch) as FanOutBatch | undefined;
    if (!batch) {
      const created = new FanOutBatch();
      scope.memo.set(FanOutBatch, created);
      scope.beforeCommit((tx) => created.flush(tx, this.deliveries));
      batch = created;
    }
    return batch;
  }

  /** Decides and queues `event` for `partners` (fan-out and replay). Returns the copies queued. */
  async deliver(
    tx: SqlExecutor,
    event: CloudEvent,
    partners: readonly PartnerProfile[],
    at: Date,
    replayId?: string,
  ): Promise<number> {
    // As in onEvent: registry events and the gateway's own notices are not fanned out again.
    if (event.type.startsWith('nl.ketenlink.partner.') || !TRAJECTORY_ID.test(event.subject))
      return 0;
    const batch = new FanOutBatch();
    const n = await this.decide(tx, event, partners, at, batch, replayId);
    await batch.flush(tx, this.deliveries);
    return n;
  }

  private async decide(
    tx: SqlExecutor,
    event: CloudEvent,
    partners: readonly PartnerProfile[],
    at: Date,
    batch: FanOutBatch,
    replayId?: string,
  ): Promise<number> {
    const facts = await this.factsOf(tx, event.subject, batch);
    const { deliveries, withheld } = fanOut(event, partners, facts, at, CONTRACTS);
    const traceparent = currentTraceparent() ?? null;
    for (const d of deliveries) {
      batch.queued.push({
        copy: partnerCopy(event, d, replayId),
        delivery: d,
        ...(replayId ? { replayId } : {}),
        traceparent,
      });
    }
    for (const w of withheld) {
      batch.withheld.push({
        organisationId: w.organisationId,
        channelKind: 'none',
        eventId: event.id,
        eventType: event.type,
        trajectoryId: event.subject,
        outcome: 'withheld',
        detail: w.reason,
        ...(replayId ? { replayId } : {}),
        traceparent,
      });
    }
    return deliveries.length;
  }

  /** The trajectory's facts, read once per batch until an event changes them (onEvent). */
  private async factsOf(
    tx: SqlExecutor,
    trajectoryId: string,
    batch: FanOutBatch,
  ): Promise<TrajectoryFacts | undefined> {
    if (batch.facts.has(trajectoryId)) return batch.facts.get(trajectoryId);
    const facts = await this.facts.factsOf(trajectoryId, tx);
    batch.facts.set(trajectoryId, facts);
    return facts;
  }

  /**
   * A narrowing event (NARROWING_EVENT_TYPES) was projected: the trajectory's partner topic
   * copies that are still waiting in the outbox and that no relay is sending were decided with
   * the facts before it. Each is decided again through the same decision (copyDecisionAt, as a
   * webhook attempt is) with the facts as of this event, in this inbox transaction: a narrower
   * copy is rewritten in place (same seq: the key's order is kept), a copy with nothing permitted
   * any more is removed (the rest of its key flows; a parked one no longer holds it). Both are
   * audited: `queued` with the new grounds, or `withheld` with the reason. A row a relay holds a
   * live lease on is being sent now: it stays, like any disclosure sent just before the
   * withdrawal, and the retraction follows it on the same key.
   */
  private async redecideWaitingTopicCopies(
    tx: SqlExecutor,
    event: CloudEvent,
    at: Date,
    batch: FanOutBatch,
  ): Promise<void> {
    const byKey = new Map(
      (batch.partners ?? [])
        .filter((p) => p.channels.some((c) => c.kind === 'topic'))
        .map((p) => [`${p.organisationId}:${event.subject}`, p]),
    );
    const waiting = await this.deliveries.waitingTopicCopies(tx, [...byKey.keys()]);
    if (waiting.length === 0) return;
    const facts = await this.factsOf(tx, event.subject, batch);
    const when = `re-decided at withdrawal (${event.type})`;
    const rewritten: RewrittenTopicCopy[] = [];
    const removed: string[] = [];
    const audit: AuditEntry[] = [];
    for (const w of waiting) {
      const partner = byKey.get(w.orderingKey)!;
      const replayId = w.headers.extensions?.replayid;
      const entry = {
        organisationId: partner.organisationId,
        channelKind: 'topic' as const,
        channelId: partner.channels.find((c) => c.kind === 'topic')!.id,
        deliveryId: w.rowId,
        eventId: w.event.id,
        eventType: w.event.type,
        trajectoryId: event.subject,
        ...(replayId ? { replayId } : {}),
        traceparent: w.traceparent,
      };
      const decided = copyDecisionAt(w.event, partner, (c) => c.kind === 'topic', facts, at, when);
      if (!decided.send) {
        removed.push(w.seq);
        audit.push({ ...entry, outcome: 'withheld', detail: decided.reason });
        metrics.partnerDeliveries.inc({ partner: partner.organisationId, outcome: 'withheld' });
        continue;
      }
      const d = decided.delivery;
      const copy = partnerCopy(w.event, d, replayId);
      const same =
        isDeepStrictEqual(copy.data, w.payload) &&
        isDeepStrictEqual(copy.extensions, w.headers.extensions);
      if (same) continue;
      rewritten.push({
        seq: w.seq,
        payload: copy.data,
        headers: { ...w.headers, extensions: copy.extensions },
      });
      audit.push({
        ...entry,
        outcome: 'queued',
        categories: d.categories,
        legalBasis: d.legalBasis,
        legalBases: d.bases,
        consentRefs: d.consentRefs,
        detail: `${when}: was ${w.headers.extensions?.datacategories ?? ''} on ${w.headers.extensions?.consentrefs || 'no consent'}`,
      });
    }
    await this.deliveries.redecideTopicCopies(tx, rewritten, removed);
    await this.deliveries.auditMany(tx, audit);
  }

  /**
   * A consent was withdrawn: every partner that was sent something relying on it gets a
   * retraction naming the categories it must purge (those it is not entitled to any more on
   * another ground), on each of its channels, and the retraction is recorded on the gateway topic.
   * Batched as the fan-out (ADR 0037): the facts as of the withdrawal are those the decision of
   * this very event read (the projection ran first), the partners those of the batch; the
   * retractions, their gateway events and their copies are written in one statement each (the
   * copies with the batch's other rows, in event order).
   */
  private async retract(
    tx: SqlExecutor,
    event: CloudEvent,
    at: Date,
    batch: FanOutBatch,
  ): Promise<void> {
    const { consentId, revokedAt } = event.data as ConsentRevokedV1;
    const factsAfter = await this.factsOf(tx, event.subject, batch);
    const record = factsAfter?.consents.find((c) => c.id === consentId);
    if (!record || !factsAfter) return;
    const partners = new Map((batch.partners ?? []).map((p) => [p.organisationId, p]));
    const candidates = (await this.deliveries.recipientsRelyingOn(tx, consentId)).flatMap((org) => {
      const partner = partners.get(org);
      const categories = partner ? categoriesToPurge(partner, record, factsAfter, at) : [];
      return partner && categories.length > 0
        ? [{ partner, data: retraction(event.subject, org, consentId, categories, revokedAt, at) }]
        : [];
    });
    if (candidates.length === 0) return;
    const recorded = new Set(
      await this.deliveries.recordRetractions(
        tx,
        candidates.map(({ data }) => ({
          id: data.retractionId,
          organisationId: data.recipientOrganisationId,
          trajectoryId: data.trajectoryId,
          consentId,
          categories: data.categories,
          withdrawnAt: revokedAt,
          issuedAt: at,
        })),
      ),
    );
    const issued = candidates.filter(({ data }) => recorded.has(data.retractionId));
    const emitted = await this.emitter.emit(
      tx,
      issued.map(({ data }) => ({ type: RETRACTION, subject: event.subject, data, cause: event })),
    );
    const traceparent = currentTraceparent() ?? null;
    for (const [i, { partner, data }] of issued.entries()) {
      for (const channel of partner.channels) {
        const d = {
          organisationId: partner.organisationId,
          channel,
          mode: 'full' as const,
          data: data as unknown as Record<string, unknown>,
          categories: ['metadata' as const],
          legalBasis: 'legal-duty' as const,
          consentRefs: [consentId],
          bases: { metadata: 'legal-duty (retraction of a withdrawn consent)' },
        };
        batch.queued.push({ copy: partnerCopy(emitted[i]!, d), delivery: d, traceparent });
      }
    }
  }
}

function retraction(
  trajectoryId: string,
  org: string,
  consentId: string,
  categories: PartnerRetractionIssuedV1['categories'],
  withdrawnAt: string,
  at: Date,
): PartnerRetractionIssuedV1 {
  return {
    trajectoryId,
    retractionId: randomUUID(),
    recipientOrganisationId: org,
    consentId,
    categories,
    withdrawnAt,
    issuedAt: at.toISOString(),
  };
}
