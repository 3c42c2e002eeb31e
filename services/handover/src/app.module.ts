import { Module } from '@nestjs/common';
import { AuthModule } from '@ketenlink/auth';
import { MessagingModule } from '@ketenlink/messaging';
import { HealthModule } from '@ketenlink/observability';
import { DatabaseModule, databaseUrlFor } from '@ketenlink/persistence';
import { ProjectedOrganisationDirectory, TrajectoryFactsModule } from '@ketenlink/trajectory-facts';
import { DataSource } from 'typeorm';
import { HandoversHttpController } from './api/handovers.http.controller';
import { OverdueSweepScheduler } from './application/deadlines/overdue-sweep.scheduler';
import { OverdueSweepService } from './application/deadlines/overdue-sweep.service';
import { HANDOVER_CONFIG, handoverConfigFromEnv } from './application/handover-config';
import { HandoverCommandsService } from './application/handovers/handover-commands.service';
import { HandoverQueriesService } from './application/handovers/handover-queries.service';
import { PackageSourcesEventHandler } from './application/package-sources.event-handler';
import { HandoverStore } from './application/ports/handover.store.port';
import { PackageSourcesStore } from './application/ports/package-sources.port';
import { SqlAccessLog } from '@ketenlink/access-log';
import { SqlHandoverStore } from './infrastructure/handover.store';
import { HANDOVER_MIGRATIONS } from './infrastructure/migrations';
import { SqlPackageSourcesStore } from './infrastructure/package-sources.store';

export const SERVICE_NAME = 'handover';

@Module({
  imports: [
    DatabaseModule.forRoot({
      service: SERVICE_NAME,
      url: databaseUrlFor(SERVICE_NAME),
      entities: [],
      migrations: HANDOVER_MIGRATIONS,
    }),
    MessagingModule.forRoot({
      source: SERVICE_NAME,
      aggregateType: 'handover',
      databaseUrl: databaseUrlFor(SERVICE_NAME),
    }),
    // The trajectory's facts (registry, participations, consents, titles) projected locally.
    TrajectoryFactsModule.forRoot(),
    // A token acting for an organisation that is not registered and active gets 403.
    AuthModule.forRoot({}, { organisationDirectory: ProjectedOrganisationDirectory }),
    HealthModule.forRootAsync({
      inject: [DataSource],
      useFactory: (ds: DataSource) => ({ checks: { postgres: () => ds.query('SELECT 1') } }),
    }),
  ],
  controllers: [HandoversHttpController, PackageSourcesEventHandler],
  providers: [
    { provide: HANDOVER_CONFIG, useFactory: () => handoverConfigFromEnv() },
    // Ports (application/ports) and their SQL implementations (docs/adr/0014).
    { provide: HandoverStore, useClass: SqlHandoverStore },
    SqlPackageSourcesStore,
    { provide: PackageSourcesStore, useExisting: SqlPackageSourcesStore },
    SqlAccessLog,
    HandoverCommandsService,
    HandoverQueriesService,
    OverdueSweepService,
    OverdueSweepScheduler,
  ],
})
export class HandoverAppModule {}
