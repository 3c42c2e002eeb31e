import type { EventPayloads, HandoverDeclinedV1, HandoverRequestedV1 } from '@ketenlink/contracts';
import { calendarDate, isIsoDate, startOfDay } from '@ketenlink/dates';
import {
  HandoverConflictError,
  IllegalHandoverTransitionError,
  InvalidHandoverInputError,
  WrongPartyError,
} from './handover-errors';

/**
 * A warm handover (R-HANDOVER, R-TITLE-END) as a task, in the spirit of FHIR Task / eOverdracht:
 * a pure state machine. Every command takes the current handover and returns a new one plus the
 * events to emit, or throws a domain error and leaves the input untouched.
 *
 *   requested ──accept──▶ accepted ──schedule-meeting──▶ meeting-scheduled ──record-meeting──▶
 *      │                                                  (reschedule allowed)
 *      └──decline──▶ declined                  meeting-held ──complete──▶ completed
 *   cancel (the sender): from every state before completed → cancelled
 */
export const HANDOVER_STATUSES = [
  'requested',
  'accepted',
  'declined',
  'meeting-scheduled',
  'meeting-held',
  'completed',
  'cancelled',
] as const;
export type HandoverStatus = (typeof HANDOVER_STATUSES)[number];

const OPEN = ['requested', 'accepted', 'meeting-scheduled', 'meeting-held'] as const;

/** Which command is allowed from which status, and which side runs it; anything else is refused. */
export const COMMANDS = {
  accept: { from: ['requested'], by: 'receiving' },
  decline: { from: ['requested'], by: 'receiving' },
  'schedule-meeting': {
    from: ['accepted', 'meeting-scheduled', 'meeting-held'],
    by: 'either',
  },
  'record-meeting': { from: ['meeting-scheduled'], by: 'either' },
  'record-closing-report': { from: OPEN, by: 'sending' },
  complete: { from: ['meeting-held'], by: 'sending' },
  cancel: { from: OPEN, by: 'sending' },
} as const satisfies Record<
  string,
  { from: readonly HandoverStatus[]; by: 'sending' | 'receiving' | 'either' }
>;
export type HandoverCommand = keyof typeof COMMANDS;

export type HandoverKind = HandoverRequestedV1['kind'];
export type FollowOnCare = NonNullable<HandoverRequestedV1['followOnCare']>;
export type SendingRole = HandoverRequestedV1['sendingRole'];
export type DeclineReason = HandoverDeclinedV1['reasonCode'];

export const HANDOVER_KINDS = [
  'prison-to-housing',
  'clinic-to-housing',
  'housing-to-ambulant',
  'provider-to-provider',
  'end-of-title-follow-on',
] as const satisfies readonly HandoverKind[];
export const FOLLOW_ON_CARE = [
  'wmo',
  'wlz',
  'zvw',
  'none',
] as const satisfies readonly FollowOnCare[];
export const DECLINE_REASONS = [
  'no-capacity',
  'not-suitable',
  'risk-too-high',
  'title-too-short',
  'client-declined',
  'other',
] as const satisfies readonly DeclineReason[];

/** The sender's closing report (R-HANDOVER: for reclassering and the receiver). */
export interface ClosingReport {
  /** Risks the receiver must know (category risk). */
  readonly risks: string;
  /** What works with this client (category plan-and-goals). */
  readonly whatWorks: string;
  /** Why the trajectory with the sender ends (category plan-and-goals). */
  readonly whyEnded: string;
  readonly recordedAt: Date;
}

export interface Handover {
  readonly id: string;
  readonly trajectoryId: string;
  readonly kind: HandoverKind;
  readonly followOnCare?: FollowOnCare;
  readonly sendingOrganisationId: string;
  readonly sendingRole: SendingRole;
  readonly receivingOrganisationId: string;
  readonly reason: string;
  readonly plannedDate: string;
  readonly status: HandoverStatus;
  readonly requestedAt: Date;
  readonly responseDueAt: Date;
  readonly acceptedAt?: Date;
  readonly declined?: {
    readonly reasonCode: DeclineReason;
    readonly reasonText?: string;
    readonly at: Date;
  };
  readonly meeting?: {
    readonly meetingAt: Date;
    readonly location?: string;
    readonly probationOrganisationId?: string;
    readonly scheduledAt: Date;
  };
  readonly meetingHeld?: {
    readonly heldAt: Date;
    readonly clientPresent: boolean;
    readonly receiverPresent: boolean;
    readonly probationPresent: boolean;
    readonly warm: boolean;
  };
  readonly closingReport?: ClosingReport;
  readonly completion?: {
    readonly receiverJoinsOn: string;
    readonly senderLeavesOn: string;
    readonly completedAt: Date;
  };
  readonly cancelled?: { readonly reason?: string; readonly at: Date };
  readonly overdueNotifiedAt?: Date;
}

