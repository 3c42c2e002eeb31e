import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { currentTraceparent } from '@ketenlink/observability';
import {
  appendToOutbox,
  type CloudEvent,
  partnerTopic,
  type SqlExecutor,
} from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import {
  type AuditEntry,
  DeliveryStore,
  type NewRetraction,
  type QueuedDelivery,
  type RewrittenTopicCopy,
  type StoredEvent,
  type WaitingTopicCopy,
} from '../application/ports/delivery.store.port';
import { structuredMode } from '../application/webhook-copy';

/** The gateway's own events (retractions): sent as issued, never re-decided. */
export const isGatewayNotice = (type: string): boolean => type.startsWith('nl.ketenlink.partner.');

/** The outbox aggregate type of partner topic deliveries (the audit trigger keys on it). */
export const PARTNER_AGGREGATE = 'partner';

@Injectable()
export class SqlDeliveryStore extends DeliveryStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async recordEvent(tx: SqlExecutor, event: CloudEvent): Promise<boolean> {
    const { data, ...envelope } = event;
    const rows = (await tx.query(
      `INSERT INTO gateway_events (id, type, trajectory_id, time, envelope, data)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING 1`,
      [
        event.id,
        event.type,
        event.subject,
        event.time,
        JSON.stringify(envelope),
        JSON.stringify(data),
      ],
    )) as unknown[];
    return rows.length > 0;
  }

  async enqueue(
    tx: SqlExecutor,
    copy: CloudEvent,
    d: QueuedDelivery['delivery'],
    replayId?: string,
  ): Promise<string> {
    const [id] = await this.enqueueMany(tx, [
      { copy, delivery: d, ...(replayId ? { replayId } : {}) },
    ]);
    return id!;
  }

  /**
   * All copies in a handful of statements whatever their number: one multi-row INSERT into the
   * outbox (topic channels, in the order given: the relay keeps it per partner and trajectory),
   * one into webhook_deliveries plus one NOTIFY, one into the audit.
   */
  async enqueueMany(tx: SqlExecutor, items: readonly QueuedDelivery[]): Promise<string[]> {
    const ids = items.map(() => randomUUID());
    const topic = items.flatMap(({ copy, delivery: d }, i) =>
      d.channel.kind === 'topic'
        ? [
            {
              event: copy,
              topic: partnerTopic(d.organisationId),
              aggregateType: PARTNER_AGGREGATE,
              rowId: ids[i]!,
              orderingKey: `${d.organisationId}:${copy.subject}`,
            },
          ]
        : [],
    );
    await appendToOutbox(tx, topic);
    const hooks = items.flatMap((item, i) =>
      item.delivery.channel.kind === 'webhook' ? [{ item, id: ids[i]! }] : [],
    );
    if (hooks.length > 0) {
      await insertRows(
        tx,
        `webhook_deliveries (id, channel_id, organisation_id, event_id, event_type, trajectory_id,
           body, categories, legal_basis, consent_refs, replay_id, traceparent)`,
        hooks.map(({ item: { copy, delivery: d, replayId, traceparent }, id }) => [
          id,
          d.channel.id,
          d.organisationId,
          copy.id,
          copy.type,
          copy.subject,
          // Domain events are projected at send time (ADR 0039): the row keeps the event id and
          // the decision inputs, no payload. The gateway's own notices go as issued.
          isGatewayNotice(copy.type) ? JSON.stringify(structuredMode(copy)) : null,
          d.categories,
          d.legalBasis,
          d.consentRefs,
          replayId ?? null,
          (traceparent === undefined ? currentTraceparent() : traceparent) ?? null,
        ]),
      );
      await tx.query(`SELECT pg_notify('partner_webhooks', '')`);
    }
    await this.auditMany(
      tx,
      items.map(({ copy, delivery: d, replayId, traceparent }, i) => ({
        organisationId: d.organisationId,
        channelKind: d.channel.kind,
        channelId: d.channel.id,
        deliveryId: ids[i]!,
        eventId: copy.id,
        eventType: copy.type,
        trajectoryId: copy.subject,
        outcome: 'queued',
        categories: d.categories,
        legalBasis: d.legalBasis,
        legalBases: d.bases,
        consentRefs: d.consentRefs,
        ...(replayId ? { replayId } : {}),
        ...(traceparent !== undefined ? { traceparent } : {}),
      })),
    );
    return ids;
  }

  async audit(tx: SqlExecutor | undefined, e: AuditEntry): Promise<void> {
    await this.auditMany(tx, [e]);
  }

  /** One multi-row INSERT for all entries. */
  async auditMany(tx: SqlExecutor | undefined, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await insertRows(
      tx ?? (this.ds as unknown as SqlExecutor),
      AUDIT_TARGET,
      entries.map(auditValues),
    );
  }

  /**
   * One statement: `update` (an UPDATE without RETURNING, its parameters $1…) feeds the audit
   * INSERT through a data-modifying CTE, so the entry is written only when the update changed a
   * row (the webhook dispatcher's lease still held).
   */
  async updateAudited(
    update: { readonly sql: string; readonly params: readonly unknown[] },
    e: AuditEntry,
  ): Promise<boolean> {
    const values = auditValues(e);
    const at = update.params.length;
    // The attempt happened (a copy may have gone out): it is audited whatever the update finds.
    const rows = (await this.ds.query(
      `WITH changed AS (${update.sql} RETURNING 1),
            audited AS (INSERT INTO ${AUDIT_TARGET}
                        VALUES (${values.map((_, i) => `$${at + i + 1}`).join(', ')}))
       SELECT count(*)::int AS n FROM changed`,
      [...update.params, ...values],
    )) as { n: number }[];
    return rows[0]!.n > 0;
  }

  async event(eventId: string): Promise<StoredEvent | undefined> {
    const rows = (await this.ds.query(
      `SELECT seq::text AS seq, envelope, data FROM gateway_events WHERE id = $1`,
      [eventId],
    )) as EventRow[];
    return rows[0] ? stored(rows[0]) : undefined;
  }

  async eventsOf(trajectoryId: string): Promise<StoredEvent[]> {
    const rows = (await this.ds.query(
      `SELECT seq::text AS seq, envelope, data FROM gateway_events WHERE trajectory_id = $1 ORDER BY seq`,
      [trajectoryId],
    )) as EventRow[];
    return rows.map(stored);
  }

  async eventsFrom(
    from: { eventId?: string; time?: Date },
    limit: number,
    tx?: SqlExecutor,
  ): Promise<StoredEvent[]> {
    const rows = (await (tx ?? (this.ds as unknown as SqlExecutor)).query(
      `SELECT seq::text AS seq, envelope, data FROM gateway_events
        WHERE ($1::uuid IS NULL OR seq >= (SELECT seq FROM gateway_events WHERE id = $1))
          AND ($2::timestamptz IS NULL OR time >= $2)
        ORDER BY seq LIMIT $3`,
      [from.eventId ?? null, from.time ?? null, limit],
    )) as EventRow[];
    return rows.map(stored);
  }

  /**
   * Unpublished partner copies of domain events (not the gateway's own notices) that no relay
   * holds a live lease on — a relay sends only rows it leased, and sends them before the lease
   * ends — parked and backing-off rows included. `FOR UPDATE` waits for a relay statement that
   * is changing a row (a claim, a back-off) and re-checks the lease once it committed.
   */
  async waitingTopicCopies(
    tx: SqlExecutor,
    orderingKeys: readonly string[],
  ): Promise<WaitingTopicCopy[]> {
    if (orderingKeys.length === 0) return [];
    const rows = (await tx.query(
      `SELECT o.seq::text AS seq, o.id::text AS id, o.aggregateid, o.headers, o.payload,
              o.traceparent, g.envelope, g.data
         FROM outbox o JOIN gateway_events g ON g.id = (o.headers ->> 'id')::uuid
        WHERE o.aggregateid = ANY($1::text[]) AND o.published_at IS NULL
          AND o.aggregatetype = $2 AND o.type NOT LIKE 'nl.ketenlink.partner.%'
          AND (o.lease_owner IS NULL OR o.lease_expires_at <= now())
        ORDER BY o.seq
          FOR UPDATE OF o`,
      [orderingKeys, PARTNER_AGGREGATE],
    )) as (EventRow & {
      id: string;
      aggregateid: string;
      headers: WaitingTopicCopy['headers'];
      payload: unknown;
      traceparent: string | null;
    })[];
    return rows.map((r) => ({
      seq: r.seq,
      rowId: r.id,
      orderingKey: r.aggregateid,
      event: stored(r).envelope,
      headers: r.headers,
      payload: r.payload,
      traceparent: r.traceparent,
    }));
  }

  async redecideTopicCopies(
    tx: SqlExecutor,
    rewritten: readonly RewrittenTopicCopy[],
    removed: readonly string[],
  ): Promise<void> {
    if (rewritten.length > 0) {
      await tx.query(
        `UPDATE outbox o SET payload = v.payload, headers = v.headers
           FROM jsonb_to_recordset($1::jsonb) AS v (seq bigint, payload jsonb, headers jsonb)
          WHERE o.seq = v.seq AND o.published_at IS NULL`,
        [JSON.stringify(rewritten)],
      );
    }
    if (removed.length > 0) {
      await tx.query(`DELETE FROM outbox WHERE seq = ANY($1::bigint[]) AND published_at IS NULL`, [
        removed,
      ]);
    }
  }

  async recipientsRelyingOn(tx: SqlExecutor, consentId: string): Promise<string[]> {
    const rows = (await tx.query(
      `SELECT DISTINCT organisation_id FROM disclosure_audit
        WHERE consent_refs @> ARRAY[$1]::text[] AND outcome IN ('queued', 'delivered')
        ORDER BY organisation_id`,
      [consentId],
    )) as { organisation_id: string }[];
    return rows.map((r) => r.organisation_id);
  }

  async recordRetractions(tx: SqlExecutor, items: readonly NewRetraction[]): Promise<string[]> {
    const rows = await insertRows(
      tx,
      `retractions (id, organisation_id, trajectory_id, consent_id, categories, withdrawn_at,
         issued_at)`,
      items.map((r) => [
        r.id,
        r.organisationId,
        r.trajectoryId,
        r.consentId,
        r.categories,
        r.withdrawnAt,
        r.issuedAt,
      ]),
      'ON CONFLICT (organisation_id, consent_id) DO NOTHING RETURNING id::text AS id',
    );
    return (rows as { id: string }[]).map((r) => r.id);
  }
}

