import { Injectable } from '@nestjs/common';
import { DomainError, filterPayload } from '@ketenlink/contracts';
import {
  type AccessLogPort,
  type AccessRecord,
  DisclosureGate,
  DisclosureRefusedError,
  NotVisibleError,
  type Reader,
} from '@ketenlink/disclosure';
import { DataSource } from 'typeorm';
import { DeliveryStore } from './ports/delivery.store.port';
import { GatewayFacts } from './ports/facts.port';

/** Pull reads are disclosures too: the gate's access log is the disclosure audit. */
@Injectable()
export class PullAuditLog implements AccessLogPort {
  constructor(private readonly deliveries: DeliveryStore) {}

  async record(e: AccessRecord): Promise<void> {
    await this.deliveries.audit(undefined, {
      organisationId: e.organisationId ?? `${e.readerKind}:${e.subject}`,
      channelKind: 'pull',
      trajectoryId: e.trajectoryId,
      outcome: e.outcome === 'disclosed' ? 'pulled' : 'withheld',
      categories: e.categories,
      legalBases: e.legalBases,
      ...(e.eventIds?.length === 1 ? { eventId: e.eventIds[0] } : {}),
      detail: e.reason ?? e.resource,
    });
  }
}

const notFound = (what: string) => new DomainError('not-found', 'not-found', `${what} not found`);

export interface AuditFilter {
  readonly organisationId?: string;
  readonly trajectoryId?: string;
  readonly eventId?: string;
  readonly from?: Date;
  readonly until?: Date;
  readonly limit: number;
}

/** Pull (through the gate, consent in force now), operator status, audit, dead letters. */
@Injectable()
export class PartnerQueriesService {
  private readonly gate: DisclosureGate;

  constructor(
    private readonly ds: DataSource,
    private readonly facts: GatewayFacts,
    private readonly deliveries: DeliveryStore,
    log: PullAuditLog,
  ) {
    this.gate = new DisclosureGate(log);
  }

