import { randomUUID } from 'node:crypto';
import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createLogger, metrics } from '@ketenlink/observability';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { afterFailure, DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from '../domain/retry-schedule';
import { type AuditEntry, DeliveryStore } from './ports/delivery.store.port';
import { GatewayFacts } from './ports/facts.port';
import { PartnerStore, type WebhookTarget } from './ports/partner.store.port';
import { deliveryKey, type WebhookCopy, webhookCopyAt } from './webhook-copy';
import { WebhookSecretStore } from '../infrastructure/webhook-secrets';

interface Claimed {
  seq: string;
  id: string;
  organisation_id: string;
  event_id: string;
  event_type: string;
  trajectory_id: string;
  /** Only for the gateway's own notices (retractions); domain events are projected per attempt. */
  body: Record<string, unknown> | null;
  categories: string[];
  legal_basis: string;
  consent_refs: string[];
  replay_id: string | null;
  traceparent: string | null;
  attempts: number;
}

/**
 * Claims, per webhook channel, the head of each trajectory's queue (order per trajectory per
 * partner) up to the channel's free in-flight slots, and leases them: a slow or dead partner
 * fills only its own slots, every other channel keeps flowing.
 */
const CLAIM_SQL = `
WITH cand AS (
  SELECT d.seq FROM webhook_deliveries d
   WHERE d.channel_id = $1 AND d.delivered_at IS NULL AND d.dead_at IS NULL AND d.withheld_at IS NULL
     AND d.next_attempt_at <= now()
     AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= now())
     AND NOT EXISTS (
       SELECT 1 FROM webhook_deliveries e
        WHERE e.channel_id = d.channel_id AND e.trajectory_id = d.trajectory_id AND e.seq < d.seq
          AND e.delivered_at IS NULL AND e.dead_at IS NULL AND e.withheld_at IS NULL)
   ORDER BY d.seq LIMIT $2
   FOR UPDATE SKIP LOCKED)
UPDATE webhook_deliveries w
   SET lease_owner = $3, lease_expires_at = now() + $4::int * interval '1 millisecond'
  FROM cand WHERE w.seq = cand.seq
RETURNING w.seq::text AS seq, w.id::text AS id, w.organisation_id, w.event_id::text AS event_id,
          w.event_type, w.trajectory_id, w.body, w.categories, w.legal_basis, w.consent_refs,
          w.replay_id::text AS replay_id, w.traceparent, w.attempts`;

export interface DispatcherOptions {
  readonly schedule: RetrySchedule;
  readonly timeoutMs: number;
  readonly pollMs: number;
}

export function dispatcherOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DispatcherOptions {
  const num = (name: string, dflt: number): number => {
    const raw = env[name];
    const v = raw === undefined || raw === '' ? dflt : Number(raw);
    if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number >= 0: ${raw}`);
    return v;
  };
  return {
    schedule: {
      maxAttempts: num('PARTNER_WEBHOOK_MAX_ATTEMPTS', DEFAULT_RETRY_SCHEDULE.maxAttempts),
      baseDelayMs: num('PARTNER_WEBHOOK_BASE_DELAY_MS', DEFAULT_RETRY_SCHEDULE.baseDelayMs),
      maxDelayMs: num('PARTNER_WEBHOOK_MAX_DELAY_MS', DEFAULT_RETRY_SCHEDULE.maxDelayMs),
    },
    timeoutMs: num('PARTNER_WEBHOOK_TIMEOUT_MS', 10_000),
    pollMs: num('PARTNER_WEBHOOK_POLL_MS', 250),
  };
}

/**
 * Sends queued webhook deliveries (Standard Webhooks: webhook-id = the delivery key, stable over
 * retries, ADR 0040; webhook-timestamp; webhook-signature by every secret in force), retries with
 * exponential back-off and jitter, dead-letters after the budget, and audits every attempt.
 * Each attempt decides the copy anew through the disclosure gate with the facts in force then
 * (ADR 0039): a withdrawal while a delivery waits sends fewer fields, or withholds it.
 * PARTNER_WEBHOOK_POLL_MS=0 turns the loop off (tests drive `tick()`).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = createLogger('partner-gateway');
  private readonly owner = `dispatcher:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly inFlight = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private opts: DispatcherOptions = dispatcherOptionsFromEnv();

  constructor(
    private readonly ds: DataSource,
    private readonly partners: PartnerStore,
    private readonly secrets: WebhookSecretStore,
    private readonly deliveries: DeliveryStore,
    private readonly facts: GatewayFacts,
  ) {}

  configure(opts: Partial<DispatcherOptions>): void {
    this.opts = { ...this.opts, ...opts };
  }

  onApplicationBootstrap(): void {
    if (this.opts.pollMs === 0) return;
    this.timer = setInterval(() => void this.tick(), this.opts.pollMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.pending]);
  }

  /** One round: claim what each channel has room for and start sending (does not wait). */
  async tick(): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    let started = 0;
    try {
      for (const target of await this.partners.webhookTargets()) {
        const free = target.maxInFlight - (this.inFlight.get(target.channelId) ?? 0);
        if (free <= 0) continue;
        const leaseMs = this.opts.timeoutMs * 3 + 5_000;
        // TypeORM answers an UPDATE … RETURNING with [rows, affected].
        const [rows] = (await this.ds.query(CLAIM_SQL, [
          target.channelId,
          free,
          this.owner,
          leaseMs,
        ])) as [Claimed[], number];
        for (const row of rows) {
          started++;
          this.inFlight.set(target.channelId, (this.inFlight.get(target.channelId) ?? 0) + 1);
          const p = this.send(target, row)
            .catch((err: unknown) =>
              this.logger.error({ err: String(err), delivery: row.id }, 'webhook send failed'),
            )
            .finally(() => {
              this.inFlight.set(target.channelId, (this.inFlight.get(target.channelId) ?? 1) - 1);
              this.pending.delete(p);
            });
          this.pending.add(p);
        }
      }
    } catch (err) {
      this.logger.error({ err: String(err) }, 'webhook dispatcher round failed');
    } finally {
      this.ticking = false;
    }
    return started;
  }

  /** Waits for the sends in flight (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /**
   * The copy this attempt sends: a gateway notice as issued; a domain event projected now from
   * the stored event, the partner's registration and the trajectory's facts as they stand.
   */
  private async copyNow(target: WebhookTarget, row: Claimed): Promise<WebhookCopy> {
    if (row.body) {
      return {
        send: true,
        body: row.body,
        categories: row.categories,
        legalBasis: row.legal_basis,
        consentRefs: row.consent_refs,
        legalBases: {},
      };
    }
    const stored = await this.deliveries.event(row.event_id);
    if (!stored) return { send: false, reason: 'the event is not kept any more' };
    const [partner, facts] = await Promise.all([
      this.partners.get(row.organisation_id),
      this.facts.factsOf(stored.envelope.subject),
    ]);
    return webhookCopyAt(
      stored.envelope,
      partner,
      target.channelId,
      facts,
      new Date(),
      row.replay_id ?? undefined,
    );
  }

  private async send(target: WebhookTarget, row: Claimed): Promise<void> {
    const attempt = row.attempts + 1;
    const copy = await this.copyNow(target, row);
    if (!copy.send) return this.withhold(target, row, attempt, copy.reason);
    const body = JSON.stringify(copy.body);
    const webhookId = deliveryKey(row.event_id, row.replay_id);
    let status: number | undefined;
    let error: string | undefined;
    try {
      const secrets = await this.secrets.inForce(target.channelId);
      if (secrets.length === 0) throw new Error('no webhook secret in force');
      const now = new Date();
      const signature = secrets.map((s) => new Webhook(s).sign(webhookId, now, body)).join(' ');
      const res = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/cloudevents+json',
          'webhook-id': webhookId,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        redirect: 'error',
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : String(err);
    }
    const base = {
      organisationId: row.organisation_id,
      channelKind: 'webhook' as const,
      channelId: target.channelId,
      deliveryId: row.id,
      eventId: row.event_id,
      eventType: row.event_type,
      trajectoryId: row.trajectory_id,
      attempt,
      categories: copy.categories,
      legalBasis: copy.legalBasis,
      legalBases: copy.legalBases,
      consentRefs: copy.consentRefs,
      ...(row.replay_id ? { replayId: row.replay_id } : {}),
      traceparent: row.traceparent,
    };
    if (error === undefined) {
      return this.finish(
        row,
        `delivered_at = now(), attempts = $3, last_status = $4`,
        [attempt, status ?? null],
        { ...base, outcome: 'delivered', detail: `HTTP ${status}` },
      );
    }
    const next = afterFailure(attempt, this.opts.schedule, Math.random());
    if (next.kind === 'retry') {
      return this.finish(
        row,
        `attempts = $3, last_status = $4, last_error = $5,
         next_attempt_at = now() + $6::int * interval '1 millisecond'`,
        [attempt, status ?? null, error, next.delayMs],
        { ...base, outcome: 'failed', detail: error },
      );
    }
    return this.finish(
      row,
      `attempts = $3, last_status = $4, last_error = $5, dead_at = now()`,
      [attempt, status ?? null, error],
      { ...base, outcome: 'dead-lettered', detail: error },
    );
  }

  /** Nothing is permitted any more: the delivery ends here, audited as withheld (this attempt). */
  private async withhold(
    target: WebhookTarget,
    row: Claimed,
    attempt: number,
    reason: string,
  ): Promise<void> {
    return this.finish(
      row,
      `withheld_at = now(), attempts = $3, last_error = $4`,
      [attempt, reason],
      {
        organisationId: row.organisation_id,
        channelKind: 'webhook',
        channelId: target.channelId,
        deliveryId: row.id,
        eventId: row.event_id,
        eventType: row.event_type,
        trajectoryId: row.trajectory_id,
        outcome: 'withheld',
        attempt,
        ...(row.replay_id ? { replayId: row.replay_id } : {}),
        traceparent: row.traceparent,
        detail: reason,
      },
    );
  }

  /**
   * Ends this attempt in ONE statement (ADR 0037): `set` on the delivery row (its parameters
   * from $3), the lease released, and the attempt's audit entry — both only while the lease is
   * still ours (a dispatcher that lost it, past its expiry, records nothing: the new holder's
   * attempt is the one that counts).
   */
  private async finish(
    row: Claimed,
    set: string,
    params: readonly unknown[],
    entry: AuditEntry,
  ): Promise<void> {
    const recorded = await this.deliveries.updateAudited(
      {
        sql: `UPDATE webhook_deliveries SET ${set}, lease_owner = NULL, lease_expires_at = NULL
               WHERE seq = $1 AND lease_owner = $2`,
        params: [row.seq, this.owner, ...params],
      },
      entry,
    );
    // The attempt is audited either way; a lost lease leaves the row to its new holder.
    if (!recorded)
      this.logger.warn({ delivery: row.id, outcome: entry.outcome }, 'webhook lease lost');
    metrics.partnerDeliveries.inc({ partner: row.organisation_id, outcome: entry.outcome });
  }
}