const AUDIT_TARGET = `disclosure_audit (organisation_id, channel_kind, channel_id, delivery_id,
  event_id, event_type, trajectory_id, outcome, attempt, categories, legal_basis, legal_bases,
  consent_refs, replay_id, trace_id, detail)`;

/** An audit entry's values, in AUDIT_TARGET's column order. */
const auditValues = (e: AuditEntry): unknown[] => [
  e.organisationId,
  e.channelKind,
  e.channelId ?? null,
  e.deliveryId ?? null,
  e.eventId ?? null,
  e.eventType ?? null,
  e.trajectoryId,
  e.outcome,
  e.attempt ?? null,
  e.categories ?? [],
  e.legalBasis ?? null,
  JSON.stringify(e.legalBases ?? {}),
  e.consentRefs ?? [],
  e.replayId ?? null,
  (e.traceparent === undefined ? currentTraceparent() : e.traceparent)?.split('-')[1] ?? null,
  e.detail ?? null,
];

interface EventRow {
  seq: string;
  envelope: Omit<CloudEvent, 'data'>;
  data: unknown;
}

const stored = (r: EventRow): StoredEvent => ({
  seq: r.seq,
  envelope: { ...r.envelope, data: r.data } as CloudEvent,
});

/**
 * `INSERT INTO <target> VALUES (…), (…) <suffix>`: one statement per 1000 rows (PostgreSQL takes
 * at most 65 535 parameters; rows here have at most 16), in the order given; the rows returned.
 */
async function insertRows(
  tx: SqlExecutor,
  target: string,
  rows: readonly (readonly unknown[])[],
  suffix = '',
): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let from = 0; from < rows.length; from += 1000) {
    const params: unknown[] = [];
    const values = rows.slice(from, from + 1000).map((row) => {
      const at = params.length;
      params.push(...row);
      return `(${row.map((_, i) => `$${at + i + 1}`).join(', ')})`;
    });
    const result = await tx.query(
      `INSERT INTO ${target} VALUES ${values.join(', ')} ${suffix}`,
      params,
    );
    if (Array.isArray(result)) out.push(...(result as unknown[]));
  }
  return out;
}
