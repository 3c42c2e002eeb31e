import { legalDutyUntilOf as legalDutyUntil } from '@ketenlink/consent';
import { isIsoDate } from '@ketenlink/dates';
import { DomainError } from './errors';
import {
  CONDITION_TYPES,
  type CommandResult,
  type LegalTitle,
  TITLE_END_REASONS,
  TITLE_KINDS,
  type TitleCondition,
  type TitleEndReason,
  type TitleKind,
  type TrajectoryState,
} from './trajectory';

function conditionErrors(conditions: readonly TitleCondition[] | undefined): string[] {
  if (conditions === undefined) return [];
  const errors: string[] = [];
  conditions.forEach((c, i) => {
    if (!(CONDITION_TYPES as readonly string[]).includes(c?.type)) {
      errors.push(`conditions[${i}].type must be one of ${CONDITION_TYPES.join(', ')}`);
    }
    if (typeof c?.description !== 'string' || c.description.trim() === '') {
      errors.push(`conditions[${i}].description is empty`);
    }
  });
  return errors;
}

function invalid(errors: string[]): never {
  throw new DomainError('unprocessable', 'invalid-title', 'The legal title is invalid', errors);
}

function findOpenTitle(state: TrajectoryState, titleId: string): LegalTitle {
  const title = state.titles.find((t) => t.id === titleId);
  if (!title) throw new DomainError('not-found', 'title-not-found', 'No such legal title');
  if (title.actualEndDate !== undefined) {
    throw new DomainError(
      'conflict',
      'title-ended',
      'This legal title has ended and can no longer change',
      [`ended on ${title.actualEndDate} (${title.endReason})`],
    );
  }
  return title;
}

export interface RegisterTitleInput {
  readonly id: string;
  readonly kind: TitleKind;
  readonly startDate: string;
  readonly expectedEndDate: string;
  readonly conditions?: readonly TitleCondition[];
}

/** A legal title is registered on the trajectory (DOMAIN §1, R-TITLE-END). */
export function registerTitle(state: TrajectoryState, input: RegisterTitleInput): CommandResult {
  const errors: string[] = [];
  if (!(TITLE_KINDS as readonly string[]).includes(input.kind)) {
    errors.push(`kind must be one of ${TITLE_KINDS.join(', ')}`);
  }
  if (!isIsoDate(input.startDate)) errors.push('startDate must be a date (YYYY-MM-DD)');
  if (!isIsoDate(input.expectedEndDate)) errors.push('expectedEndDate must be a date (YYYY-MM-DD)');
  if (errors.length === 0 && input.expectedEndDate <= input.startDate) {
    errors.push('expectedEndDate must be after startDate');
  }
  errors.push(...conditionErrors(input.conditions));
  if (errors.length > 0) invalid(errors);
  const title: LegalTitle = {
    id: input.id,
    kind: input.kind,
    startDate: input.startDate,
    expectedEndDate: input.expectedEndDate,
    conditions: input.conditions ?? [],
  };
  return {
    changes: [{ kind: 'title-added', title }],
    events: [
      {
        type: 'nl.ketenlink.title.registered.v1',
        data: {
          trajectoryId: state.trajectory.id,
          titleId: title.id,
          kind: title.kind,
          startDate: title.startDate,
          expectedEndDate: title.expectedEndDate,
          ...(input.conditions ? { conditions: [...input.conditions] } : {}),
        },
      },
    ],
  };
}

export interface ChangeTitleInput {
  readonly effectiveFrom: string;
  /** Extension or shortening by a court decision. */
  readonly expectedEndDate?: string;
  /** The new complete set of special conditions. */
  readonly conditions?: readonly TitleCondition[];
}

/** A title is extended or shortened, or its conditions change. */
export function changeTitle(
  state: TrajectoryState,
  titleId: string,
  input: ChangeTitleInput,
): CommandResult {
  const title = findOpenTitle(state, titleId);
  const errors: string[] = [];
  if (!isIsoDate(input.effectiveFrom)) errors.push('effectiveFrom must be a date (YYYY-MM-DD)');
  else if (input.effectiveFrom < title.startDate) {
    errors.push('effectiveFrom lies before the title started');
  }
  if (input.expectedEndDate === undefined && input.conditions === undefined) {
    errors.push('give a new expectedEndDate, new conditions, or both');
  }
  if (input.expectedEndDate !== undefined) {
    if (!isIsoDate(input.expectedEndDate))
      errors.push('expectedEndDate must be a date (YYYY-MM-DD)');
    else if (input.expectedEndDate <= title.startDate) {
      errors.push('expectedEndDate must be after the title started');
    }
  }
  errors.push(...conditionErrors(input.conditions));
  if (errors.length > 0) invalid(errors);
  const updated: LegalTitle = {
    ...title,
    ...(input.expectedEndDate ? { expectedEndDate: input.expectedEndDate } : {}),
    ...(input.conditions ? { conditions: input.conditions } : {}),
  };
  return {
    changes: [{ kind: 'title-updated', title: updated }],
    events: [
      {
        type: 'nl.ketenlink.title.changed.v1',
        data: {
          trajectoryId: state.trajectory.id,
          titleId,
          effectiveFrom: input.effectiveFrom,
          ...(input.expectedEndDate ? { expectedEndDate: input.expectedEndDate } : {}),
          ...(input.conditions ? { conditions: [...input.conditions] } : {}),
        },
      },
    ],
  };
}

/** A title ends: at its expected end, or abruptly at a hearing (R-TITLE-END). */
export function endTitle(
  state: TrajectoryState,
  titleId: string,
  input: { endedOn: string; reason: TitleEndReason },
): CommandResult {
  const title = findOpenTitle(state, titleId);
  const errors: string[] = [];
  if (!isIsoDate(input.endedOn)) errors.push('endedOn must be a date (YYYY-MM-DD)');
  else if (input.endedOn < title.startDate) errors.push('endedOn lies before the title started');
  if (!(TITLE_END_REASONS as readonly string[]).includes(input.reason)) {
    errors.push(`reason must be one of ${TITLE_END_REASONS.join(', ')}`);
  }
  if (errors.length > 0) invalid(errors);
  return {
    changes: [
      {
        kind: 'title-updated',
        title: { ...title, actualEndDate: input.endedOn, endReason: input.reason },
      },
    ],
    events: [
      {
        type: 'nl.ketenlink.title.ended.v1',
        data: {
          trajectoryId: state.trajectory.id,
          titleId,
          endedOn: input.endedOn,
          reason: input.reason,
        },
      },
    ],
  };
}

/**
 * R-TITLE-END: the end of the title-bound legal duty (libs/consent `legalDutyUntilOf`, the one
 * computation, shared with every projection of the titles): undefined while a title is in force.
 */
export function legalDutyUntilOf(titles: readonly LegalTitle[]): Date | undefined {
  return legalDutyUntil(titles.map((t) => t.actualEndDate));
}
