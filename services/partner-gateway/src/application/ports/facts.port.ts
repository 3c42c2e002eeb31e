import type { ConsentRecord } from '@ketenlink/consent';
import type { TrajectoryFacts } from '@ketenlink/disclosure';
import type { SqlExecutor } from '@ketenlink/messaging';

/**
 * The trajectory facts the gate decides with (shaped like @ketenlink/trajectory-facts'
 * TrajectoryFactsPort, which replaces the stand-in implementation when it lands).
 */
export abstract class GatewayFacts {
  /** undefined: the trajectory is unknown here. */
  abstract factsOf(trajectoryId: string, tx?: SqlExecutor): Promise<TrajectoryFacts | undefined>;
  abstract consentOf(consentId: string, tx?: SqlExecutor): Promise<ConsentRecord | undefined>;
  abstract isRegisteredOrganisation(organisationId: string, tx?: SqlExecutor): Promise<boolean>;
  /** Projects a trajectory-context event (no-op for other types). Idempotent. */
  abstract project(
    tx: SqlExecutor,
    event: { id: string; type: string; data: unknown },
  ): Promise<void>;
}
