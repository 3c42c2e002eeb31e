import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, EVENT_TYPES } from '@ketenlink/contracts';
import {
  KafkaAccessControl,
  kafkaClients,
  partnerTopicSpec,
  type SqlExecutor,
} from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { type PartnerAudience, webhookUrlProblem } from '../domain/partner';
import { WebhookSecretStore } from '../infrastructure/webhook-secrets';
import { FanOutService } from './fan-out.service';
import { DeliveryStore } from './ports/delivery.store.port';
import { GatewayFacts } from './ports/facts.port';
import { PartnerStore } from './ports/partner.store.port';

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
/** Overlap of the old webhook secret after a rotation (default one day). */
const DEFAULT_OVERLAP_MS = 24 * 60 * 60 * 1000;
const REPLAY_LIMIT = 10_000;

export interface RegisterPartner {
  readonly organisationId: string;
  readonly audience: PartnerAudience;
  readonly trajectoryId?: string;
  readonly fullPayloads: boolean;
}

const notFound = (org: string) =>
  new DomainError('not-found', 'partner-not-found', `no partner ${org} is registered`);

function checkTypes(types: readonly string[]): void {
  const unknown = types.filter((t) => !KNOWN_TYPES.has(t));
  if (unknown.length > 0) {
    throw new DomainError(
      'unprocessable',
      'unknown-event-type',
      'some event types have no contract',
      unknown.map((t) => `unknown event type ${t}`),
    );
  }
}

/** Partner registration, channels, subscriptions, secret rotation, replay, acknowledgements. */
@Injectable()
export class PartnerCommandsService {
  constructor(
    private readonly ds: DataSource,
    private readonly partners: PartnerStore,
    private readonly facts: GatewayFacts,
    private readonly secrets: WebhookSecretStore,
    private readonly fanOut: FanOutService,
    private readonly deliveries: DeliveryStore,
  ) {}

