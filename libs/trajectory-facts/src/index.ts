/**
 * @ketenlink/trajectory-facts: the trajectory's facts in every service's own database
 * (libs/trajectory-facts/README.md, ADR 0021): organisation registry, participations, consent
 * records, legal titles and the case lead, projected from the trajectory topic, for the
 * disclosure gate and the registered-organisation guard.
 */
export { TRAJECTORY_FACTS_MIGRATIONS, TrajectoryFacts1764500000000 } from './migrations';
export { TrajectoryFactsModule } from './trajectory-facts.module';
export {
  type ProjectedOrganisation,
  type ProjectedTitle,
  TRAJECTORY_FACTS,
  type TrajectoryFactsPort,
} from './trajectory-facts.port';
export { ProjectedOrganisationDirectory } from './organisation-directory';
export { SqlTrajectoryFacts, type SourceEvent } from './sql-trajectory-facts';
export {
  TRAJECTORY_FACT_EVENT_TYPES,
  TrajectoryFactsEventHandler,
} from './trajectory-facts.event-handler';
export {
  applyTrajectoryFacts,
  publishTrajectoryFacts,
  type ScenarioParticipant,
  trajectoryFactEvent,
  trajectoryFactEvents,
  type TrajectoryFactEventType,
  trajectoryFactsProjected,
  uniqueOrganisationId,
} from './fixtures';
