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
  /**
   * The case lead (*regiehouder*): the organisation that adds and ends participants. Set to the
   * opener at opening; transferable (docs/consent-model.md).
   */
  readonly caseLead: { readonly organisationId: string };
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

/** Who recorded a consent record: a person acting for an organisation, or the client himself. */
export interface ConsentRecorder {
  readonly subject: string;
  /** Empty when the client recorded it himself. */
  readonly organisationId: string;
  /** Absent: `organisation` (records made before issue 10). */
  readonly kind?: 'organisation' | 'client';
}

/** A consent record as the trajectory keeps it: the policy's record plus who recorded it. */
export interface ConsentEntry extends ConsentRecord {
  readonly recordedAt: Date;
  readonly recordedBy: ConsentRecorder;
  readonly onWordOf: ConsentSource;
  /**
   * Where the client's (or representative's) word, the court order or the statutory provision is
   * kept, e.g. a signed form's number: required when an organisation records (docs/consent-model.md).
   */
  readonly evidenceReference?: string;
  /** The covenant a `covenant` record rests on (recorded by a ZVH only). */
  readonly covenant?: string;
}

/** Everything the commands and the consent policy need about one trajectory. */
export interface TrajectoryState {
  readonly trajectory: Trajectory;
  readonly participations: readonly ParticipationEntry[];
  readonly titles: readonly LegalTitle[];
  readonly consents: readonly ConsentEntry[];
  /** The organisation that recorded the client's identity in the vault (it holds that data). */
  readonly identityHeldBy?: string;
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
  | { kind: 'consent-revoked'; id: string; revokedAt: Date }
  | { kind: 'case-lead-transferred'; organisationId: string };

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
    caseLead: { organisationId: input.organisationId },
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
