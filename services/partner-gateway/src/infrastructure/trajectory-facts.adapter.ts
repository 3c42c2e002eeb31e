import { Inject, Injectable } from '@nestjs/common';
import { referralGrantOf, type TrajectoryFacts } from '@ketenlink/disclosure';
import type { SqlExecutor } from '@ketenlink/messaging';
import {
  ProjectedOrganisationDirectory,
  TRAJECTORY_FACTS,
  type TrajectoryFactsPort,
} from '@ketenlink/trajectory-facts';
import { GatewayFacts } from '../application/ports/facts.port';
import { ReferralGrantStore } from '../application/ports/referral-grants.port';

/**
 * The gateway's view of the shared trajectory-facts projection (ADR 0021) with the referral
 * grants projected from the placement events (ADR 0042), each decided by the rule placement-intake
 * uses (libs/disclosure `referralGrantOf`): fan-out, send time, pull, replay and the re-decision
 * at a narrowing event all read the facts here.
 */
@Injectable()
export class TrajectoryFactsAdapter extends GatewayFacts {
  constructor(
    @Inject(TRAJECTORY_FACTS) private readonly facts: TrajectoryFactsPort,
    private readonly directory: ProjectedOrganisationDirectory,
    private readonly referrals: ReferralGrantStore,
  ) {
    super();
  }

  async factsOf(trajectoryId: string, tx?: SqlExecutor): Promise<TrajectoryFacts | undefined> {
    const known = await this.facts.factsOf(trajectoryId, tx ? { tx } : {});
    if (!known) return undefined;
    const referrals = await this.referrals.referralsOf(trajectoryId, tx);
    if (referrals.length === 0) return known;
    const grants = referrals.map((r) => referralGrantOf(r, known.participations));
    return { ...known, grants: [...(known.grants ?? []), ...grants] };
  }

  async isRegisteredOrganisation(organisationId: string, tx?: SqlExecutor): Promise<boolean> {
    return (await this.directory.find(organisationId, tx)) !== undefined;
  }
}
