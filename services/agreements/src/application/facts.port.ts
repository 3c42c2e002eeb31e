import type { Participation } from '@ketenlink/consent';
import type { TitleRegisteredV1 } from '@ketenlink/contracts';
import type { DisclosureGrant, TrajectoryFacts } from '@ketenlink/disclosure';
import type { SqlExecutor } from '@ketenlink/messaging';

/**
 * What the agreements service reads of the trajectory's facts: the subset of
 * @ketenlink/trajectory-facts' TrajectoryFactsPort it uses (bound to TRAJECTORY_FACTS in the app
 * module), so the application depends on the port, not on the projection's SQL.
 */
export interface AgreementFactsPort {
  factsOf(
    trajectoryId: string,
    options?: { readonly grants?: readonly DisclosureGrant[]; readonly tx?: SqlExecutor },
  ): Promise<TrajectoryFacts | undefined>;
  participationsOf(trajectoryId: string, tx?: SqlExecutor): Promise<Participation[]>;
  titlesOf(
    trajectoryId: string,
    tx?: SqlExecutor,
  ): Promise<
    {
      readonly titleId: string;
      readonly endedOn?: string;
      readonly conditions: NonNullable<TitleRegisteredV1['conditions']>;
    }[]
  >;
}

export const AGREEMENT_FACTS = Symbol('agreements.trajectory-facts');
