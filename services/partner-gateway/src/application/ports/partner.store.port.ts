import type { SqlExecutor } from '@ketenlink/messaging';
import type { PartnerAudience, PartnerChannel, PartnerProfile } from '../../domain/partner';

export interface NewPartner {
  readonly organisationId: string;
  readonly audience: PartnerAudience;
  readonly trajectoryId?: string;
  readonly fullPayloads: boolean;
  readonly registeredBy: string;
}

export interface WebhookTarget {
  readonly channelId: string;
  readonly organisationId: string;
  readonly url: string;
  readonly maxInFlight: number;
}

/** Partner registrations, channels and subscriptions (SQL behind a port, ADR 0014). */
export abstract class PartnerStore {
  abstract register(tx: SqlExecutor, partner: NewPartner): Promise<boolean>;
  abstract addChannel(
    tx: SqlExecutor,
    organisationId: string,
    channel: PartnerChannel & { maxInFlight?: number },
  ): Promise<void>;
  abstract setSubscriptions(
    tx: SqlExecutor,
    organisationId: string,
    eventTypes: readonly string[],
  ): Promise<void>;
  abstract get(organisationId: string, tx?: SqlExecutor): Promise<PartnerProfile | undefined>;
  abstract all(tx?: SqlExecutor): Promise<PartnerProfile[]>;
  abstract webhookTargets(): Promise<WebhookTarget[]>;
}
