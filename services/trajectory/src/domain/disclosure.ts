/**
 * The trajectory's state as the one disclosure gate (@ketenlink/disclosure, ADR 0020) and the
 * consent policy (@ketenlink/consent) take it. No decision here: who may see what is
 * libs/disclosure's `entitlementOf` on `trajectoryFacts(state)`; authority.ts asks libs/consent
 * with `policyFacts(state, at)` and a recipient of its own choosing.
 */
import type { PolicyInput } from '@ketenlink/consent';
import { isParticipating } from '@ketenlink/consent';
import type { TrajectoryFacts } from '@ketenlink/disclosure';
import { legalDutyUntilOf } from './titles';
import type { TrajectoryState } from './trajectory';

/** The caller as the API knows it (a verified token). */
export interface Caller {
  /** Absent: `organisation` (libs/auth Principal.kind). */
  readonly kind?: 'organisation' | 'client' | 'relative';
  readonly subject: string;
  /** Empty for a client or relative. */
  readonly organisationId: string;
  readonly roles: readonly string[];
  /** The trajectory a client or relative token is bound to. */
  readonly trajectoryId?: string;
}

/** The organisation takes part now (needed to change a trajectory). */
export function participatesNow(state: TrajectoryState, organisationId: string, at: Date): boolean {
  return state.participations.some(
    (p) => p.organisationId === organisationId && isParticipating(p, at),
  );
}

/** The gate's facts of this trajectory (R-TITLE-END: the legal duty ends with the last title). */
export function trajectoryFacts(state: TrajectoryState): TrajectoryFacts {
  const legalDutyUntil = legalDutyUntilOf(state.titles);
  return {
    trajectoryId: state.trajectory.id,
    participations: state.participations,
    consents: state.consents,
    ...(legalDutyUntil ? { legalDutyUntil } : {}),
  };
}

/** The consent policy's input at `at`, but for the recipient (the caller of `decide` names it). */
export function policyFacts(state: TrajectoryState, at: Date): Omit<PolicyInput, 'recipient'> {
  const { participations, consents, legalDutyUntil } = trajectoryFacts(state);
  return { participations, consents, at, ...(legalDutyUntil ? { legalDutyUntil } : {}) };
}
