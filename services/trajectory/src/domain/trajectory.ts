/**
 * The shared client trajectory (DOMAIN.md §1). Plain TypeScript: no framework, no I/O.
 * A trajectory is known everywhere by its pseudonymous id only; identity stays in this service.
 *
 * Commands are pure functions over a {@link TrajectoryState}: they check the rules, then return
 * the change to store and the events to emit, or throw a {@link DomainError} and change nothing.
 */
import type { EventPayloads, EventType, TitleKind } from '@ketenlink/contracts';
import type { ConsentRecord, ParticipantRole, Participation } from '@ketenlink/consent';
import { calendarDate, startOfDay } from '@ketenlink/dates';

export const OPENER_ROLES = ['referrer', 'coordinator'] as const;
export type OpenerRole = (typeof OPENER_ROLES)[number];

export interface Trajectory {
  readonly id: string;
  readonly openedAt: Date;
  readonly openedBy: {
    readonly organisationId: string;
    readonly role: OpenerRole;
    readonly subject: string;
  };
  readonly region?: string;
}

/** A participation with its id, so it can be ended later. */
export interface ParticipationEntry extends Participation {
  readonly id: string;
}

export { TITLE_KINDS, type TitleKind } from '@ketenlink/contracts';

export const CONDITION_TYPES = [
  'abstinence',
  'treatment',
  'housing',
  'location-ban',
  'contact-ban',
  'reporting-duty',
  'other',
] as const;
export interface TitleCondition {
  readonly type: (typeof CONDITION_TYPES)[number];
  readonly description: string;
}

export const TITLE_END_REASONS = ['expired', 'ended-early-hearing', 'revoked', 'other'] as const;
export type TitleEndReason = (typeof TITLE_END_REASONS)[number];

/** A legal title (R-TITLE-END): dates are calendar dates (YYYY-MM-DD). */
export interface LegalTitle {
  readonly id: string;
  readonly kind: TitleKind;
  readonly startDate: string;
  readonly expectedEndDate: string;
  readonly conditions: readonly TitleCondition[];
  readonly actualEndDate?: string;
  readonly endReason?: TitleEndReason;
}

/** On whose word a consent record was made. */
export const CONSENT_SOURCES = [
  'client',
  'legal-representative',
  'court-order',
  'statutory-provision',
  'covenant',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** A consent record as the trajectory keeps it: the policy's record plus who recorded it. */
export interface ConsentEntry extends ConsentRecord {
  readonly recordedAt: Date;
  readonly recordedBy: { readonly subject: string; readonly organisationId: string };
  readonly onWordOf: ConsentSource;
}

/** Everything the commands and the consent policy need about one trajectory. */
export interface TrajectoryState {
  readonly trajectory: Trajectory;
  readonly participations: readonly ParticipationEntry[];
  readonly titles: readonly LegalTitle[];
  readonly consents: readonly ConsentEntry[];
}

/** An event a command emits; its payload is typed by the contract. */
export type TrajectoryDomainEvent = {
  [T in EventType]: { type: T; data: EventPayloads[T] };
}[EventType];

/** What a command asks the store to write. */
export type TrajectoryChange =
  | { kind: 'participation-added'; participation: ParticipationEntry }
  | { kind: 'participation-ended'; id: string; until: Date }
  | { kind: 'title-added'; title: LegalTitle }
  | { kind: 'title-updated'; title: LegalTitle }
  | { kind: 'consent-added'; consent: ConsentEntry }
  | { kind: 'consent-revoked'; id: string; revokedAt: Date };

export interface CommandResult {
  readonly changes: readonly TrajectoryChange[];
  readonly events: readonly TrajectoryDomainEvent[];
}

export interface OpenTrajectoryInput {
  readonly id: string;
  readonly participationId: string;
  readonly now: Date;
  readonly organisationId: string;
  readonly role: OpenerRole;
  /** The role the opening organisation takes in the trajectory. */
  readonly participantRole: ParticipantRole;
  readonly subject: string;
  readonly region?: string;
}

/**
 * Opens a trajectory. The opening organisation becomes its first participant from today, so
 * that it can see what it opened; everyone else joins explicitly.
 */
export function openTrajectory(input: OpenTrajectoryInput): {
  trajectory: Trajectory;
  participation: ParticipationEntry;
  events: TrajectoryDomainEvent[];
} {
  const trajectory: Trajectory = {
    id: input.id,
    openedAt: input.now,
    openedBy: { organisationId: input.organisationId, role: input.role, subject: input.subject },
    ...(input.region ? { region: input.region } : {}),
  };
  const today = calendarDate(input.now);
  const participation: ParticipationEntry = {
    id: input.participationId,
    organisationId: input.organisationId,
    role: input.participantRole,
    from: startOfDay(today),
  };
  return {
    trajectory,
    participation,
    events: [
      {
        type: 'nl.ketenlink.trajectory.opened.v1',
        data: {
          trajectoryId: trajectory.id,
          openedAt: trajectory.openedAt.toISOString(),
          // The person who opened it (subject) is not part of the event: only organisation and role.
          openedBy: { organisationId: input.organisationId, role: input.role },
          ...(input.region ? { region: input.region } : {}),
        },
      },
      {
        type: 'nl.ketenlink.trajectory.participant-joined.v1',
        data: {
          trajectoryId: trajectory.id,
          organisationId: input.organisationId,
          role: input.participantRole,
          from: today,
        },
      },
    ],
  };
}