type HandoverEventType = Extract<keyof EventPayloads, `nl.ketenlink.handover.${string}`>;
export type HandoverEvent = {
  [T in HandoverEventType]: { readonly type: T; readonly data: EventPayloads[T] };
}[HandoverEventType];

export interface Transition {
  readonly handover: Handover;
  readonly events: HandoverEvent[];
}

/** The organisation that acts (its coordinator's token). */
export interface Party {
  readonly organisationId: string;
}

export function isPartyTo(h: Handover, organisationId: string): boolean {
  return h.sendingOrganisationId === organisationId || h.receivingOrganisationId === organisationId;
}

export function canRun(h: Pick<Handover, 'status'>, command: HandoverCommand): boolean {
  return (COMMANDS[command].from as readonly HandoverStatus[]).includes(h.status);
}

function assertAllowed(h: Handover, command: HandoverCommand, by: Party): void {
  const rule = COMMANDS[command];
  if (!canRun(h, command)) throw new IllegalHandoverTransitionError(command, h.status);
  const sender = by.organisationId === h.sendingOrganisationId;
  const receiver = by.organisationId === h.receivingOrganisationId;
  if (rule.by === 'sending' && !sender) throw new WrongPartyError(command, 'sending');
  if (rule.by === 'receiving' && !receiver) throw new WrongPartyError(command, 'receiving');
  if (rule.by === 'either' && !sender && !receiver) throw new WrongPartyError(command, 'sending');
}

function ids(h: Handover) {
  return {
    trajectoryId: h.trajectoryId,
    handoverId: h.id,
    sendingOrganisationId: h.sendingOrganisationId,
    receivingOrganisationId: h.receivingOrganisationId,
  };
}

const text = (value: string | undefined, field: string, max: number): string | undefined => {
  if (value === undefined) return undefined;
  const t = value.trim();
  if (t.length === 0 || t.length > max) {
    throw new InvalidHandoverInputError('invalid-text', `${field} must be 1 to ${max} characters`);
  }
  return t;
};

// --- request -----------------------------------------------------------------------------------

export interface RequestHandoverInput {
  readonly id: string;
  readonly trajectoryId: string;
  readonly kind: HandoverKind;
  readonly followOnCare?: FollowOnCare;
  readonly sendingOrganisationId: string;
  readonly sendingRole: SendingRole;
  readonly receivingOrganisationId: string;
  readonly reason: string;
  readonly plannedDate: string;
  readonly now: Date;
  /** How long the receiver has to answer before handover.overdue (configurable). */
  readonly responseWithinMs: number;
}

export function requestHandover(input: RequestHandoverInput): Transition {
  const today = calendarDate(input.now);
  if (input.receivingOrganisationId === input.sendingOrganisationId) {
    throw new InvalidHandoverInputError(
      'receiver-is-sender',
      'A handover goes to another organisation than the sending one',
    );
  }
  if (!isIsoDate(input.plannedDate) || input.plannedDate < today) {
    throw new InvalidHandoverInputError(
      'planned-date-in-past',
      'The planned date must be a calendar date, today or later',
    );
  }
  if (input.kind === 'end-of-title-follow-on' && input.followOnCare === undefined) {
    throw new InvalidHandoverInputError(
      'follow-on-care-missing',
      'An end-of-title handover names its follow-on care: wmo, wlz, zvw or none (R-TITLE-END)',
    );
  }
  if (input.kind !== 'end-of-title-follow-on' && input.followOnCare !== undefined) {
    throw new InvalidHandoverInputError(
      'follow-on-care-misplaced',
      'Only an end-of-title handover names follow-on care',
    );
  }
  if (!Number.isFinite(input.responseWithinMs) || input.responseWithinMs <= 0) {
    throw new InvalidHandoverInputError('invalid-deadline', 'The response time must be positive');
  }
  const reason = text(input.reason, 'reason', 2000)!;
  const handover: Handover = {
    id: input.id,
    trajectoryId: input.trajectoryId,
    kind: input.kind,
    ...(input.followOnCare ? { followOnCare: input.followOnCare } : {}),
    sendingOrganisationId: input.sendingOrganisationId,
    sendingRole: input.sendingRole,
    receivingOrganisationId: input.receivingOrganisationId,
    reason,
    plannedDate: input.plannedDate,
    status: 'requested',
    requestedAt: input.now,
    responseDueAt: new Date(input.now.getTime() + input.responseWithinMs),
  };
  return {
    handover,
    events: [
      {
        type: 'nl.ketenlink.handover.requested.v1',
        data: {
          ...ids(handover),
          kind: handover.kind,
          ...(handover.followOnCare ? { followOnCare: handover.followOnCare } : {}),
          sendingRole: handover.sendingRole,
          reason,
          plannedDate: handover.plannedDate,
          requestedAt: handover.requestedAt.toISOString(),
          responseDueAt: handover.responseDueAt.toISOString(),
        },
      },
    ],
  };
}

