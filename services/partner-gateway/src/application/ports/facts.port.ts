import type { TrajectoryFacts } from '@ketenlink/disclosure';
import type { SqlExecutor } from '@ketenlink/messaging';

/** The trajectory facts the gateway decides with (@ketenlink/trajectory-facts behind a port). */
export abstract class GatewayFacts {
  /** undefined: the trajectory is unknown here. */
  abstract factsOf(trajectoryId: string, tx?: SqlExecutor): Promise<TrajectoryFacts | undefined>;
  abstract isRegisteredOrganisation(organisationId: string, tx?: SqlExecutor): Promise<boolean>;
}
