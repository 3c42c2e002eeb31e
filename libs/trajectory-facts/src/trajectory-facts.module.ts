import { type DynamicModule, Module } from '@nestjs/common';
import { ProjectedOrganisationDirectory } from './organisation-directory';
import { SqlTrajectoryFacts } from './sql-trajectory-facts';
import { TrajectoryFactsEventHandler } from './trajectory-facts.event-handler';
import { TRAJECTORY_FACTS } from './trajectory-facts.port';

/**
 * The trajectory's facts in a service (ADR 0021): import `TrajectoryFactsModule.forRoot()`,
 * append TRAJECTORY_FACTS_MIGRATIONS to the migrations and consume CONTEXT_TOPICS.trajectory
 * (`runService({ consumer: { topics } })`). Needs the service's DataSource (DatabaseModule).
 * Provides TRAJECTORY_FACTS (TrajectoryFactsPort) and ProjectedOrganisationDirectory.
 */
@Module({})
export class TrajectoryFactsModule {
  static forRoot(): DynamicModule {
    return {
      module: TrajectoryFactsModule,
      controllers: [TrajectoryFactsEventHandler],
      providers: [
        SqlTrajectoryFacts,
        { provide: TRAJECTORY_FACTS, useExisting: SqlTrajectoryFacts },
        ProjectedOrganisationDirectory,
      ],
      exports: [TRAJECTORY_FACTS, ProjectedOrganisationDirectory],
    };
  }
}
