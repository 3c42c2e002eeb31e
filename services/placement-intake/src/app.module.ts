import { Module } from '@nestjs/common';
import { AuthModule } from '@ketenlink/auth';
import { MessagingModule } from '@ketenlink/messaging';
import { HealthModule } from '@ketenlink/observability';
import { DatabaseModule, databaseUrlFor } from '@ketenlink/persistence';
import { ProjectedOrganisationDirectory, TrajectoryFactsModule } from '@ketenlink/trajectory-facts';
import { DataSource } from 'typeorm';
import { LocationsHttpController } from './api/locations.http.controller';
import { PlacementsHttpController } from './api/placements.http.controller';
import { DeadlineSweepScheduler } from './application/deadlines/deadline-sweep.scheduler';
import { DeadlineSweepService } from './application/deadlines/deadline-sweep.service';
import { publicHolidaysProvider } from './application/holidays.provider';
import { LocationsService } from './application/locations/locations.service';
import { MatchingService } from './application/matching/matching.service';
import { PlacementCommandsService } from './application/placements/placement-commands.service';
import { PlacementQueriesService } from './application/placements/placement-queries.service';
import { RequestPlacementService } from './application/placements/request-placement.service';
import { ACCESS_LOG_PORT } from './application/ports/access-log.port';
import { DisclosureFactsPort } from './application/ports/disclosure-facts.port';
import { LocationStore } from './application/ports/location.store.port';
import { PlacementStore } from './application/ports/placement.store.port';
import { SqlLocationStore } from './infrastructure/location.store';
import { SqlAccessLog } from '@ketenlink/access-log';
import { SqlDisclosureFacts } from './infrastructure/disclosure-facts.store';
import { PLACEMENT_INTAKE_MIGRATIONS } from './infrastructure/migrations';
import { SqlPlacementStore } from './infrastructure/placement.store';

export const SERVICE_NAME = 'placement-intake';

@Module({
  imports: [
    DatabaseModule.forRoot({
      service: SERVICE_NAME,
      url: databaseUrlFor(SERVICE_NAME),
      entities: [],
      migrations: PLACEMENT_INTAKE_MIGRATIONS,
    }),
    MessagingModule.forRoot({
      source: SERVICE_NAME,
      aggregateType: 'placement',
      databaseUrl: databaseUrlFor(SERVICE_NAME),
    }),
    // A token of an organisation not registered (and active) in the projected registry: 403.
    AuthModule.forRoot({}, { organisationDirectory: ProjectedOrganisationDirectory }),
    // The trajectory's facts (participations, consents, titles, registry) from its topic.
    TrajectoryFactsModule.forRoot(),
    HealthModule.forRootAsync({
      inject: [DataSource],
      useFactory: (ds: DataSource) => ({ checks: { postgres: () => ds.query('SELECT 1') } }),
    }),
  ],
  controllers: [LocationsHttpController, PlacementsHttpController],
  providers: [
    publicHolidaysProvider,
    // Ports (application/ports) and their SQL implementations (docs/adr/0014).
    { provide: PlacementStore, useClass: SqlPlacementStore },
    { provide: LocationStore, useClass: SqlLocationStore },
    { provide: DisclosureFactsPort, useClass: SqlDisclosureFacts },
    { provide: ACCESS_LOG_PORT, useClass: SqlAccessLog },
    LocationsService,
    MatchingService,
    RequestPlacementService,
    PlacementCommandsService,
    PlacementQueriesService,
    DeadlineSweepService,
    DeadlineSweepScheduler,
  ],
})
export class PlacementIntakeAppModule {}