// --- answer ------------------------------------------------------------------------------------

export function accept(h: Handover, by: Party, now: Date): Transition {
  assertAllowed(h, 'accept', by);
  const handover: Handover = { ...h, status: 'accepted', acceptedAt: now };
  return {
    handover,
    events: [
      {
        type: 'nl.ketenlink.handover.accepted.v1',
        data: { ...ids(h), acceptedAt: now.toISOString() },
      },
    ],
  };
}

export function decline(
  h: Handover,
  by: Party,
  reason: { reasonCode: DeclineReason; reasonText?: string },
  now: Date,
): Transition {
  assertAllowed(h, 'decline', by);
  const reasonText = text(reason.reasonText, 'reasonText', 2000);
  if (reason.reasonCode === 'other' && !reasonText) {
    throw new InvalidHandoverInputError(
      'reason-text-missing',
      'A decline with reason code other explains itself (reasonText)',
    );
  }
  const declined = {
    reasonCode: reason.reasonCode,
    ...(reasonText ? { reasonText } : {}),
    at: now,
  };
  return {
    handover: { ...h, status: 'declined', declined },
    events: [
      {
        type: 'nl.ketenlink.handover.declined.v1',
        data: {
          ...ids(h),
          reasonCode: reason.reasonCode,
          ...(reasonText ? { reasonText } : {}),
          declinedAt: now.toISOString(),
        },
      },
    ],
  };
}

// --- warm meeting ------------------------------------------------------------------------------

export interface ScheduleMeetingInput {
  readonly meetingAt: Date;
  readonly location?: string;
  /** The client is invited in person: a warm handover keeps the client in the middle. */
  readonly clientInvited: boolean;
  /** The trajectory's probation organisation, invited when there is one. */
  readonly probationOrganisationId?: string;
}

export function scheduleMeeting(
  h: Handover,
  by: Party,
  input: ScheduleMeetingInput,
  now: Date,
): Transition {
  assertAllowed(h, 'schedule-meeting', by);
  if (h.status === 'meeting-held' && h.meetingHeld?.warm) {
    throw new HandoverConflictError(
      'meeting-already-warm',
      'The warm meeting took place; complete the handover instead',
    );
  }
  if (!input.clientInvited) {
    throw new InvalidHandoverInputError(
      'client-not-invited',
      'A warm handover meeting invites the client in person (R-HANDOVER)',
    );
  }
  if (Number.isNaN(input.meetingAt.getTime()) || input.meetingAt.getTime() <= now.getTime()) {
    throw new InvalidHandoverInputError('meeting-in-past', 'The meeting must lie in the future');
  }
  const location = text(input.location, 'location', 200);
  const meeting = {
    meetingAt: input.meetingAt,
    ...(location ? { location } : {}),
    ...(input.probationOrganisationId
      ? { probationOrganisationId: input.probationOrganisationId }
      : {}),
    scheduledAt: now,
  };
  const { meetingHeld: _previous, ...rest } = h;
  return {
    handover: { ...rest, status: 'meeting-scheduled', meeting },
    events: [
      {
        type: 'nl.ketenlink.handover.meeting-scheduled.v1',
        data: {
          ...ids(h),
          meetingAt: input.meetingAt.toISOString(),
          ...(location ? { location } : {}),
          clientInvited: true,
          ...(input.probationOrganisationId
            ? { probationOrganisationId: input.probationOrganisationId }
            : {}),
          scheduledAt: now.toISOString(),
        },
      },
    ],
  };
}

export interface MeetingOutcome {
  readonly heldAt: Date;
  readonly clientPresent: boolean;
  readonly receiverPresent: boolean;
  readonly probationPresent: boolean;
}

/** "Warm" (R-HANDOVER): the receiving organisation met the client in person. */
export function recordMeeting(h: Handover, by: Party, o: MeetingOutcome, now: Date): Transition {
  assertAllowed(h, 'record-meeting', by);
  if (Number.isNaN(o.heldAt.getTime()) || o.heldAt.getTime() > now.getTime()) {
    throw new InvalidHandoverInputError('meeting-not-yet-held', 'A meeting is recorded once held');
  }
  const warm = o.clientPresent && o.receiverPresent;
  const meetingHeld = { ...o, warm };
  return {
    handover: { ...h, status: 'meeting-held', meetingHeld },
    events: [
      {
        type: 'nl.ketenlink.handover.meeting-held.v1',
        data: {
          ...ids(h),
          heldAt: o.heldAt.toISOString(),
          clientPresent: o.clientPresent,
          receiverPresent: o.receiverPresent,
          probationPresent: o.probationPresent,
          warm,
        },
      },
    ],
  };
}

