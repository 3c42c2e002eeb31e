import { Module } from '@nestjs/common';
import { AuthModule } from '@ketenlink/auth';
import { CONTEXT_TOPICS, MessagingModule } from '@ketenlink/messaging';
import { HealthModule } from '@ketenlink/observability';
import { DatabaseModule, databaseUrlFor } from '@ketenlink/persistence';
import { ProjectedOrganisationDirectory, TrajectoryFactsModule } from '@ketenlink/trajectory-facts';
import { DataSource } from 'typeorm';
import {
  DisclosureAuditHttpController,
  PartnerHttpController,
  PartnersHttpController,
} from './api/partners.http.controller';
import { FanOutEventHandler } from './application/fan-out.event-handler';
import { FanOutService } from './application/fan-out.service';
import { PartnerCommandsService } from './application/partner-commands.service';
import { PartnerQueriesService, PullAuditLog } from './application/partner-queries.service';
import { DeliveryStore } from './application/ports/delivery.store.port';
import { GatewayFacts } from './application/ports/facts.port';
import { PartnerStore } from './application/ports/partner.store.port';
import { ReferralGrantStore } from './application/ports/referral-grants.port';
import { ReferralGrantsEventHandler } from './application/referral-grants.event-handler';
import { WebhookDispatcher } from './application/webhook-dispatcher';
import { SqlDeliveryStore } from './infrastructure/delivery.store';
import { PARTNER_GATEWAY_MIGRATIONS } from './infrastructure/migrations';
import { SqlPartnerStore } from './infrastructure/partner.store';
import { SqlReferralGrantStore } from './infrastructure/referral-grants.store';
import { TrajectoryFactsAdapter } from './infrastructure/trajectory-facts.adapter';
import { WebhookSecretStore } from './infrastructure/webhook-secrets';

export const SERVICE_NAME = 'partner-gateway';

/**
 * The gateway's consumer group: every context topic (the gateway fans every domain event out to
 * its partners), with `PARTNER_GATEWAY_CONSUMER_CONCURRENCY` partitions' batches at once (ADR
 * 0037; default 3, the adapters' default). Partitions hold disjoint trajectories, so order per
 * trajectory per partner holds at any setting. Each running batch holds one of the pool's 10
 * connections, which the webhook dispatcher and the API share: on the 2-core bench machine 6
 * gave no more than 3 (CPU-bound, docs/benchmarks.md); raise it where there are cores to spare.
 */
export function gatewayConsumer(env: NodeJS.ProcessEnv = process.env) {
  const concurrency = Number(env.PARTNER_GATEWAY_CONSUMER_CONCURRENCY ?? 3);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 8) {
    throw new Error(
      `PARTNER_GATEWAY_CONSUMER_CONCURRENCY must be an integer from 1 to 8, got "${env.PARTNER_GATEWAY_CONSUMER_CONCURRENCY}"`,
    );
  }
  return {
    group: SERVICE_NAME,
    topics: Object.values(CONTEXT_TOPICS),
    partitionsConsumedConcurrently: concurrency,
  };
}

@Module({
  imports: [
    DatabaseModule.forRoot({
      service: SERVICE_NAME,
      url: databaseUrlFor(SERVICE_NAME),
      entities: [],
      migrations: PARTNER_GATEWAY_MIGRATIONS,
    }),
    MessagingModule.forRoot({
      source: SERVICE_NAME,
      aggregateType: 'gateway',
      databaseUrl: databaseUrlFor(SERVICE_NAME),
      // `false`: the outbox relay runs in another process (or, in a test, not yet).
      relay: process.env.PARTNER_GATEWAY_OUTBOX_RELAY !== 'false',
    }),
    // A token of an organisation that is not in the registry gets 403.
    AuthModule.forRoot({}, { organisationDirectory: ProjectedOrganisationDirectory }),
    TrajectoryFactsModule.forRoot(),
    HealthModule.forRootAsync({
      inject: [DataSource],
      useFactory: (ds: DataSource) => ({ checks: { postgres: () => ds.query('SELECT 1') } }),
    }),
  ],
  controllers: [
    ReferralGrantsEventHandler,
    FanOutEventHandler,
    PartnersHttpController,
    PartnerHttpController,
    DisclosureAuditHttpController,
  ],
  providers: [
    { provide: PartnerStore, useClass: SqlPartnerStore },
    { provide: DeliveryStore, useClass: SqlDeliveryStore },
    { provide: GatewayFacts, useClass: TrajectoryFactsAdapter },
    { provide: ReferralGrantStore, useClass: SqlReferralGrantStore },
    WebhookSecretStore,
    PullAuditLog,
    FanOutService,
    PartnerCommandsService,
    PartnerQueriesService,
    WebhookDispatcher,
  ],
})
export class PartnerGatewayAppModule {}
