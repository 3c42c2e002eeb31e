import type { Participation } from '@ketenlink/consent';
import type { TitleRegisteredV1 } from '@ketenlink/contracts';
import type { DisclosureGrant, TrajectoryFacts } from '@ketenlink/disclosure';
import type { SqlExecutor } from '@ketenlink/messaging';

/** A legal title as projected from title.registered / changed / ended. */
export interface ProjectedTitle {
  readonly titleId: string;
  readonly kind: TitleRegisteredV1['kind'];
  /** Calendar dates (YYYY-MM-DD, Europe/Amsterdam). */
  readonly startDate: string;
  readonly expectedEndDate?: string;
  /** Set once title.ended arrived. */
  readonly endedOn?: string;
  /** As in the `title.registered` schema (the latest complete set after title.changed). */
  readonly conditions: NonNullable<TitleRegisteredV1['conditions']>;
}

/** An organisation as projected from organisation.registered / changed. */
export interface ProjectedOrganisation {
  readonly organisationId: string;
  readonly kind: string;
  readonly identifiers: { readonly ura?: string; readonly oin?: string; readonly kvk?: string };
  readonly activeFrom: string;
  readonly activeUntil?: string;
}

/**
 * What a service knows of the trajectory's facts, from its own projection
 * (`TrajectoryFactsModule`). Every read may run inside a transaction (`tx`, e.g. a command's or
 * the inbox's); without it, on the service's data source.
 */
export interface TrajectoryFactsPort {
  /**
   * The disclosure gate's input (libs/disclosure `TrajectoryFacts`): participations and consent
   * records in their full history (the gate decides at its instant), the service's own
   * `grants`, and `legalDutyUntil` from the titles (R-TITLE-END, libs/consent
   * `legalDutyUntilOf`, exactly as the trajectory service computes it). Undefined: the trajectory
   * is unknown here (never opened as far as this service heard), so the gate answers 404.
   */
  factsOf(
    trajectoryId: string,
    options?: { readonly grants?: readonly DisclosureGrant[]; readonly tx?: SqlExecutor },
  ): Promise<TrajectoryFacts | undefined>;
  /** Every participation (instants, libs/consent), ended ones included. */
  participationsOf(trajectoryId: string, tx?: SqlExecutor): Promise<Participation[]>;
  /** Every registered title, by start date. */
  titlesOf(trajectoryId: string, tx?: SqlExecutor): Promise<ProjectedTitle[]>;
  /** The current case lead (regiehouder): the opener until a transfer. */
  caseLeadOf(trajectoryId: string, tx?: SqlExecutor): Promise<string | undefined>;
}

/** Injection token of the TrajectoryFactsPort (provided by TrajectoryFactsModule). */
export const TRAJECTORY_FACTS = Symbol('ketenlink.trajectory-facts');