// --- closing report, completion, cancellation -------------------------------------------------

export function recordClosingReport(
  h: Handover,
  by: Party,
  report: Omit<ClosingReport, 'recordedAt'>,
  now: Date,
): Transition {
  assertAllowed(h, 'record-closing-report', by);
  const closingReport: ClosingReport = {
    risks: text(report.risks, 'risks', 4000)!,
    whatWorks: text(report.whatWorks, 'whatWorks', 4000)!,
    whyEnded: text(report.whyEnded, 'whyEnded', 4000)!,
    recordedAt: now,
  };
  // Recorded here, read through the package; no event carries its text (R-HANDOVER).
  return { handover: { ...h, closingReport }, events: [] };
}

export interface CompletionInput {
  /** First day the receiver takes part; defaults to today. */
  readonly receiverJoinsOn?: string;
  /** The agreed leave date: last day the sender takes part (inclusive). */
  readonly senderLeavesOn: string;
}

export function complete(h: Handover, by: Party, input: CompletionInput, now: Date): Transition {
  assertAllowed(h, 'complete', by);
  const today = calendarDate(now);
  const joinsOn = input.receiverJoinsOn ?? today;
  if (!isIsoDate(joinsOn) || joinsOn < today) {
    throw new InvalidHandoverInputError('join-date-in-past', 'The receiver joins today or later');
  }
  if (!isIsoDate(input.senderLeavesOn) || input.senderLeavesOn < joinsOn) {
    throw new InvalidHandoverInputError(
      'leave-before-join',
      'The sender leaves on or after the day the receiver joins (no gap in care)',
    );
  }
  if (!h.closingReport) {
    throw new HandoverConflictError(
      'closing-report-missing',
      'The sender writes a closing report before the handover completes (R-HANDOVER)',
    );
  }
  const warm = h.meetingHeld?.warm ?? false;
  const completion = {
    receiverJoinsOn: joinsOn,
    senderLeavesOn: input.senderLeavesOn,
    completedAt: now,
  };
  return {
    handover: { ...h, status: 'completed', completion },
    events: [
      {
        type: 'nl.ketenlink.handover.completed.v1',
        data: {
          ...ids(h),
          kind: h.kind,
          ...(h.followOnCare ? { followOnCare: h.followOnCare } : {}),
          sendingRole: h.sendingRole,
          receivingRole: 'provider',
          receiverJoinsOn: joinsOn,
          senderLeavesOn: input.senderLeavesOn,
          warm,
          completedAt: now.toISOString(),
        },
      },
    ],
  };
}

export function cancel(h: Handover, by: Party, reason: string | undefined, now: Date): Transition {
  assertAllowed(h, 'cancel', by);
  const why = text(reason, 'reason', 2000);
  return {
    handover: {
      ...h,
      status: 'cancelled',
      cancelled: { ...(why ? { reason: why } : {}), at: now },
    },
    events: [
      {
        type: 'nl.ketenlink.handover.cancelled.v1',
        data: { ...ids(h), ...(why ? { reason: why } : {}), cancelledAt: now.toISOString() },
      },
    ],
  };
}

// --- deadline ----------------------------------------------------------------------------------

/** An unanswered request past its response deadline raises handover.overdue, once. */
export function detectOverdue(h: Handover, now: Date): Transition {
  if (
    h.status !== 'requested' ||
    h.overdueNotifiedAt ||
    now.getTime() < h.responseDueAt.getTime()
  ) {
    return { handover: h, events: [] };
  }
  return {
    handover: { ...h, overdueNotifiedAt: now },
    events: [
      {
        type: 'nl.ketenlink.handover.overdue.v1',
        data: {
          ...ids(h),
          responseDueAt: h.responseDueAt.toISOString(),
          detectedAt: now.toISOString(),
        },
      },
    ],
  };
}

/**
 * The receiver sees the package only after accepting, and only until the handover is cancelled
 * or completed (then it reads as a participant). The instants bound its disclosure grant.
 */
export function packageWindow(h: Handover): { from: Date; until?: Date } | undefined {
  if (!h.acceptedAt) return undefined;
  if (h.cancelled) return { from: h.acceptedAt, until: h.cancelled.at };
  if (!h.completion) return { from: h.acceptedAt };
  // Until the receiver's participation begins (its first day), at the earliest at completion.
  const joins = startOfDay(h.completion.receiverJoinsOn);
  const done = h.completion.completedAt;
  return { from: h.acceptedAt, until: joins > done ? joins : done };
}
