import { Module } from '@nestjs/common';
import { AuthModule } from '@ketenlink/auth';
import { MessagingModule } from '@ketenlink/messaging';
import { HealthModule } from '@ketenlink/observability';
import { DatabaseModule, databaseUrlFor } from '@ketenlink/persistence';
import { ProjectedOrganisationDirectory, TrajectoryFactsModule } from '@ketenlink/trajectory-facts';
import { DataSource } from 'typeorm';
import { PlanReviewsHttpController } from './api/plan-reviews.http.controller';
import { Clock, SystemClock } from './application/clock';
import { RecordsStore } from './application/ports/records.store.port';
import { ScheduleStore } from './application/ports/schedule.store.port';
import { RecordsQueries } from './application/records.queries';
import { RecordsService } from './application/records.service';
import { ScheduleFactsEventHandler } from './application/schedule-facts.event-handler';
import { ScheduleService } from './application/schedule.service';
import { ReviewTimer } from './application/timer.service';
import { SqlAccessLog } from '@ketenlink/access-log';
import { PLAN_REVIEWS_MIGRATIONS } from './infrastructure/migrations';
import { SqlRecordsStore } from './infrastructure/records.store';
import { SqlScheduleStore } from './infrastructure/schedule.store';

export const SERVICE_NAME = 'plan-reviews';

@Module({
  imports: [
    DatabaseModule.forRoot({
      service: SERVICE_NAME,
      url: databaseUrlFor(SERVICE_NAME),
      entities: [],
      migrations: PLAN_REVIEWS_MIGRATIONS,
    }),
    MessagingModule.forRoot({
      source: SERVICE_NAME,
      aggregateType: 'trajectory',
      databaseUrl: databaseUrlFor(SERVICE_NAME),
    }),
    // A token of an organisation the registry does not know (or no longer active) gets 403.
    AuthModule.forRoot({}, { organisationDirectory: ProjectedOrganisationDirectory }),
    TrajectoryFactsModule.forRoot(),
    HealthModule.forRootAsync({
      inject: [DataSource],
      useFactory: (ds: DataSource) => ({ checks: { postgres: () => ds.query('SELECT 1') } }),
    }),
  ],
  controllers: [ScheduleFactsEventHandler, PlanReviewsHttpController],
  providers: [
    { provide: Clock, useClass: SystemClock },
    // Ports (application/ports) and their SQL implementations (docs/adr/0014).
    { provide: ScheduleStore, useClass: SqlScheduleStore },
    { provide: RecordsStore, useClass: SqlRecordsStore },
    SqlAccessLog,
    ScheduleService,
    RecordsService,
    RecordsQueries,
    ReviewTimer,
  ],
})
export class PlanReviewsAppModule {}
