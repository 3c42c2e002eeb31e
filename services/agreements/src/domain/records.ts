import type {
  IncidentRecordedV1,
  NotificationRaisedV1,
  ViolationRecordedV1,
} from '@ketenlink/contracts';
import {
  addWorkingDays,
  calendarDate,
  type IsPublicHoliday,
  nextDate,
  startOfDay,
} from '@ketenlink/dates';
import { type Agreement, type Emitted, inForce, statusOf } from './agreement';
import { AgreementConflictError, AgreementInputError } from './errors';

/**
 * Notifications (meldingen, R-NOTIFY), violations and incidents (R-INCIDENT): records that hang
 * off the trajectory's agreement. Pure: commands return the record and the events to emit.
 */
type StaffActor = { readonly organisationId: string; readonly role: string };
export type ConditionRef = NonNullable<NotificationRaisedV1['condition']>;

/** The configurable times (defaults in `DEFAULT_RECORD_POLICY`; env in the application). */
export interface RecordPolicy {
  /** An urgent notification must be acknowledged within this many minutes. */
  readonly urgentAcknowledgementMinutes: number;
  /** A reportable incident must be reported to the inspectorate within this many working days. */
  readonly inspectorateWorkingDays: number;
  readonly isHoliday?: IsPublicHoliday;
}
export const DEFAULT_RECORD_POLICY: RecordPolicy = {
  urgentAcknowledgementMinutes: 240,
  inspectorateWorkingDays: 3,
};

const emit = <T extends Emitted['type']>(type: T, data: Emitted<T>['data']): Emitted =>
  ({ type, data }) as Emitted;

function inForceOrRefuse(a: Agreement, what: string) {
  const v = inForce(a);
  if (statusOf(a) === 'terminated' || !v) {
    throw new AgreementConflictError(
      'agreement-not-in-force',
      `a ${what} needs an agreement in force (this one is ${statusOf(a)})`,
    );
  }
  return v;
}

function conditionRef(a: Agreement, conditionId: string): ConditionRef {
  const c = inForce(a)!.terms.conditions.find((x) => x.conditionId === conditionId);
  if (!c) {
    throw new AgreementInputError(
      'unknown-condition',
      `condition ${conditionId} is not in the agreement in force`,
    );
  }
  return { conditionId: c.conditionId, type: c.type, text: c.text };
}

// ---- notifications ---------------------------------------------------------------------------

export interface Notification {
  readonly id: string;
  readonly trajectoryId: string;
  readonly agreementId: string;
  readonly agreementVersion: number;
  readonly kind: NotificationRaisedV1['kind'];
  readonly urgency: NotificationRaisedV1['urgency'];
  readonly condition?: ConditionRef;
  readonly triggerId?: string;
  readonly cause: string;
  readonly agreedWithClient?: string;
  readonly clientInformed: boolean;
  readonly raisedAt: Date;
  readonly raisedBy: StaffActor;
  readonly probationOrganisationId: string;
  readonly acknowledgementDueAt?: Date;
  readonly acknowledged?: {
    readonly at: Date;
    readonly by: StaffActor;
    readonly response?: string;
  };
  readonly overdueReportedAt?: Date;
}

export interface RaiseInput {
  readonly id: string;
  readonly kind: Notification['kind'];
  readonly urgency: Notification['urgency'];
  readonly conditionId?: string;
  readonly triggerId?: string;
  readonly cause: string;
  readonly agreedWithClient?: string;
  readonly clientInformed: boolean;
  readonly by: StaffActor;
}

