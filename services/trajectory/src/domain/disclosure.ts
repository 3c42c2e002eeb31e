/**
 * Who is asking, and what they may receive, decided by the one consent policy
 * (@ketenlink/consent) with the participations and consent records in force now.
 */
import { type DataCategory, DATA_CATEGORIES } from '@ketenlink/contracts';
import {
  type Decision,
  decide,
  isParticipating,
  type PolicyInput,
  type Recipient,
} from '@ketenlink/consent';
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

/**
 * An operator acts for the platform, not for a care organisation: metadata only, whatever
 * else the token says (least privilege). Everyone else receives as their organisation.
 */
export function recipientOf(caller: Caller): Recipient {
  if (caller.kind === 'client') return { kind: 'client' };
  if (caller.kind === 'relative') return { kind: 'class', id: 'relatives' };
  if (caller.roles.includes('operator')) return { kind: 'operator' };
  return { kind: 'organisation', id: caller.organisationId };
}

/** Only organisations taking part now see a trajectory at all; operators see its metadata. */
export function canSeeTrajectory(state: TrajectoryState, caller: Caller, at: Date): boolean {
  const recipient = recipientOf(caller);
  if (recipient.kind === 'operator') return true;
  // A client or relative sees the one trajectory his token is bound to.
  if (caller.kind === 'client' || caller.kind === 'relative') {
    return caller.trajectoryId === state.trajectory.id;
  }
  if (recipient.kind !== 'organisation') return false;
  return state.participations.some(
    (p) => p.organisationId === recipient.id && isParticipating(p, at),
  );
}

/** The organisation takes part now (needed to change a trajectory). */
export function participatesNow(state: TrajectoryState, organisationId: string, at: Date): boolean {
  return state.participations.some(
    (p) => p.organisationId === organisationId && isParticipating(p, at),
  );
}

export function policyInput(state: TrajectoryState, caller: Caller, at: Date): PolicyInput {
  return {
    recipient: recipientOf(caller),
    participations: state.participations,
    consents: state.consents,
    at,
    legalDutyUntil: legalDutyUntilOf(state.titles),
  };
}

/** One decision per data category for this caller, now. */
export interface Entitlement {
  readonly permitted: ReadonlySet<DataCategory>;
  readonly decisions: Readonly<Record<DataCategory, Decision>>;
}

export function entitlementOf(state: TrajectoryState, caller: Caller, at: Date): Entitlement {
  const input = policyInput(state, caller, at);
  const decisions = {} as Record<DataCategory, Decision>;
  for (const category of DATA_CATEGORIES) decisions[category] = decide({ ...input, category });
  const permitted = new Set(DATA_CATEGORIES.filter((c) => decisions[c].permit));
  return { permitted, decisions };
}
