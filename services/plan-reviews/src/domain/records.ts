import { DomainError, type EventPayloads } from '@ketenlink/contracts';

/**
 * Plans, risk assessments and meetings: the invariants a record must keep (R-STAPELZORG,
 * R-SAFETY-PLAN, R-ESCALATE, R-PROGRESS). Pure.
 */
export type PlanVersion = EventPayloads['nl.ketenlink.plan.versioned.v1'];
export type RiskAssessment = EventPayloads['nl.ketenlink.risk-assessment.recorded.v1'];
export type Meeting = EventPayloads['nl.ketenlink.meeting.held.v1'];
export type ProgressNote = EventPayloads['nl.ketenlink.plan.progress-noted.v1'];

const UNPROCESSABLE = new Set(['dates-out-of-order', 'unknown-goal', 'client-not-involved']);

export class RecordRefusedError extends DomainError {
  constructor(
    code:
      | 'coordinating-party-conflict'
      | 'joint-plan-not-coordinator'
      | 'second-joint-plan'
      | 'not-plan-owner'
      | 'plan-exists'
      | 'dates-out-of-order'
      | 'decision-outside-mdo'
      | 'unknown-goal'
      | 'client-not-involved',
    message: string,
  ) {
    super(UNPROCESSABLE.has(code) ? 'unprocessable' : 'conflict', code, message);
  }
}

/**
 * A new version of `owner`'s plan, given the latest version of every plan in the trajectory.
 * Stapelzorg: every plan names the same coordinating party; only the coordinating party's plan
 * holds the one joint early-warning plan. Returns the version number.
 */
export function nextPlanVersion(
  latest: readonly PlanVersion[],
  v: Pick<
    PlanVersion,
    'planId' | 'ownerOrganisationId' | 'coordinatingOrganisationId' | 'earlyWarningPlan'
  >,
): number {
  const own = latest.find((p) => p.planId === v.planId);
  if (own && own.ownerOrganisationId !== v.ownerOrganisationId) {
    throw new RecordRefusedError('not-plan-owner', 'Only the owner organisation versions its plan');
  }
  // One plan per organisation per trajectory: a new one where it already has one is refused.
  const existing = latest.find((p) => p.ownerOrganisationId === v.ownerOrganisationId);
  if (!own && existing) {
    throw new RecordRefusedError(
      'plan-exists',
      `This organisation already has plan ${existing.planId} here: give its planId to version it`,
    );
  }
  const others = latest.filter((p) => p.ownerOrganisationId !== v.ownerOrganisationId);
  const agreed = others[0]?.coordinatingOrganisationId;
  if (agreed && others.some((p) => p.coordinatingOrganisationId !== agreed)) {
    throw new RecordRefusedError(
      'coordinating-party-conflict',
      'The plans disagree on the coordinating party',
    );
  }
  if (agreed && agreed !== v.coordinatingOrganisationId) {
    throw new RecordRefusedError(
      'coordinating-party-conflict',
      `The other plans name ${agreed} as the coordinating party (R-STAPELZORG)`,
    );
  }
  if (v.earlyWarningPlan?.joint) {
    if (v.ownerOrganisationId !== v.coordinatingOrganisationId) {
      throw new RecordRefusedError(
        'joint-plan-not-coordinator',
        'The joint early-warning plan is the coordinating party’s',
      );
    }
    if (others.some((p) => p.earlyWarningPlan?.joint)) {
      throw new RecordRefusedError(
        'second-joint-plan',
        'There is one joint early-warning plan (R-STAPELZORG)',
      );
    }
  }
  return (own?.version ?? 0) + 1;
}

/** An assessment expires after it was made. */
export function checkAssessment(a: Pick<RiskAssessment, 'assessedOn' | 'expiresOn'>): void {
  if (a.expiresOn <= a.assessedOn) {
    throw new RecordRefusedError('dates-out-of-order', 'expiresOn must be after assessedOn');
  }
}

/** Care stepped up or down: only an MDO decides it (R-ESCALATE). */
export function escalationOf(
  m: Pick<Meeting, 'kind' | 'decision' | 'heldAt' | 'nextDate'>,
): 'care.escalated' | 'care.de-escalated' | undefined {
  if (m.nextDate && m.nextDate < m.heldAt.slice(0, 10)) {
    throw new RecordRefusedError('dates-out-of-order', 'nextDate must not be before the meeting');
  }
  if (m.decision === 'none') return undefined;
  if (m.kind !== 'mdo') {
    throw new RecordRefusedError(
      'decision-outside-mdo',
      'Care is stepped up or down in the multidisciplinary meeting (R-ESCALATE)',
    );
  }
  return m.decision === 'step-up' ? 'care.escalated' : 'care.de-escalated';
}

/**
 * The plan version a progress note concerns: the current (latest) version of the plan that holds
 * `goalId` (R-PROGRESS). A goal no current version names is refused.
 */
export function planOfGoal(
  latest: readonly Pick<PlanVersion, 'planId' | 'version' | 'goals'>[],
  goalId: string,
): { planId: string; planVersion: number } {
  const plan = latest.find((p) => p.goals.some((g) => g.goalId === goalId));
  if (!plan) {
    throw new RecordRefusedError(
      'unknown-goal',
      'The goal is not in the current version of any plan of this trajectory (R-PROGRESS)',
    );
  }
  return { planId: plan.planId, planVersion: plan.version };
}

/**
 * A progress note is not dated in the future; the periodic progress report is made with the
 * client (R-PROGRESS): it records that the client took part.
 */
export function checkProgressNote(
  n: Pick<ProgressNote, 'notedOn' | 'periodicReport' | 'clientTookPart' | 'clientWords'>,
  today: string,
): void {
  if (n.notedOn > today) {
    throw new RecordRefusedError('dates-out-of-order', 'notedOn must not be in the future');
  }
  if (n.periodicReport && !n.clientTookPart) {
    throw new RecordRefusedError(
      'client-not-involved',
      'The client takes part in the periodic progress report (R-PROGRESS): clientTookPart must be true',
    );
  }
  if (n.clientWords !== undefined && !n.clientTookPart) {
    throw new RecordRefusedError(
      'client-not-involved',
      'clientWords are recorded only when the client took part',
    );
  }
}