  private tx<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.ds.transaction((m) => fn(m as unknown as SqlExecutor));
  }

  async register(p: RegisterPartner, by: string): Promise<void> {
    if (!(await this.facts.isRegisteredOrganisation(p.organisationId))) {
      throw new DomainError(
        'unprocessable',
        'organisation-not-registered',
        `organisation ${p.organisationId} is not in the registry`,
      );
    }
    if ((p.audience === 'relatives') !== (p.trajectoryId !== undefined)) {
      throw new DomainError(
        'unprocessable',
        'relatives-channel-needs-trajectory',
        'a relatives channel names exactly one trajectory; an organisation partner names none',
      );
    }
    const created = await this.tx((tx) => this.partners.register(tx, { ...p, registeredBy: by }));
    if (!created) {
      throw new DomainError('conflict', 'partner-exists', `${p.organisationId} is registered`);
    }
  }

  /**
   * The partner's own topic `ketenlink.partner.<org>.v1`, and SCRAM credentials that can read only
   * it and use only the consumer group `partner.<org>` (and `partner.<org>.*`). The password is in
   * this answer only.
   */
  async addTopicChannel(org: string, eventTypes: readonly string[]) {
    checkTypes(eventTypes);
    if (!(await this.partners.get(org))) throw notFound(org);
    const spec = partnerTopicSpec(org);
    const admin = kafkaClients({ clientId: 'partner-gateway-admin' }).admin();
    try {
      await admin.ensureTopics([spec]);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const id = randomUUID();
    await this.tx(async (tx) => {
      const taken = (await tx.query(
        `SELECT 1 FROM partner_channels WHERE organisation_id = $1 AND kind = 'topic'`,
        [org],
      )) as unknown[];
      if (taken.length > 0) {
        throw new DomainError('conflict', 'topic-channel-exists', `${org} has its topic channel`);
      }
      await this.partners.addChannel(tx, org, { id, kind: 'topic', eventTypes });
    });
    return { id, ...(await this.topicCredentials(org)) };
  }

  /** New SCRAM password for the partner's topic user (the old one stops working at once). */
  async topicCredentials(org: string) {
    const partner = await this.partners.get(org);
    if (!partner?.channels.some((c) => c.kind === 'topic')) {
      throw new DomainError('not-found', 'channel-not-found', `${org} has no topic channel`);
    }
    const credentials = await new KafkaAccessControl().grantConsumer(
      `partner-${org}`,
      partnerTopicSpec(org).name,
      `partner.${org}`,
    );
    return {
      ...credentials,
      bootstrapServers: process.env.KAFKA_SASL_BROKERS ?? '127.0.0.1:9094',
      securityProtocol: 'SASL_PLAINTEXT',
    };
  }

  async addWebhook(
    org: string,
    body: { url: string; eventTypes: readonly string[]; maxInFlight?: number },
  ): Promise<{ id: string; secret: string }> {
    checkTypes(body.eventTypes);
    const problem = webhookUrlProblem(
      body.url,
      process.env.PARTNER_WEBHOOK_ALLOW_LOOPBACK_HTTP === 'true',
    );
    if (problem) throw new DomainError('unprocessable', 'invalid-webhook-url', problem);
    if (!(await this.partners.get(org))) throw notFound(org);
    const id = randomUUID();
    const secret = await this.tx(async (tx) => {
      await this.partners.addChannel(tx, org, {
        id,
        kind: 'webhook',
        url: body.url,
        eventTypes: body.eventTypes,
        ...(body.maxInFlight ? { maxInFlight: body.maxInFlight } : {}),
      });
      return this.secrets.rotate(tx, id, 0);
    });
    return { id, secret };
  }

  async rotateSecret(org: string, channelId: string, overlapMs = DEFAULT_OVERLAP_MS) {
    const partner = await this.partners.get(org);
    if (!partner?.channels.some((c) => c.id === channelId && c.kind === 'webhook')) {
      throw new DomainError('not-found', 'channel-not-found', `no webhook ${channelId} of ${org}`);
    }
    const secret = await this.tx((tx) => this.secrets.rotate(tx, channelId, overlapMs));
    return { secret, previousRetiresAt: new Date(Date.now() + overlapMs).toISOString() };
  }

  async subscribe(org: string, eventTypes: readonly string[]): Promise<void> {
    checkTypes(eventTypes);
    if (!(await this.partners.get(org))) throw notFound(org);
    await this.tx((tx) => this.partners.setSubscriptions(tx, org, eventTypes));
  }

  /**
   * Redelivery from an event id or a time, re-decided with the consent in force now (not the
   * consent at the time): a withdrawn consent sends less than the original delivery did.
   */
  async replay(org: string, from: { eventId?: string; time?: Date }) {
    const partner = await this.partners.get(org);
    if (!partner) throw notFound(org);
    if (from.eventId && !(await this.deliveries.event(from.eventId))) {
      throw new DomainError('not-found', 'event-not-found', `no event ${from.eventId}`);
    }
    const replayId = randomUUID();
    const queued = await this.tx(async (tx) => {
      let n = 0;
      const events = await this.deliveries.eventsFrom(from, REPLAY_LIMIT, tx);
      const now = new Date();
      for (const e of events) {
        if (e.envelope.type.startsWith('nl.ketenlink.partner.')) continue;
        n += await this.fanOut.deliver(tx, e.envelope, [partner], now, replayId);
      }
      return { considered: events.length, queued: n };
    });
    return { replayId, ...queued };
  }

  async acknowledge(org: string, retractionId: string): Promise<{ acknowledgedAt: string }> {
    const rows = (await this.ds.query(
      `UPDATE retractions SET acknowledged_at = COALESCE(acknowledged_at, now())
        WHERE id = $1 AND organisation_id = $2 RETURNING acknowledged_at`,
      [retractionId, org],
    )) as [{ acknowledged_at: Date }[], number];
    const row = rows[0]?.[0];
    if (!row)
      throw new DomainError('not-found', 'retraction-not-found', `no retraction ${retractionId}`);
    return { acknowledgedAt: row.acknowledged_at.toISOString() };
  }

  /** Puts a dead-lettered webhook delivery back in the queue (attempts start again). */
  async replayDeadLetter(org: string, deliveryId: string): Promise<void> {
    const rows = (await this.ds.query(
      `UPDATE webhook_deliveries SET dead_at = NULL, attempts = 0, next_attempt_at = now(),
              last_error = NULL
        WHERE id = $1 AND organisation_id = $2 AND dead_at IS NOT NULL RETURNING 1`,
      [deliveryId, org],
    )) as [unknown[], number];
    if (!rows[0]?.length) {
      throw new DomainError('not-found', 'dead-letter-not-found', `no dead letter ${deliveryId}`);
    }
  }
}
