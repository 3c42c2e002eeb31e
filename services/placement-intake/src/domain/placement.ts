import type { EventPayloads } from '@ketenlink/contracts';
import {
  IllegalTransitionError,
  InvalidPlacementInputError,
  PlacementConflictError,
} from './placement-errors';
import { DOCUMENT_KINDS, type DocumentKind } from './vocabulary';
import type {
  Need,
  OffenceCategory,
  ReferrerKind,
  RefusalReason,
  RiskInstrument,
  TitleKind,
  Urgency,
} from './vocabulary';
import { addWorkingDays, calendarDate, type IsPublicHoliday } from '@ketenlink/dates';
import { answerDueOn, isPastDue } from './answer-deadline';

/**
 * A placement request and its life (issue 4): a pure state machine. Every command takes the
 * current placement and returns a new one plus the events to emit, or throws a domain error and
 * leaves the input untouched.
 *
 *   requested ──accept──▶ accepted ──schedule-intake──▶ intake-scheduled ──move-in──▶ placed
 *      │  └─waitlist─▶ waitlisted ─accept─┘                 (reschedule allowed)
 *      └──refuse (also from waitlisted)──▶ refused
 *   withdraw (by the referrer, from any status before move-in but refused) ──▶ withdrawn
 */
export const PLACEMENT_STATUSES = [
  'requested',
  'waitlisted',
  'accepted',
  'refused',
  'intake-scheduled',
  'placed',
  'withdrawn',
] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];

/** Which command is allowed from which status; everything else is an IllegalTransitionError. */
export const ALLOWED_FROM = {
  'add-documents': ['requested', 'waitlisted'],
  accept: ['requested', 'waitlisted'],
  refuse: ['requested', 'waitlisted'],
  waitlist: ['requested'],
  'schedule-intake': ['accepted', 'intake-scheduled'],
  'record-first-contact': ['intake-scheduled', 'placed'],
  'move-in': ['intake-scheduled'],
  'record-crucial-information': ['intake-scheduled', 'placed'],
  // The referrer withdraws the request; refused, placed or already withdrawn: 409.
  withdraw: ['requested', 'waitlisted', 'accepted', 'intake-scheduled'],
} as const satisfies Record<string, readonly PlacementStatus[]>;
export type PlacementCommand = keyof typeof ALLOWED_FROM;

export interface RiskAssessmentDetails {
  readonly instrument: RiskInstrument;
  readonly author: string;
  readonly assessedOn: string;
  readonly setting: string;
  readonly validUntil?: string;
}

export interface PlacementDocument {
  readonly kind: DocumentKind;
  readonly attachedAt: Date;
  /** Where the referrer keeps the document (the file itself is not stored here). */
  readonly reference?: string;
  readonly riskAssessment?: RiskAssessmentDetails;
}

export interface TitleInfo {
  readonly kind: TitleKind;
  readonly startDate?: string;
  readonly expectedEndDate?: string;
  readonly remainingMonths?: number;
}

export interface CrucialInformation {
  readonly medication: string;
  readonly notes?: string;
  readonly recordedAt: Date;
}

export interface Placement {
  readonly id: string;
  readonly trajectoryId: string;
  readonly providerOrganisationId: string;
  readonly referrerOrganisationId: string;
  readonly referrerKind: ReferrerKind;
  readonly title: TitleInfo;
  readonly offenceCategory: OffenceCategory;
  readonly activeSubstanceUse: boolean;
  readonly needs: readonly Need[];
  readonly urgency: Urgency;
  readonly djiPlacementReference?: string;
  /** What the referrer knows of the client's medication (medical; placement.requested). */
  readonly medicationNotes?: string;
  readonly documents: readonly PlacementDocument[];
  readonly status: PlacementStatus;
  readonly requestedAt: Date;
  readonly answerDueOn: string;
  readonly documentsCompletedAt?: Date;
  readonly decidedAt?: Date;
  readonly locationId?: string;
  readonly refusal?: { readonly reasonCode: RefusalReason; readonly reasonText?: string };
  /** The referrer withdrew the request (the referral's disclosure ends then). */
  readonly withdrawal?: { readonly withdrawnAt: Date; readonly reasonText?: string };
  readonly waitlist?: { readonly bridgingAmbulant: boolean; readonly bridgingNote?: string };
  readonly intakeScheduledFor?: Date;
  readonly movedInAt?: Date;
  readonly firstContactAt?: Date;
  readonly crucialInformation?: CrucialInformation;
  readonly answerOverdueNotifiedAt?: Date;
  readonly crucialInfoOverdueNotifiedAt?: Date;
}

