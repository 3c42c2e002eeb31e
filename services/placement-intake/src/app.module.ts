import { Module } from '@nestjs/common';
import { AuthModule } from '@ketenlink/auth';
import { MessagingModule } from '@ketenlink/messaging';
import { HealthModule } from '@ketenlink/observability';
import { DatabaseModule, databaseUrlFor } from '@ketenlink/persistence';
import { DataSource } from 'typeorm';
import { TrajectoryProjectionEventHandler } from './application/trajectory-projection.event-handler';
import { PLACEMENT_INTAKE_MIGRATIONS } from './infrastructure/migrations';

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
    AuthModule.forRoot(),
    HealthModule.forRootAsync({
      inject: [DataSource],
      useFactory: (ds: DataSource) => ({ checks: { postgres: () => ds.query('SELECT 1') } }),
    }),
  ],
  controllers: [TrajectoryProjectionEventHandler],
})
export class PlacementIntakeAppModule {}