  private async gated<T extends object>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof NotVisibleError) throw notFound(err.resource);
      if (err instanceof DisclosureRefusedError) {
        throw new DomainError('forbidden', err.code, err.message, err.reasons);
      }
      throw err;
    }
  }

  /** An event's current details for the reader, decided now. */
  async pullEvent(reader: Reader, eventId: string) {
    const stored = await this.deliveries.event(eventId);
    if (!stored) throw notFound('event');
    const e = stored.envelope;
    const facts = await this.facts.factsOf(e.subject);
    return this.gated(() =>
      this.gate.disclose(
        { reader, facts, trajectoryId: e.subject, resource: 'partner-event' },
        (entitlement) => {
          const view = filterPayload(e.type, e.data, (c) => entitlement.permitted.has(c));
          return {
            body: {
              id: e.id,
              type: e.type,
              subject: e.subject,
              time: e.time,
              data: view.data,
              withheld: view.withheld,
            },
            categories: [...entitlement.permitted].filter((c) => c !== 'identity'),
            eventIds: [e.id],
          };
        },
      ),
    );
  }

  /** A trajectory's events as the reader may see them now. */
  async pullTrajectory(reader: Reader, trajectoryId: string) {
    const facts = await this.facts.factsOf(trajectoryId);
    const events = await this.deliveries.eventsOf(trajectoryId);
    return this.gated(() =>
      this.gate.disclose(
        { reader, facts, trajectoryId, resource: 'partner-trajectory' },
        (entitlement) => {
          const items = events
            .map((s) => s.envelope)
            .filter((e) => !e.type.startsWith('nl.ketenlink.partner.'))
            .map((e) => {
              const view = filterPayload(e.type, e.data, (c) => entitlement.permitted.has(c));
              return {
                id: e.id,
                type: e.type,
                time: e.time,
                data: view.data,
                withheld: view.withheld,
              };
            })
            .filter((i) => Object.keys(i.data as object).some((k) => k !== 'trajectoryId'));
          return {
            body: { trajectoryId, items },
            categories: [...entitlement.permitted].filter((c) => c !== 'identity'),
            eventIds: items.map((i) => i.id),
          };
        },
      ),
    );
  }

  /** Operator view per partner: lag, failures, dead letters, last success (metadata only). */
  async status(organisationId?: string) {
    const rows = (await this.ds.query(
      `SELECT p.organisation_id,
         (SELECT count(*)::int FROM webhook_deliveries d WHERE d.organisation_id = p.organisation_id
            AND d.delivered_at IS NULL AND d.dead_at IS NULL
            AND d.withheld_at IS NULL) AS webhook_pending,
         (SELECT EXTRACT(EPOCH FROM now() - min(d.created_at))::float8 FROM webhook_deliveries d
           WHERE d.organisation_id = p.organisation_id AND d.delivered_at IS NULL AND d.dead_at IS NULL
            AND d.withheld_at IS NULL) AS webhook_lag_seconds,
         (SELECT count(*)::int FROM webhook_deliveries d WHERE d.organisation_id = p.organisation_id
            AND d.dead_at IS NOT NULL) AS dead_letters,
         (SELECT count(*)::int FROM outbox o WHERE o.aggregatetype = 'partner'
            AND split_part(o.aggregateid, ':', 1) = p.organisation_id AND o.published_at IS NULL) AS topic_pending,
         (SELECT count(*)::int FROM outbox o WHERE o.aggregatetype = 'partner'
            AND split_part(o.aggregateid, ':', 1) = p.organisation_id AND o.parked_at IS NOT NULL) AS topic_parked,
         (SELECT count(*)::int FROM disclosure_audit a WHERE a.organisation_id = p.organisation_id
            AND a.outcome = 'failed') AS failures,
         (SELECT max(a.at) FROM disclosure_audit a WHERE a.organisation_id = p.organisation_id
            AND a.outcome = 'delivered') AS last_success,
         (SELECT count(*)::int FROM retractions r WHERE r.organisation_id = p.organisation_id
            AND r.acknowledged_at IS NULL) AS unacknowledged_retractions
       FROM partners p WHERE ($1::text IS NULL OR p.organisation_id = $1)
       ORDER BY p.organisation_id`,
      [organisationId ?? null],
    )) as Record<string, unknown>[];
    if (organisationId && rows.length === 0) throw notFound('partner');
    return rows.map((r) => ({
      organisationId: r.organisation_id,
      webhookPending: r.webhook_pending,
      webhookLagSeconds: r.webhook_lag_seconds ?? 0,
      topicPending: r.topic_pending,
      topicParked: r.topic_parked,
      failures: r.failures,
      deadLetters: r.dead_letters,
      lastSuccess: r.last_success ?? null,
      unacknowledgedRetractions: r.unacknowledged_retractions,
    }));
  }

  /** Dead-lettered webhook deliveries (metadata only, never the body). */
  async deadLetters(organisationId: string) {
    return (await this.ds.query(
      `SELECT id, channel_id AS "channelId", event_id AS "eventId", event_type AS "eventType",
              trajectory_id AS "trajectoryId", attempts, last_status AS "lastStatus",
              last_error AS "lastError", created_at AS "createdAt", dead_at AS "deadAt"
         FROM webhook_deliveries WHERE organisation_id = $1 AND dead_at IS NOT NULL ORDER BY seq`,
      [organisationId],
    )) as Record<string, unknown>[];
  }

  async retractions(organisationId: string, unacknowledgedOnly: boolean) {
    return (await this.ds.query(
      `SELECT id, trajectory_id AS "trajectoryId", consent_id AS "consentId", categories,
              withdrawn_at AS "withdrawnAt", issued_at AS "issuedAt",
              acknowledged_at AS "acknowledgedAt"
         FROM retractions WHERE organisation_id = $1 AND ($2 = false OR acknowledged_at IS NULL)
        ORDER BY issued_at`,
      [organisationId, unacknowledgedOnly],
    )) as Record<string, unknown>[];
  }

  /** The disclosure audit for auditors (ids, categories and bases only). */
  async audit(f: AuditFilter) {
    return (await this.ds.query(
      `SELECT id::text, at, organisation_id AS "organisationId", channel_kind AS "channelKind",
              channel_id AS "channelId", delivery_id AS "deliveryId", event_id AS "eventId",
              event_type AS "eventType", trajectory_id AS "trajectoryId", outcome, attempt,
              categories, legal_basis AS "legalBasis", legal_bases AS "legalBases",
              consent_refs AS "consentRefs", replay_id AS "replayId", trace_id AS "traceId", detail
         FROM disclosure_audit
        WHERE ($1::text IS NULL OR organisation_id = $1)
          AND ($2::text IS NULL OR trajectory_id = $2)
          AND ($3::uuid IS NULL OR event_id = $3)
          AND ($4::timestamptz IS NULL OR at >= $4)
          AND ($5::timestamptz IS NULL OR at < $5)
        ORDER BY id LIMIT $6`,
      [
        f.organisationId ?? null,
        f.trajectoryId ?? null,
        f.eventId ?? null,
        f.from ?? null,
        f.until ?? null,
        f.limit,
      ],
    )) as Record<string, unknown>[];
  }
}