type PlacementEventType = Extract<
  keyof EventPayloads,
  `nl.ketenlink.${'placement' | 'intake' | 'client'}.${string}`
>;
export type PlacementEvent = {
  [T in PlacementEventType]: { readonly type: T; readonly data: EventPayloads[T] };
}[PlacementEventType];

export interface Transition {
  readonly placement: Placement;
  readonly events: PlacementEvent[];
}

/** R-INTAKE-24H: crucial information within 24 hours of first contact. */
export const CRUCIAL_INFO_WITHIN_MS = 24 * 60 * 60 * 1000;

function assertAllowed(p: Placement, command: PlacementCommand): void {
  if (!(ALLOWED_FROM[command] as readonly PlacementStatus[]).includes(p.status)) {
    throw new IllegalTransitionError(command, p.status);
  }
}

export function canRun(p: Pick<Placement, 'status'>, command: PlacementCommand): boolean {
  return (ALLOWED_FROM[command] as readonly PlacementStatus[]).includes(p.status);
}

function ids(p: Placement) {
  return {
    trajectoryId: p.trajectoryId,
    placementId: p.id,
    providerOrganisationId: p.providerOrganisationId,
  };
}

export function isFileComplete(documents: readonly PlacementDocument[]): boolean {
  return DOCUMENT_KINDS.every((k) => documents.some((d) => d.kind === k));
}

export function missingDocuments(documents: readonly PlacementDocument[]): DocumentKind[] {
  return DOCUMENT_KINDS.filter((k) => !documents.some((d) => d.kind === k));
}

function checkDocuments(documents: readonly PlacementDocument[], today: string): void {
  for (const d of documents) {
    const ra = d.riskAssessment;
    if (d.kind === 'risk-assessment' && !ra) {
      throw new InvalidPlacementInputError(
        'risk-assessment-details-missing',
        'A risk assessment needs its instrument, author, date and setting (R-RISK).',
      );
    }
    if (d.kind !== 'risk-assessment' && ra) {
      throw new InvalidPlacementInputError(
        'risk-assessment-details-misplaced',
        `Only a risk-assessment document carries risk-assessment details, not ${d.kind}.`,
      );
    }
    if (ra && ra.assessedOn > today) {
      throw new InvalidPlacementInputError(
        'risk-assessment-in-future',
        'A risk assessment cannot be dated in the future.',
      );
    }
    if (ra?.validUntil && ra.validUntil < ra.assessedOn) {
      throw new InvalidPlacementInputError(
        'risk-assessment-expires-before-assessed',
        'A risk assessment cannot expire before it was made.',
      );
    }
  }
}