/** The provider notifies the trajectory's probation officer (good news included: kind progress). */
export function raiseNotification(
  a: Agreement,
  input: RaiseInput,
  now: Date,
  policy: RecordPolicy = DEFAULT_RECORD_POLICY,
): { notification: Notification; events: Emitted[] } {
  const v = inForceOrRefuse(a, 'notification');
  if (input.by.organisationId !== a.parties.providerOrganisationId) {
    throw new AgreementConflictError(
      'not-the-provider',
      'Only the provider party notifies the officer.',
    );
  }
  const trigger = input.triggerId
    ? v.terms.notificationTriggers.find((t) => t.triggerId === input.triggerId)
    : undefined;
  if (input.triggerId && !trigger) {
    throw new AgreementInputError(
      'unknown-trigger',
      `trigger ${input.triggerId} is not in the agreement in force`,
    );
  }
  const conditionId = input.conditionId ?? trigger?.conditionId;
  if (input.kind === 'condition-violation' && !conditionId) {
    throw new AgreementInputError(
      'condition-required',
      'A condition violation names its condition.',
    );
  }
  if (input.kind === 'progress' && input.urgency === 'urgent') {
    throw new AgreementInputError('progress-not-urgent', 'Good news is never urgent.');
  }
  const condition = conditionId ? conditionRef(a, conditionId) : undefined;
  const due =
    input.urgency === 'urgent'
      ? new Date(now.getTime() + policy.urgentAcknowledgementMinutes * 60_000)
      : undefined;
  const notification: Notification = {
    id: input.id,
    trajectoryId: a.trajectoryId,
    agreementId: a.id,
    agreementVersion: v.version,
    kind: input.kind,
    urgency: input.urgency,
    ...(condition ? { condition } : {}),
    ...(input.triggerId ? { triggerId: input.triggerId } : {}),
    cause: input.cause,
    ...(input.agreedWithClient ? { agreedWithClient: input.agreedWithClient } : {}),
    clientInformed: input.clientInformed,
    raisedAt: now,
    raisedBy: input.by,
    probationOrganisationId: a.parties.probationOrganisationId,
    ...(due ? { acknowledgementDueAt: due } : {}),
  };
  return {
    notification,
    events: [
      emit('nl.ketenlink.notification.raised.v1', {
        trajectoryId: a.trajectoryId,
        notificationId: input.id,
        agreementId: a.id,
        agreementVersion: v.version,
        kind: input.kind,
        urgency: input.urgency,
        ...(condition ? { condition } : {}),
        ...(input.triggerId ? { triggerId: input.triggerId } : {}),
        cause: input.cause,
        ...(input.agreedWithClient ? { agreedWithClient: input.agreedWithClient } : {}),
        clientInformed: input.clientInformed,
        ...(due ? { acknowledgementDueAt: due.toISOString() } : {}),
        raisedAt: now.toISOString(),
        raisedBy: input.by,
        probationOrganisationId: a.parties.probationOrganisationId,
      }),
    ],
  };
}

/** The probation officer of the addressed organisation acknowledges, once. */
export function acknowledge(
  n: Notification,
  by: StaffActor,
  now: Date,
  response?: string,
): { notification: Notification; events: Emitted[] } {
  if (by.organisationId !== n.probationOrganisationId || by.role !== 'probation-officer') {
    throw new AgreementConflictError(
      'not-the-officer',
      "Only the trajectory's probation officer acknowledges.",
    );
  }
  if (n.acknowledged) {
    throw new AgreementConflictError(
      'already-acknowledged',
      'This notification was already acknowledged.',
    );
  }
  return {
    notification: { ...n, acknowledged: { at: now, by, ...(response ? { response } : {}) } },
    events: [
      emit('nl.ketenlink.notification.acknowledged.v1', {
        trajectoryId: n.trajectoryId,
        notificationId: n.id,
        acknowledgedAt: now.toISOString(),
        acknowledgedBy: by,
        ...(response ? { response } : {}),
      }),
    ],
  };
}

/** Urgent, unacknowledged, past its time, not yet reported: report it (once). */
export function detectAcknowledgementOverdue(
  n: Notification,
  now: Date,
): { notification: Notification; events: Emitted[] } {
  const due = n.acknowledgementDueAt;
  if (n.urgency !== 'urgent' || !due || n.acknowledged || n.overdueReportedAt || now < due) {
    return { notification: n, events: [] };
  }
  return {
    notification: { ...n, overdueReportedAt: now },
    events: [
      emit('nl.ketenlink.notification.acknowledgement-overdue.v1', {
        trajectoryId: n.trajectoryId,
        notificationId: n.id,
        urgency: 'urgent',
        ...(n.condition ? { condition: n.condition } : {}),
        raisedAt: n.raisedAt.toISOString(),
        acknowledgementDueAt: due.toISOString(),
        probationOrganisationId: n.probationOrganisationId,
        detectedAt: now.toISOString(),
      }),
    ],
  };
}

