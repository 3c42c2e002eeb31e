import { Inject, Injectable } from '@nestjs/common';
import type { TrajectoryFacts } from '@ketenlink/disclosure';
import type { SqlExecutor } from '@ketenlink/messaging';
import {
  ProjectedOrganisationDirectory,
  TRAJECTORY_FACTS,
  type TrajectoryFactsPort,
} from '@ketenlink/trajectory-facts';
import { GatewayFacts } from '../application/ports/facts.port';

/** The gateway's view of the shared trajectory-facts projection (ADR 0021). */
@Injectable()
export class TrajectoryFactsAdapter extends GatewayFacts {
  constructor(
    @Inject(TRAJECTORY_FACTS) private readonly facts: TrajectoryFactsPort,
    private readonly directory: ProjectedOrganisationDirectory,
  ) {
    super();
  }

  factsOf(trajectoryId: string, tx?: SqlExecutor): Promise<TrajectoryFacts | undefined> {
    return this.facts.factsOf(trajectoryId, tx ? { tx } : {});
  }

  async isRegisteredOrganisation(organisationId: string, tx?: SqlExecutor): Promise<boolean> {
    return (await this.directory.find(organisationId, tx)) !== undefined;
  }
}
