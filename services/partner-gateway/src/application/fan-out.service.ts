import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  filterPayload,
  mandatoryRolesOf,
  type ConsentRevokedV1,
  type PartnerRetractionIssuedV1,
} from '@ketenlink/contracts';
import { currentTraceparent } from '@ketenlink/observability';
import {
  type CloudEvent,
  EventEmitter,
  type SqlExecutor,
  type TransactionScope,
} from '@ketenlink/messaging';
import type { TrajectoryFacts } from '@ketenlink/disclosure';
import { TRAJECTORY_FACT_EVENT_TYPES } from '@ketenlink/trajectory-facts';
import { type ContractView, type Delivery, fanOut } from '../domain/fan-out';
import type { PartnerProfile } from '../domain/partner';
import { categoriesToPurge } from '../domain/retraction';
import { type AuditEntry, DeliveryStore, type QueuedDelivery } from './ports/delivery.store.port';
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

/**
 * The types @ketenlink/trajectory-facts projects (derived from its handlers): they change a
 * trajectory's facts.
 */
export const FACT_EVENT_TYPES: ReadonlySet<string> = new Set(TRAJECTORY_FACT_EVENT_TYPES);

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
    if (event.type === 'nl.ketenlink.consent.revoked.v1') {
      // The retraction reads the audit of what was sent: write what is pending first.
      await batch.flush(tx, this.deliveries);
      await this.retract(tx, event, at);
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
    let facts = batch.facts.get(event.subject);
    if (!batch.facts.has(event.subject)) {
      facts = await this.facts.factsOf(event.subject, tx);
      batch.facts.set(event.subject, facts);
    }
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

  /**
   * A consent was withdrawn: every partner that was sent something relying on it gets a
   * retraction naming the categories it must purge (those it is not entitled to any more on
   * another ground), on each of its channels, and the retraction is recorded on the gateway topic.
   */
  private async retract(tx: SqlExecutor, event: CloudEvent, at: Date): Promise<void> {
    const { consentId, revokedAt } = event.data as ConsentRevokedV1;
    const record = await this.facts.consentOf(event.subject, consentId, tx);
    const factsAfter = await this.facts.factsOf(event.subject, tx);
    if (!record || !factsAfter) return;
    for (const org of await this.deliveries.recipientsRelyingOn(tx, consentId)) {
      const partner = await this.partners.get(org, tx);
      if (!partner) continue;
      const categories = categoriesToPurge(partner, record, factsAfter, at);
      if (categories.length === 0) continue;
      const retractionId = randomUUID();
      const inserted = (await tx.query(
        `INSERT INTO retractions (id, organisation_id, trajectory_id, consent_id, categories,
           withdrawn_at, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (organisation_id, consent_id) DO NOTHING
         RETURNING 1`,
        [retractionId, org, event.subject, consentId, categories, revokedAt, at],
      )) as unknown[];
      if (inserted.length === 0) continue;
      const data: PartnerRetractionIssuedV1 = {
        trajectoryId: event.subject,
        retractionId,
        recipientOrganisationId: org,
        consentId,
        categories,
        withdrawnAt: revokedAt,
        issuedAt: at.toISOString(),
      };
      const [emitted] = await this.emitter.emit(tx, [
        { type: RETRACTION, subject: event.subject, data, cause: event },
      ]);
      for (const channel of partner.channels) {
        const d = {
          organisationId: org,
          channel,
          mode: 'full' as const,
          data: data as unknown as Record<string, unknown>,
          categories: ['metadata' as const],
          legalBasis: 'legal-duty' as const,
          consentRefs: [consentId],
          bases: { metadata: 'legal-duty (retraction of a withdrawn consent)' },
        };
        await this.deliveries.enqueue(tx, partnerCopy(emitted!, d), d);
      }
    }
  }
}
