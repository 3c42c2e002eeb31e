import { Module } from '@nestjs/common';
import { AuthModule } from '@ketenlink/auth';
import { MessagingModule } from '@ketenlink/messaging';
import { HealthModule } from '@ketenlink/observability';
import { DatabaseModule, databaseUrlFor } from '@ketenlink/persistence';
import { DataSource } from 'typeorm';
import { TrajectoriesHttpController } from './api/trajectories.http.controller';
import { GetTrajectoryService } from './application/get-trajectory/get-trajectory.service';
import { OpenTrajectoryService } from './application/open-trajectory/open-trajectory.service';
import { TRAJECTORY_MIGRATIONS } from './infrastructure/migrations';
import { TrajectoryRecord } from './infrastructure/trajectory.record';
import { TypeormTrajectoryRepository } from './infrastructure/typeorm-trajectory.repository';

export const SERVICE_NAME = 'trajectory';

@Module({
  imports: [
    DatabaseModule.forRoot({
      service: SERVICE_NAME,
      url: databaseUrlFor(SERVICE_NAME),
      entities: [TrajectoryRecord],
      migrations: TRAJECTORY_MIGRATIONS,
    }),
    MessagingModule.forRoot({
      source: SERVICE_NAME,
      aggregateType: 'trajectory',
      databaseUrl: databaseUrlFor(SERVICE_NAME),
    }),
    AuthModule.forRoot(),
    HealthModule.forRootAsync({
      inject: [DataSource],
      useFactory: (ds: DataSource) => ({ checks: { postgres: () => ds.query('SELECT 1') } }),
    }),
  ],
  controllers: [TrajectoriesHttpController],
  providers: [OpenTrajectoryService, GetTrajectoryService, TypeormTrajectoryRepository],
})
export class TrajectoryAppModule {}
