import type { TrajectoryFacts } from '@ketenlink/disclosure';
import type { EntityManager } from 'typeorm';

/**
 * The trajectory's facts for the disclosure gate and the participant checks (participations;
 * consents are not projected here yet, so consent-based sharing stays closed). Same shape as
 * @ketenlink/trajectory-facts' `factsOf`, which replaces the adapter when it lands.
 */
export abstract class TrajectoryFactsSource {
  abstract factsOf(trajectoryId: string, tx?: EntityManager): Promise<TrajectoryFacts | undefined>;
}
