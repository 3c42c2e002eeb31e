import { Module } from '@nestjs/common';
import { AuthModule } from '@ketenlink/auth';
import { MessagingModule } from '@ketenlink/messaging';
import { HealthModule } from '@ketenlink/observability';
import { DatabaseModule, databaseUrlFor } from '@ketenlink/persistence';
import { DataSource } from 'typeorm';
import { AccessLogHttpController } from './api/access-log.http.controller';
import { CaseLeadHttpController } from './api/case-lead.http.controller';
import { CaseRecordsHttpController } from './api/case-records.http.controller';
import { OrganisationsHttpController } from './api/organisations.http.controller';
import { OwnViewHttpController } from './api/own-view.http.controller';
import { TrajectoriesHttpController } from './api/trajectories.http.controller';
import { OrganisationRegistry } from './application/organisation-registry.service';
import { IDENTITY_CIPHER, TrajectoryCommands } from './application/trajectory-commands.service';
import { TrajectoryEventsHandler } from './application/trajectory-events.event-handler';
import { TrajectoryQueries } from './application/trajectory-queries.service';
import { AccessLog } from './infrastructure/access-log';
import { TimelineStore } from './application/ports/timeline.store.port';
import { TrajectoryStore } from './application/ports/trajectory.store.port';
import { AesGcmIdentityCipher } from './infrastructure/identity-cipher';
import { TRAJECTORY_MIGRATIONS } from './infrastructure/migrations';
import { SqlTimelineStore } from './infrastructure/timeline.store';
import { SqlTrajectoryStore } from './infrastructure/trajectory.store';
import { OrganisationStore } from './application/ports/organisation.store.port';
import { SqlOrganisationStore } from './infrastructure/organisation.store';

export const SERVICE_NAME = 'trajectory';

@Module({
  imports: [
    DatabaseModule.forRoot({
      service: SERVICE_NAME,
      url: databaseUrlFor(SERVICE_NAME),
      entities: [],
      migrations: TRAJECTORY_MIGRATIONS,
    }),
    MessagingModule.forRoot({
      source: SERVICE_NAME,
      aggregateType: 'trajectory',
      databaseUrl: databaseUrlFor(SERVICE_NAME),
    }),
    // A token acting for an organisation that is not registered and active gets 403.
    AuthModule.forRoot(
      {},
      {
        organisationDirectory: {
          inject: [DataSource],
          useFactory: (ds: DataSource) => new SqlOrganisationStore(ds),
        },
      },
    ),
    HealthModule.forRootAsync({
      inject: [DataSource],
      useFactory: (ds: DataSource) => ({ checks: { postgres: () => ds.query('SELECT 1') } }),
    }),
  ],
  controllers: [
    TrajectoriesHttpController,
    CaseRecordsHttpController,
    AccessLogHttpController,
    TrajectoryEventsHandler,
    OrganisationsHttpController,
    CaseLeadHttpController,
    OwnViewHttpController,
  ],
  providers: [
    TrajectoryCommands,
    TrajectoryQueries,
    // Ports (application/ports) and their implementations (docs/adr/0014).
    { provide: TrajectoryStore, useClass: SqlTrajectoryStore },
    { provide: TimelineStore, useClass: SqlTimelineStore },
    AccessLog,
    { provide: OrganisationStore, useClass: SqlOrganisationStore },
    OrganisationRegistry,
    {
      provide: IDENTITY_CIPHER,
      useFactory: () => new AesGcmIdentityCipher(process.env.IDENTITY_ENCRYPTION_KEYS),
    },
  ],
})
export class TrajectoryAppModule {}