// ---- violations --------------------------------------------------------------------------------

export type Consequence = ViolationRecordedV1['consequence'];

export interface Violation {
  readonly id: string;
  readonly trajectoryId: string;
  readonly agreementId: string;
  readonly condition: ConditionRef;
  readonly description: string;
  readonly occurredOn: string;
  readonly consequence: Consequence;
  readonly notificationId?: string;
  readonly recordedAt: Date;
  readonly recordedBy: StaffActor;
}

export interface ViolationInput {
  readonly id: string;
  readonly conditionId: string;
  readonly description: string;
  readonly occurredOn: string;
  readonly consequence: Consequence;
  readonly notificationId?: string;
  readonly by: StaffActor;
}

/** A violation of a named condition with the consequence taken. */
export function recordViolation(
  a: Agreement,
  input: ViolationInput,
  now: Date,
): { violation: Violation; events: Emitted[] } {
  inForceOrRefuse(a, 'violation');
  const party =
    input.by.organisationId === a.parties.providerOrganisationId ||
    input.by.organisationId === a.parties.probationOrganisationId;
  if (!party) throw new AgreementConflictError('not-a-party', 'Only a party records violations.');
  const c = input.consequence;
  if (c.from && c.until && c.until <= c.from) {
    throw new AgreementInputError('invalid-period', 'The consequence ends before it starts.');
  }
  if (
    c.kind === 'return-to-prison' &&
    !['prosecutor', 'court', 'other-authority'].includes(c.decidedBy)
  ) {
    throw new AgreementInputError(
      'authority-required',
      'A return to prison is decided by the authority.',
    );
  }
  if (input.occurredOn > calendarDate(now)) {
    throw new AgreementInputError(
      'in-the-future',
      'A violation cannot have happened in the future.',
    );
  }
  const violation: Violation = {
    id: input.id,
    trajectoryId: a.trajectoryId,
    agreementId: a.id,
    condition: conditionRef(a, input.conditionId),
    description: input.description,
    occurredOn: input.occurredOn,
    consequence: c,
    ...(input.notificationId ? { notificationId: input.notificationId } : {}),
    recordedAt: now,
    recordedBy: input.by,
  };
  return {
    violation,
    events: [
      emit('nl.ketenlink.violation.recorded.v1', {
        trajectoryId: a.trajectoryId,
        violationId: violation.id,
        agreementId: a.id,
        condition: violation.condition,
        description: violation.description,
        occurredOn: violation.occurredOn,
        consequence: c,
        ...(input.notificationId ? { notificationId: input.notificationId } : {}),
        recordedAt: now.toISOString(),
        recordedBy: input.by,
      }),
    ],
  };
}

// ---- incidents ---------------------------------------------------------------------------------

export type IncidentKind = IncidentRecordedV1['kind'];
/** R-INCIDENT: the kinds that must be reported to the inspectorate. */
export const REPORTABLE_KINDS: ReadonlySet<IncidentKind> = new Set([
  'absconding',
  'not-returning-from-leave',
  'serious-violence',
  'death',
  'calamity',
]);

export interface Incident {
  readonly id: string;
  readonly trajectoryId: string;
  readonly agreementId?: string;
  readonly kind: IncidentKind;
  readonly occurredAt: Date;
  readonly description: string;
  readonly reportable: boolean;
  readonly inspectorateDeadline?: Date;
  readonly recordedAt: Date;
  readonly recordedBy: StaffActor;
  readonly reported?: {
    readonly at: Date;
    readonly reference?: string;
    readonly late: boolean;
    readonly by: StaffActor;
  };
  readonly overdueReportedAt?: Date;
}

export interface IncidentInput {
  readonly id: string;
  readonly trajectoryId: string;
  readonly agreementId?: string;
  readonly kind: IncidentKind;
  readonly occurredAt: Date;
  readonly description: string;
  /** `other` incidents may be marked reportable; the listed kinds always are. */
  readonly reportable?: boolean;
  readonly by: StaffActor;
}

