import { isParticipating, PARTICIPANT_ROLES, type ParticipantRole } from '@ketenlink/consent';
import { isIsoDate, nextDate, startOfDay } from '@ketenlink/dates';
import { DomainError } from './errors';
import type { CommandResult, ParticipationEntry, TrajectoryState } from './trajectory';

const ORGANISATION_ID = /^[a-z0-9][a-z0-9-]{0,100}$/;

export interface JoinInput {
  readonly id: string;
  readonly organisationId: string;
  readonly role: ParticipantRole;
  /** First day (YYYY-MM-DD). */
  readonly from: string;
  /** Last day, inclusive (YYYY-MM-DD), when known in advance. */
  readonly until?: string;
}

function overlaps(a: { from: Date; until?: Date }, b: { from: Date; until?: Date }): boolean {
  const aEnd = a.until?.getTime() ?? Infinity;
  const bEnd = b.until?.getTime() ?? Infinity;
  return a.from.getTime() < bEnd && b.from.getTime() < aEnd;
}

/** An organisation joins the trajectory in a role for a period (DOMAIN §1 participants). */
export function joinParticipant(state: TrajectoryState, input: JoinInput): CommandResult {
  const errors: string[] = [];
  if (!ORGANISATION_ID.test(input.organisationId)) {
    errors.push('organisationId must be lower case letters, digits and hyphens');
  }
  if (!(PARTICIPANT_ROLES as readonly string[]).includes(input.role)) {
    errors.push(`role must be one of ${PARTICIPANT_ROLES.join(', ')}`);
  }
  if (!isIsoDate(input.from)) errors.push('from must be a date (YYYY-MM-DD)');
  if (input.until !== undefined && !isIsoDate(input.until)) {
    errors.push('until must be a date (YYYY-MM-DD)');
  }
  if (errors.length === 0 && input.until !== undefined && input.until < input.from) {
    errors.push('until lies before from');
  }
  if (errors.length > 0) {
    throw new DomainError(
      'unprocessable',
      'invalid-participation',
      'The participation is invalid',
      errors,
    );
  }
  const participation: ParticipationEntry = {
    id: input.id,
    organisationId: input.organisationId,
    role: input.role,
    from: startOfDay(input.from),
    ...(input.until ? { until: startOfDay(nextDate(input.until)) } : {}),
  };
  const clash = state.participations.find(
    (p) =>
      p.organisationId === input.organisationId &&
      p.role === input.role &&
      overlaps(p, participation),
  );
  if (clash) {
    throw new DomainError(
      'conflict',
      'participation-overlaps',
      'The organisation already takes part in this role in that period',
      [`overlaps participation ${clash.id}`],
    );
  }
  return {
    changes: [{ kind: 'participation-added', participation }],
    events: [
      {
        type: 'nl.ketenlink.trajectory.participant-joined.v1',
        data: {
          trajectoryId: state.trajectory.id,
          organisationId: input.organisationId,
          role: input.role,
          from: input.from,
          ...(input.until ? { until: input.until } : {}),
        },
      },
    ],
  };
}

/** The participation ends at `at` (exclusive): from then on the organisation sees nothing. */
export function leaveParticipant(
  state: TrajectoryState,
  participationId: string,
  at: Date,
  now: Date,
): CommandResult {
  const p = state.participations.find((x) => x.id === participationId);
  if (!p) throw new DomainError('not-found', 'participation-not-found', 'No such participation');
  if (Number.isNaN(at.getTime())) {
    throw new DomainError('unprocessable', 'invalid-participation', 'at must be a date-time');
  }
  if (p.until !== undefined && p.until.getTime() <= now.getTime()) {
    throw new DomainError(
      'conflict',
      'participation-ended',
      'This participation has already ended',
    );
  }
  if (at.getTime() < p.from.getTime()) {
    throw new DomainError(
      'unprocessable',
      'invalid-participation',
      'at lies before the participation began',
    );
  }
  if (p.until !== undefined && at.getTime() > p.until.getTime()) {
    throw new DomainError(
      'unprocessable',
      'invalid-participation',
      'at lies after the planned end',
    );
  }
  return {
    changes: [{ kind: 'participation-ended', id: p.id, until: at }],
    events: [
      {
        type: 'nl.ketenlink.trajectory.participant-left.v1',
        data: {
          trajectoryId: state.trajectory.id,
          organisationId: p.organisationId,
          role: p.role,
          at: at.toISOString(),
        },
      },
    ],
  };
}

/** Participations in force at `at`. */
export function activeParticipations(
  state: TrajectoryState,
  at: Date,
): readonly ParticipationEntry[] {
  return state.participations.filter((p) => isParticipating(p, at));
}
