import { Module } from '@nestjs/common';
import { AuthModule } from '@ketenlink/auth';
import { MessagingModule } from '@ketenlink/messaging';
import { HealthModule } from '@ketenlink/observability';
import { DatabaseModule, databaseUrlFor } from '@ketenlink/persistence';
import {
  ProjectedOrganisationDirectory,
  TRAJECTORY_FACTS,
  TrajectoryFactsModule,
} from '@ketenlink/trajectory-facts';
import { DataSource } from 'typeorm';
import { AgreementsHttpController } from './api/agreements.http.controller';
import { OwnAgreementHttpController } from './api/own-agreement.http.controller';
import { RecordsHttpController } from './api/records.http.controller';
import { AgreementCommands } from './application/agreement-commands.service';
import { AgreementQueries } from './application/agreement-queries.service';
import { AGREEMENT_FACTS } from './application/facts.port';
import { OverdueSweepScheduler } from './application/overdue-sweep.scheduler';
import { OverdueSweepService } from './application/overdue-sweep.service';
import { AgreementStore, RecordStore } from './application/ports/agreement.store.port';
import { RecordCommands } from './application/record-commands.service';
import { recordPolicyProvider } from './application/record-policy';
import { TitleEndedEventHandler } from './application/title-ended.event-handler';
import { SqlAccessLog } from '@ketenlink/access-log';
import { SqlAgreementStore } from './infrastructure/agreement.store';
import { AGREEMENTS_MIGRATIONS } from './infrastructure/migrations';
import { SqlRecordStore } from './infrastructure/record.store';

export const SERVICE_NAME = 'agreements';

@Module({
  imports: [
    DatabaseModule.forRoot({
      service: SERVICE_NAME,
      url: databaseUrlFor(SERVICE_NAME),
      entities: [],
      migrations: AGREEMENTS_MIGRATIONS,
    }),
    MessagingModule.forRoot({
      source: SERVICE_NAME,
      aggregateType: 'agreement',
      databaseUrl: databaseUrlFor(SERVICE_NAME),
    }),
    // A token of an organisation the projected registry does not know (or not active) gets 403.
    AuthModule.forRoot({}, { organisationDirectory: ProjectedOrganisationDirectory }),
    TrajectoryFactsModule.forRoot(),
    HealthModule.forRootAsync({
      inject: [DataSource],
      useFactory: (ds: DataSource) => ({ checks: { postgres: () => ds.query('SELECT 1') } }),
    }),
  ],
  controllers: [
    TitleEndedEventHandler,
    AgreementsHttpController,
    RecordsHttpController,
    OwnAgreementHttpController,
  ],
  providers: [
    // Ports and their SQL implementations (docs/adr/0014).
    { provide: AgreementStore, useClass: SqlAgreementStore },
    { provide: RecordStore, useClass: SqlRecordStore },
    { provide: AGREEMENT_FACTS, useExisting: TRAJECTORY_FACTS },
    recordPolicyProvider,
    SqlAccessLog,
    AgreementCommands,
    AgreementQueries,
    RecordCommands,
    OverdueSweepService,
    OverdueSweepScheduler,
  ],
})
export class AgreementsAppModule {}