/**
 * The inspectorate deadline: the end of the n-th working day after the day the incident became
 * known (recorded), Europe/Amsterdam (libs/dates).
 */
export function inspectorateDeadline(recordedAt: Date, policy: RecordPolicy): Date {
  const lastDay = addWorkingDays(
    calendarDate(recordedAt),
    policy.inspectorateWorkingDays,
    policy.isHoliday,
  );
  return startOfDay(nextDate(lastDay));
}

export function recordIncident(
  input: IncidentInput,
  now: Date,
  policy: RecordPolicy = DEFAULT_RECORD_POLICY,
): { incident: Incident; events: Emitted[] } {
  if (input.occurredAt > now) {
    throw new AgreementInputError(
      'in-the-future',
      'An incident cannot have happened in the future.',
    );
  }
  if (input.reportable === false && REPORTABLE_KINDS.has(input.kind)) {
    throw new AgreementInputError(
      'reportable-kind',
      `a ${input.kind} must be reported to the inspectorate`,
    );
  }
  const reportable = REPORTABLE_KINDS.has(input.kind) || input.reportable === true;
  const deadline = reportable ? inspectorateDeadline(now, policy) : undefined;
  const incident: Incident = {
    id: input.id,
    trajectoryId: input.trajectoryId,
    ...(input.agreementId ? { agreementId: input.agreementId } : {}),
    kind: input.kind,
    occurredAt: input.occurredAt,
    description: input.description,
    reportable,
    ...(deadline ? { inspectorateDeadline: deadline } : {}),
    recordedAt: now,
    recordedBy: input.by,
  };
  return {
    incident,
    events: [
      emit('nl.ketenlink.incident.recorded.v1', {
        trajectoryId: input.trajectoryId,
        incidentId: input.id,
        ...(input.agreementId ? { agreementId: input.agreementId } : {}),
        kind: input.kind,
        occurredAt: input.occurredAt.toISOString(),
        description: input.description,
        reportable,
        ...(deadline ? { inspectorateDeadline: deadline.toISOString() } : {}),
        recordedAt: now.toISOString(),
        recordedBy: input.by,
      }),
    ],
  };
}

export function reportToInspectorate(
  i: Incident,
  by: StaffActor,
  now: Date,
  reference?: string,
): { incident: Incident; events: Emitted[] } {
  if (!i.reportable)
    throw new AgreementConflictError('not-reportable', 'This incident is not reportable.');
  if (i.reported)
    throw new AgreementConflictError('already-reported', 'This incident was already reported.');
  if (by.organisationId !== i.recordedBy.organisationId) {
    throw new AgreementConflictError(
      'not-the-recorder',
      'The organisation that recorded the incident reports it.',
    );
  }
  const late = !!i.inspectorateDeadline && now >= i.inspectorateDeadline;
  return {
    incident: { ...i, reported: { at: now, late, by, ...(reference ? { reference } : {}) } },
    events: [
      emit('nl.ketenlink.incident.reported-to-inspectorate.v1', {
        trajectoryId: i.trajectoryId,
        incidentId: i.id,
        reportedAt: now.toISOString(),
        ...(reference ? { reference } : {}),
        late,
        reportedBy: by,
      }),
    ],
  };
}

/** Reportable, not reported, past the deadline, not yet flagged: flag it (once). */
export function detectReportOverdue(
  i: Incident,
  now: Date,
): { incident: Incident; events: Emitted[] } {
  const deadline = i.inspectorateDeadline;
  if (!i.reportable || !deadline || i.reported || i.overdueReportedAt || now < deadline) {
    return { incident: i, events: [] };
  }
  return {
    incident: { ...i, overdueReportedAt: now },
    events: [
      emit('nl.ketenlink.incident.report-overdue.v1', {
        trajectoryId: i.trajectoryId,
        incidentId: i.id,
        kind: i.kind,
        inspectorateDeadline: deadline.toISOString(),
        recordedBy: i.recordedBy,
        detectedAt: now.toISOString(),
      }),
    ],
  };
}
