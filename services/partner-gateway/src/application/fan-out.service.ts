import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  filterPayload,
  mandatoryRolesOf,
  type ConsentRevokedV1,
  type PartnerRetractionIssuedV1,
} from '@ketenlink/contracts';
import { currentTraceparent } from '@ketenlink/observability';
import { type CloudEvent, EventEmitter, type SqlExecutor } from '@ketenlink/messaging';
import { type ContractView, type Delivery, fanOut } from '../domain/fan-out';
import type { PartnerProfile } from '../domain/partner';
import { categoriesToPurge } from '../domain/retraction';
import { DeliveryStore } from './ports/delivery.store.port';
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

  async onEvent(tx: SqlExecutor, event: CloudEvent, at: Date = new Date()): Promise<void> {
    if (!(await this.deliveries.recordEvent(tx, event))) return;
    if (event.type.startsWith('nl.ketenlink.partner.')) return;
    // Registry events (subject = organisation id) are about organisations, not trajectories.
    if (!TRAJECTORY_ID.test(event.subject)) return;
    await this.deliver(tx, event, await this.partners.all(tx), at);
    if (event.type === 'nl.ketenlink.consent.revoked.v1') await this.retract(tx, event, at);
  }

  /** Decides and queues `event` for `partners` (fan-out and replay). Returns the copies queued. */
  async deliver(
    tx: SqlExecutor,
    event: CloudEvent,
    partners: readonly PartnerProfile[],
    at: Date,
    replayId?: string,
  ): Promise<number> {
    const facts = await this.facts.factsOf(event.subject, tx);
    const { deliveries, withheld } = fanOut(event, partners, facts, at, CONTRACTS);
    for (const d of deliveries) {
      await this.deliveries.enqueue(tx, partnerCopy(event, d, replayId), d, replayId);
    }
    for (const w of withheld) {
      await this.deliveries.audit(tx, {
        organisationId: w.organisationId,
        channelKind: 'none',
        eventId: event.id,
        eventType: event.type,
        trajectoryId: event.subject,
        outcome: 'withheld',
        detail: w.reason,
        ...(replayId ? { replayId } : {}),
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