/** Whole months between two calendar dates (floor), 0 when the end has passed. */
export function monthsBetween(fromDate: string, toDate: string): number {
  const [fy, fm, fd] = fromDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = toDate.split('-').map(Number) as [number, number, number];
  const months = (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
  return Math.max(0, months);
}

/** Remaining title in whole months at `now`: given by the referrer, or from the expected end date. */
export function remainingTitleMonths(
  p: Pick<Placement, 'title' | 'requestedAt'>,
  now: Date,
): number {
  if (p.title.expectedEndDate) return monthsBetween(calendarDate(now), p.title.expectedEndDate);
  const given = p.title.remainingMonths ?? 0;
  return Math.max(0, given - monthsBetween(calendarDate(p.requestedAt), calendarDate(now)));
}

/** What a referrer sends: the request's own fields, plus the clock and the holiday calendar. */
export type RequestPlacementInput = Pick<
  Placement,
  | 'id'
  | 'trajectoryId'
  | 'providerOrganisationId'
  | 'referrerOrganisationId'
  | 'referrerKind'
  | 'title'
  | 'offenceCategory'
  | 'activeSubstanceUse'
  | 'needs'
  | 'urgency'
  | 'djiPlacementReference'
  | 'medicationNotes'
  | 'documents'
> & { readonly now: Date; readonly isHoliday: IsPublicHoliday };

export function requestPlacement(input: RequestPlacementInput): Transition {
  const today = calendarDate(input.now);
  const { title } = input;
  if (title.expectedEndDate === undefined && title.remainingMonths === undefined) {
    throw new InvalidPlacementInputError(
      'title-duration-missing',
      'Give the remaining duration of the title or its expected end date.',
    );
  }
  if (title.startDate && title.expectedEndDate && title.expectedEndDate <= title.startDate) {
    throw new InvalidPlacementInputError(
      'title-ends-before-start',
      'The expected end date of the title must lie after its start date.',
    );
  }
  if (title.startDate && title.startDate > today) {
    throw new InvalidPlacementInputError(
      'title-starts-in-future',
      'A title cannot start in the future.',
    );
  }
  checkDocuments(input.documents, today);
  const complete = isFileComplete(input.documents);
  const placement: Placement = {
    id: input.id,
    trajectoryId: input.trajectoryId,
    providerOrganisationId: input.providerOrganisationId,
    referrerOrganisationId: input.referrerOrganisationId,
    referrerKind: input.referrerKind,
    title,
    offenceCategory: input.offenceCategory,
    activeSubstanceUse: input.activeSubstanceUse,
    needs: [...new Set(input.needs)],
    urgency: input.urgency,
    ...(input.djiPlacementReference ? { djiPlacementReference: input.djiPlacementReference } : {}),
    ...(input.medicationNotes ? { medicationNotes: input.medicationNotes } : {}),
    documents: input.documents,
    status: 'requested',
    requestedAt: input.now,
    answerDueOn: answerDueOn(input.now, complete, input.isHoliday),
    ...(complete ? { documentsCompletedAt: input.now } : {}),
  };
  const remaining = remainingTitleMonths(placement, input.now);
  return {
    placement,
    events: [
      {
        type: 'nl.ketenlink.placement.requested.v1',
        data: {
          ...ids(placement),
          referrerOrganisationId: placement.referrerOrganisationId,
          referrerKind: placement.referrerKind,
          titleKind: title.kind,
          ...(title.expectedEndDate ? { titleExpectedEndDate: title.expectedEndDate } : {}),
          remainingTitleMonths: remaining,
          offenceCategory: placement.offenceCategory,
          activeSubstanceUse: placement.activeSubstanceUse,
          needs: [...placement.needs],
          urgency: placement.urgency,
          ...(placement.djiPlacementReference
            ? { djiPlacementReference: placement.djiPlacementReference }
            : {}),
          ...(placement.medicationNotes ? { medicationNotes: placement.medicationNotes } : {}),
          documentsComplete: complete,
          requestedAt: input.now.toISOString(),
          answerDueOn: placement.answerDueOn,
        },
      },
    ],
  };
}

/**
 * Attaches documents. When the file becomes complete, the deadline becomes 5 working days from
 * completion, but never later than the 10-working-day deadline it already had (R-IFZO-5D).
 */
export function addDocuments(
  p: Placement,
  documents: readonly PlacementDocument[],
  now: Date,
  isHoliday: IsPublicHoliday,
): Transition {
  assertAllowed(p, 'add-documents');
  checkDocuments(documents, calendarDate(now));
  const all = [...p.documents, ...documents];
  const becameComplete = !isFileComplete(p.documents) && isFileComplete(all);
  if (!becameComplete) return { placement: { ...p, documents: all }, events: [] };
  const fiveFromNow = addWorkingDays(calendarDate(now), 5, isHoliday);
  const due = fiveFromNow < p.answerDueOn ? fiveFromNow : p.answerDueOn;
  const placement: Placement = {
    ...p,
    documents: all,
    documentsCompletedAt: now,
    answerDueOn: due,
  };
  return {
    placement,
    events: [
      {
        type: 'nl.ketenlink.placement.documents-completed.v1',
        data: {
          ...ids(p),
          documentKinds: [...DOCUMENT_KINDS],
          completedAt: now.toISOString(),
          answerDueOn: due,
        },
      },
    ],
  };
}

export interface LocationAvailability {
  readonly id: string;
  readonly providerOrganisationId: string;
  readonly freePlaces: number;
}

export function accept(p: Placement, location: LocationAvailability, now: Date): Transition {
  assertAllowed(p, 'accept');
  if (location.providerOrganisationId !== p.providerOrganisationId) {
    throw new PlacementConflictError(
      'location-not-of-provider',
      'The location belongs to another provider.',
    );
  }
  if (location.freePlaces <= 0) {
    throw new PlacementConflictError('no-capacity', 'The location has no free place.');
  }
  const placement: Placement = {
    ...p,
    status: 'accepted',
    decidedAt: now,
    locationId: location.id,
  };
  return {
    placement,
    events: [
      {
        type: 'nl.ketenlink.placement.accepted.v1',
        data: { ...ids(p), locationId: location.id, acceptedAt: now.toISOString() },
      },
    ],
  };
}

export function refuse(
  p: Placement,
  reason: { reasonCode: RefusalReason; reasonText?: string },
  now: Date,
): Transition {
  assertAllowed(p, 'refuse');
  const text = reason.reasonText?.trim();
  if (reason.reasonCode === 'other' && !text) {
    throw new InvalidPlacementInputError(
      'reason-text-required',
      "Reason code 'other' needs a text.",
    );
  }
  const refusal = { reasonCode: reason.reasonCode, ...(text ? { reasonText: text } : {}) };
  return {
    placement: { ...p, status: 'refused', decidedAt: now, refusal },
    events: [
      {
        type: 'nl.ketenlink.placement.refused.v1',
        data: { ...ids(p), ...refusal, refusedAt: now.toISOString() },
      },
    ],
  };
}

/** The referrer withdraws the request; the referral's disclosure to the provider ends now. */
export function withdraw(p: Placement, reason: { reasonText?: string }, now: Date): Transition {
  assertAllowed(p, 'withdraw');
  const text = reason.reasonText?.trim();
  return {
    placement: {
      ...p,
      status: 'withdrawn',
      withdrawal: { withdrawnAt: now, ...(text ? { reasonText: text } : {}) },
    },
    events: [
      {
        type: 'nl.ketenlink.placement.withdrawn.v1',
        data: { ...ids(p), withdrawnAt: now.toISOString() },
      },
    ],
  };
}

export function waitlist(
  p: Placement,
  bridging: { bridgingAmbulant: boolean; bridgingNote?: string },
  now: Date,
): Transition {
  assertAllowed(p, 'waitlist');
  const note = bridging.bridgingNote?.trim();
  const entry = {
    bridgingAmbulant: bridging.bridgingAmbulant,
    ...(note ? { bridgingNote: note } : {}),
  };
  return {
    placement: { ...p, status: 'waitlisted', decidedAt: now, waitlist: entry },
    events: [
      {
        type: 'nl.ketenlink.placement.waitlisted.v1',
        data: { ...ids(p), ...entry, waitlistedAt: now.toISOString() },
      },
    ],
  };
}

export function scheduleIntake(p: Placement, scheduledFor: Date, now: Date): Transition {
  assertAllowed(p, 'schedule-intake');
  if (scheduledFor.getTime() < now.getTime()) {
    throw new InvalidPlacementInputError(
      'intake-in-past',
      'An intake cannot be scheduled in the past.',
    );
  }
  return {
    placement: { ...p, status: 'intake-scheduled', intakeScheduledFor: scheduledFor },
    events: [
      {
        type: 'nl.ketenlink.intake.scheduled.v1',
        data: { ...ids(p), locationId: p.locationId!, scheduledFor: scheduledFor.toISOString() },
      },
    ],
  };
}

export function recordFirstContact(p: Placement, at: Date, now: Date): Transition {
  assertAllowed(p, 'record-first-contact');
  if (p.firstContactAt) {
    throw new PlacementConflictError(
      'first-contact-already-recorded',
      'First contact was already recorded.',
    );
  }
  if (at.getTime() > now.getTime()) {
    throw new InvalidPlacementInputError(
      'first-contact-in-future',
      'First contact cannot lie in the future.',
    );
  }
  return { placement: { ...p, firstContactAt: at }, events: [] };
}

export function recordCrucialInformation(
  p: Placement,
  info: { medication: string; notes?: string },
  now: Date,
): Transition {
  assertAllowed(p, 'record-crucial-information');
  if (!p.firstContactAt) {
    throw new PlacementConflictError(
      'first-contact-not-recorded',
      'Record the first contact before the crucial information (R-INTAKE-24H runs from it).',
    );
  }
  const crucialInformation: CrucialInformation = {
    medication: info.medication,
    ...(info.notes ? { notes: info.notes } : {}),
    recordedAt: now,
  };
  return { placement: { ...p, crucialInformation }, events: [] };
}

/** Move-in: the provider becomes a participant of the trajectory (occupancy +1 is the caller's). */
export function moveIn(
  p: Placement,
  location: LocationAvailability,
  movedInAt: Date,
  now: Date,
): Transition {
  assertAllowed(p, 'move-in');
  if (location.id !== p.locationId) {
    throw new PlacementConflictError(
      'wrong-location',
      'The client moves in at the accepted location.',
    );
  }
  if (location.freePlaces <= 0) {
    throw new PlacementConflictError('no-capacity', 'The location has no free place.');
  }
  if (movedInAt.getTime() > now.getTime()) {
    throw new InvalidPlacementInputError(
      'move-in-in-future',
      'A move-in is recorded when it happened.',
    );
  }
  return {
    placement: { ...p, status: 'placed', movedInAt },
    events: [
      {
        type: 'nl.ketenlink.client.placed.v1',
        data: { ...ids(p), locationId: location.id, movedInAt: movedInAt.toISOString() },
      },
    ],
  };
}

/**
 * Deadline detection for the sweep: each overdue event once. Returns no change when nothing is
 * overdue or it was already reported (the flag is stored with the placement).
 */
export function detectOverdue(p: Placement, now: Date): Transition {
  const events: PlacementEvent[] = [];
  let next: Placement = p;
  if (p.status === 'requested' && !p.answerOverdueNotifiedAt && isPastDue(p.answerDueOn, now)) {
    next = { ...next, answerOverdueNotifiedAt: now };
    events.push({
      type: 'nl.ketenlink.placement.answer-overdue.v1',
      data: { ...ids(p), answerDueOn: p.answerDueOn, detectedAt: now.toISOString() },
    });
  }
  if (p.firstContactAt && !p.crucialInformation && !p.crucialInfoOverdueNotifiedAt) {
    const dueAt = new Date(p.firstContactAt.getTime() + CRUCIAL_INFO_WITHIN_MS);
    if (now.getTime() > dueAt.getTime()) {
      next = { ...next, crucialInfoOverdueNotifiedAt: now };
      events.push({
        type: 'nl.ketenlink.intake.crucial-info-overdue.v1',
        data: {
          ...ids(p),
          firstContactAt: p.firstContactAt.toISOString(),
          dueAt: dueAt.toISOString(),
          detectedAt: now.toISOString(),
        },
      });
    }
  }
  return { placement: next, events };
}

/** Referrer and provider see the placement; nobody else learns it exists. */
export function isVisibleTo(p: Placement, organisationId: string): boolean {
  return p.referrerOrganisationId === organisationId || p.providerOrganisationId === organisationId;
}
