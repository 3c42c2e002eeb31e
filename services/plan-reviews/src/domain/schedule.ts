import { addDays, addMonths, nextDate, startOfDay } from '@ketenlink/dates';
import type { Period, RuleId, RuleSettings } from './rules';

/**
 * Review schedules derived from facts, as data (R-PLAN-6W, R-PLAN-6M, R-DRIEGESPREK, R-RISK,
 * R-SAFETY-PLAN, R-PROGRESS, R-TITLE-END). Pure: the facts of one trajectory in, the review
 * items that should exist out; `evolve` applies one change and reconciles the stored items with
 * the derived ones (schedule, move, complete, cancel); `fire` decides what a timer emits now.
 */
export const REVIEW_KINDS = [
  'first-plan',
  'plan-evaluation',
  'driegesprek',
  'risk-reassessment',
  'safety-plan',
  'progress-report',
] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export type ItemKind = ReviewKind | 'title-end';

export type RiskLevel = 'low' | 'moderate' | 'high' | 'very-high';

export interface TitleFact {
  readonly titleId: string;
  readonly kind?: string;
  readonly expectedEndDate?: string;
  readonly endedOn?: string;
}

/** What the schedules of one trajectory are derived from (projected from events). */
export interface ScheduleFacts {
  readonly trajectoryId: string;
  readonly region?: string;
  readonly caseLeadOrganisationId?: string;
  /** The agreed coordinating party (R-STAPELZORG), from the plans. */
  readonly coordinatingOrganisationId?: string;
  /** The provider that placed the client (placement events). */
  readonly providerOrganisationId?: string;
  readonly intakeOn?: string;
  readonly movedInOn?: string;
  readonly definitivePlanOn?: string;
  readonly lastEvaluationOn?: string;
  /** The review date an agreement fixed (terms.driegesprek.nextReviewOn), until a review is held. */
  readonly agreedReviewOn?: string;
  readonly lastDriegesprekOn?: string;
  /** The next driegesprek date agreed in the last one. */
  readonly nextDriegesprekOn?: string;
  readonly lastProgressReportOn?: string;
  /** Latest change of context (handover, incident): R-RISK reassessment. */
  readonly contextChangedOn?: string;
  readonly lastAssessment?: {
    readonly assessedOn: string;
    readonly expiresOn: string;
    readonly level: RiskLevel;
    readonly setting: string;
  };
  readonly safetyPlanOn?: string;
  readonly titles: readonly TitleFact[];
  /** Organisations invited to reviews besides the participants (receiving party of a handover). */
  readonly invitedOrganisationIds: readonly string[];
}

export function emptyFacts(trajectoryId: string): ScheduleFacts {
  return { trajectoryId, titles: [], invitedOrganisationIds: [] };
}

/** One item the rules say should exist. `slot` is unique per trajectory among open items. */
export interface DesiredItem {
  readonly slot: string;
  readonly kind: ItemKind;
  readonly ruleId: RuleId;
  readonly responsibleOrganisationId: string;
  readonly dueOn: string;
  readonly overdueOn: string;
  readonly title?: {
    readonly titleId: string;
    readonly kind?: string;
    readonly expectedEndDate: string;
    readonly leadTimeDays: number;
  };
}

export type ItemState = 'scheduled' | 'due' | 'overdue' | 'completed' | 'cancelled' | 'fired';
export const OPEN_STATES: readonly ItemState[] = ['scheduled', 'due', 'overdue'];

export interface ReviewItem extends DesiredItem {
  readonly id: string;
  readonly trajectoryId: string;
  readonly state: ItemState;
  readonly invitedOrganisationIds: readonly string[];
}

export const plus = (date: string, p: Period): string =>
  addDays(addMonths(date, p.months ?? 0), p.days ?? 0);

const later = (a: string | undefined, b: string | undefined): string | undefined =>
  a === undefined ? b : b === undefined ? a : a > b ? a : b;

/** The items the rules want for these facts. */
export function deriveSchedule(f: ScheduleFacts, rules: RuleSettings): DesiredItem[] {
  const out: DesiredItem[] = [];
  const reviewer =
    f.coordinatingOrganisationId ?? f.providerOrganisationId ?? f.caseLeadOrganisationId;
  const add = (slot: ReviewKind, ruleId: RuleId, dueOn: string, overdueOn: string): void => {
    if (reviewer)
      out.push({ slot, kind: slot, ruleId, responsibleOrganisationId: reviewer, dueOn, overdueOn });
  };

  // R-PLAN-6W: from intake until the first definitive plan.
  if (f.intakeOn && !f.definitivePlanOn) {
    const r = rules['R-PLAN-6W'];
    add('first-plan', 'R-PLAN-6W', plus(f.intakeOn, r.due), plus(f.intakeOn, r.hardLimit));
  }
  // R-PLAN-6M: from the last evaluation, else the definitive plan, else move-in.
  const evaluationBase = f.lastEvaluationOn ?? later(f.definitivePlanOn, f.movedInOn);
  if (evaluationBase) {
    const r = rules['R-PLAN-6M'];
    // An agreed review date after the last evaluation comes first, if it is earlier than the cadence.
    const byCadence = plus(evaluationBase, r.cadence);
    const agreed = f.agreedReviewOn;
    const due = agreed && agreed < byCadence ? agreed : byCadence;
    add('plan-evaluation', 'R-PLAN-6M', due, plus(due, r.grace));
  }
  // R-DRIEGESPREK: ~1 week after move-in, then the agreed date or the cadence.
  if (f.movedInOn) {
    const r = rules['R-DRIEGESPREK'];
    const due =
      f.lastDriegesprekOn === undefined
        ? plus(f.movedInOn, r.first)
        : (f.nextDriegesprekOn ?? plus(f.lastDriegesprekOn, r.cadence));
    add('driegesprek', 'R-DRIEGESPREK', due, plus(due, r.grace));
  }
  // R-RISK: reassess after placement and after a change of context, and at expiry.
  {
    const r = rules['R-RISK'];
    const assessed = f.lastAssessment?.assessedOn;
    const candidates: string[] = [];
    if (f.movedInOn && !(assessed && assessed >= f.movedInOn)) {
      candidates.push(plus(f.movedInOn, r.afterPlacement));
    }
    if (f.contextChangedOn && !(assessed && assessed >= f.contextChangedOn)) {
      candidates.push(plus(f.contextChangedOn, r.afterContextChange));
    }
    if (f.lastAssessment) candidates.push(f.lastAssessment.expiresOn);
    const due = candidates.sort()[0];
    if (due) add('risk-reassessment', 'R-RISK', due, plus(due, r.grace));
  }
  // R-SAFETY-PLAN: ambulant care at a high risk level without a safety plan since the assessment.
  const a = f.lastAssessment;
  if (
    a &&
    a.setting === 'ambulant' &&
    (a.level === 'high' || a.level === 'very-high') &&
    !(f.safetyPlanOn && f.safetyPlanOn >= a.assessedOn)
  ) {
    const r = rules['R-SAFETY-PLAN'];
    const due = plus(a.assessedOn, r.due);
    add('safety-plan', 'R-SAFETY-PLAN', due, plus(due, r.grace));
  }
  // R-PROGRESS: periodic progress report from the definitive plan on.
  if (f.definitivePlanOn) {
    const r = rules['R-PROGRESS'];
    const due = plus(f.lastProgressReportOn ?? f.definitivePlanOn, r.cadence);
    add('progress-report', 'R-PROGRESS', due, plus(due, r.grace));
  }
  // R-TITLE-END: each lead time before each running title's expected end.
  const titleOwner = f.caseLeadOrganisationId ?? reviewer;
  if (titleOwner) {
    for (const t of f.titles) {
      if (t.endedOn || !t.expectedEndDate) continue;
      for (const lead of rules['R-TITLE-END'].leadTimesDays) {
        out.push({
          slot: `title-end:${t.titleId}:${lead}`,
          kind: 'title-end',
          ruleId: 'R-TITLE-END',
          responsibleOrganisationId: titleOwner,
          dueOn: addDays(t.expectedEndDate, -lead),
          overdueOn: t.expectedEndDate,
          title: {
            titleId: t.titleId,
            ...(t.kind ? { kind: t.kind } : {}),
            expectedEndDate: t.expectedEndDate,
            leadTimeDays: lead,
          },
        });
      }
    }
  }
  return out;
}

/** What happened to the facts: one case per consumed event or command. */
export type FactChange =
  | {
      readonly type: 'trajectory-opened';
      readonly region?: string;
      readonly caseLeadOrganisationId: string;
    }
  | { readonly type: 'case-lead'; readonly organisationId: string }
  | { readonly type: 'title'; readonly title: TitleFact }
  | { readonly type: 'intake'; readonly on: string; readonly providerOrganisationId: string }
  | { readonly type: 'moved-in'; readonly on: string; readonly providerOrganisationId: string }
  | {
      readonly type: 'plan-versioned';
      readonly on: string;
      readonly definitive: boolean;
      readonly coordinatingOrganisationId: string;
      readonly safetyPlan: boolean;
    }
  | {
      readonly type: 'assessment';
      readonly assessedOn: string;
      readonly expiresOn: string;
      readonly level: RiskLevel;
      readonly setting: string;
    }
  | {
      readonly type: 'meeting';
      readonly kind: 'review' | 'driegesprek' | 'mdo';
      readonly on: string;
      readonly nextDate?: string;
      readonly progressReport?: boolean;
    }
  | { readonly type: 'progress-report'; readonly on: string }
  | { readonly type: 'context-changed'; readonly on: string }
  | { readonly type: 'invite'; readonly organisationId: string; readonly invited: boolean }
  | {
      /** A completed handover (ADR 0033): responsibility moves to the receiving provider. */
      readonly type: 'handover-completed';
      readonly sendingOrganisationId: string;
      readonly receivingOrganisationId: string;
      readonly receiverJoinsOn: string;
    }
  | { readonly type: 'rules-changed' };

export function applyFact(f: ScheduleFacts, c: FactChange): ScheduleFacts {
  switch (c.type) {
    case 'trajectory-opened':
      return {
        ...f,
        ...(c.region ? { region: c.region } : {}),
        caseLeadOrganisationId: c.caseLeadOrganisationId,
      };
    case 'case-lead':
      return { ...f, caseLeadOrganisationId: c.organisationId };
    case 'title': {
      const others = f.titles.filter((t) => t.titleId !== c.title.titleId);
      const before = f.titles.find((t) => t.titleId === c.title.titleId);
      return { ...f, titles: [...others, { ...before, ...c.title }] };
    }
    case 'intake':
      return { ...f, intakeOn: c.on, providerOrganisationId: c.providerOrganisationId };
    case 'moved-in':
      return { ...f, movedInOn: c.on, providerOrganisationId: c.providerOrganisationId };
    case 'plan-versioned':
      return {
        ...f,
        coordinatingOrganisationId: c.coordinatingOrganisationId,
        ...(c.definitive && !f.definitivePlanOn ? { definitivePlanOn: c.on } : {}),
        ...(c.safetyPlan ? { safetyPlanOn: later(f.safetyPlanOn, c.on) } : {}),
      };
    case 'assessment':
      return {
        ...f,
        lastAssessment: {
          assessedOn: c.assessedOn,
          expiresOn: c.expiresOn,
          level: c.level,
          setting: c.setting,
        },
      };
    case 'meeting': {
      if (c.kind === 'driegesprek') {
        const { nextDriegesprekOn: _drop, ...rest } = f;
        return {
          ...rest,
          lastDriegesprekOn: c.on,
          ...(c.nextDate ? { nextDriegesprekOn: c.nextDate } : {}),
        };
      }
      // A review or MDO is the full plan evaluation (R-PLAN-6M), the agreed review included; its
      // progress report counts (R-PROGRESS).
      const { agreedReviewOn: _done, ...evaluated } = f;
      return {
        ...evaluated,
        lastEvaluationOn: c.on,
        ...(c.progressReport ? { lastProgressReportOn: c.on } : {}),
      };
    }
    case 'progress-report':
      // A periodic progress report made with the client, as a progress note (R-PROGRESS).
      return { ...f, lastProgressReportOn: later(f.lastProgressReportOn, c.on) };
    case 'context-changed':
      return { ...f, contextChangedOn: c.on };
    case 'invite': {
      const rest = f.invitedOrganisationIds.filter((o) => o !== c.organisationId);
      return { ...f, invitedOrganisationIds: c.invited ? [...rest, c.organisationId] : rest };
    }
    case 'handover-completed': {
      // The invitation ends (the receiver takes part now), the context changed (R-RISK), and the
      // receiver takes the sender's place: as the provider the reviews fall to when the sender was
      // that provider or none was known (prison → housing), and as the coordinating party when
      // the sender was it. Another organisation's place is left alone (stapelzorg).
      const receiver = c.receivingOrganisationId;
      const takesProvider =
        f.providerOrganisationId === undefined ||
        f.providerOrganisationId === c.sendingOrganisationId;
      const takesCoordination = f.coordinatingOrganisationId === c.sendingOrganisationId;
      return {
        ...f,
        invitedOrganisationIds: f.invitedOrganisationIds.filter((o) => o !== receiver),
        contextChangedOn: c.receiverJoinsOn,
        ...(takesProvider ? { providerOrganisationId: receiver } : {}),
        ...(takesCoordination ? { coordinatingOrganisationId: receiver } : {}),
      };
    }
    case 'rules-changed':
      return f;
  }
}

/** Which open items a change completes (rather than moves or cancels). */
export function completedSlots(c: FactChange): ReviewKind[] {
  switch (c.type) {
    case 'plan-versioned':
      return [
        ...(c.definitive ? (['first-plan'] as const) : []),
        ...(c.safetyPlan ? (['safety-plan'] as const) : []),
      ];
    case 'assessment':
      return ['risk-reassessment'];
    case 'progress-report':
      return ['progress-report'];
    case 'meeting':
      return c.kind === 'driegesprek'
        ? ['driegesprek']
        : ['plan-evaluation', ...(c.progressReport ? (['progress-report'] as const) : [])];
    default:
      return [];
  }
}

export type ScheduledReason =
  | 'intake'
  | 'move-in'
  | 'meeting-held'
  | 'cadence-changed'
  | 'title-changed'
  | 'placement'
  | 'context-change'
  | 'risk-level'
  | 'plan-versioned'
  | 'handover'
  | 'progress-noted';

/** Domain events of the schedule (payloads completed by the application: ids and times). */
export type ScheduleEvent =
  | {
      readonly kind: 'scheduled';
      readonly item: ReviewItem;
      readonly previousDueOn?: string;
      readonly reason: ScheduledReason;
    }
  | {
      readonly kind: 'cancelled';
      readonly item: ReviewItem;
      readonly reason: 'reason-gone' | 'title-ended' | 'superseded';
    }
  | {
      readonly kind: 'completed';
      readonly item: ReviewItem;
      readonly on: string;
      readonly next?: ReviewItem;
    };

export interface Evolution {
  readonly facts: ScheduleFacts;
  /** Items created or changed (by id). */
  readonly items: readonly ReviewItem[];
  readonly events: readonly ScheduleEvent[];
}

const isOpen = (i: ReviewItem) => OPEN_STATES.includes(i.state);

function reasonOf(c: FactChange): ScheduledReason {
  switch (c.type) {
    case 'intake':
      return 'intake';
    case 'moved-in':
      return 'move-in';
    case 'meeting':
      return 'meeting-held';
    case 'title':
      return 'title-changed';
    case 'plan-versioned':
      return 'plan-versioned';
    case 'assessment':
      return 'risk-level';
    case 'context-changed':
      return 'context-change';
    case 'invite':
    case 'handover-completed':
      return 'handover';
    case 'progress-report':
      return 'progress-noted';
    default:
      return 'cadence-changed';
  }
}

/**
 * Applies a change and reconciles: items the change completes are completed; a derived item
 * without an open one is scheduled; an open one whose dates or invitees changed is moved (back
 * to `scheduled`, so it fires at its new date); an open item the rules no longer want is
 * cancelled — never fired late.
 */
export function evolve(
  facts: ScheduleFacts,
  items: readonly ReviewItem[],
  change: FactChange,
  rules: RuleSettings,
  newId: () => string,
): Evolution {
  const next = applyFact(facts, change);
  const on =
    'on' in change ? change.on : change.type === 'assessment' ? change.assessedOn : undefined;
  const byId = new Map(items.map((i) => [i.id, i]));
  const changed = new Map<string, ReviewItem>();
  const put = (i: ReviewItem) => {
    byId.set(i.id, i);
    changed.set(i.id, i);
  };
  const completions: { item: ReviewItem; on: string }[] = [];
  if (on) {
    for (const slot of completedSlots(change)) {
      const open = [...byId.values()].find((i) => i.slot === slot && isOpen(i));
      if (open) {
        const done = { ...open, state: 'completed' as const };
        put(done);
        completions.push({ item: done, on });
      }
    }
  }
  const events: ScheduleEvent[] = [];
  const reason = reasonOf(change);
  const desired = deriveSchedule(next, rules);
  const wanted = new Set(desired.map((d) => d.slot));
  const invited = next.invitedOrganisationIds;
  const created = new Map<string, ReviewItem>();
  for (const d of desired) {
    const open = [...byId.values()].find((i) => i.slot === d.slot && isOpen(i));
    if (d.kind === 'title-end') {
      const told = [...byId.values()].some(
        (i) =>
          i.slot === d.slot &&
          i.state === 'fired' &&
          i.title?.expectedEndDate === d.title?.expectedEndDate,
      );
      if (told) continue;
    }
    if (!open) {
      const item: ReviewItem = {
        ...d,
        id: newId(),
        trajectoryId: next.trajectoryId,
        state: 'scheduled',
        invitedOrganisationIds: invited,
      };
      put(item);
      created.set(d.slot, item);
      events.push({ kind: 'scheduled', item, reason });
      continue;
    }
    const moved = open.dueOn !== d.dueOn || open.overdueOn !== d.overdueOn;
    const same =
      !moved &&
      open.responsibleOrganisationId === d.responsibleOrganisationId &&
      sameSet(open.invitedOrganisationIds, invited);
    if (same) continue;
    const item: ReviewItem = {
      ...open,
      ...d,
      state: moved ? 'scheduled' : open.state,
      invitedOrganisationIds: invited,
    };
    put(item);
    events.push({
      kind: 'scheduled',
      item,
      reason,
      ...(moved ? { previousDueOn: open.dueOn } : {}),
    });
  }
  for (const i of [...byId.values()]) {
    if (!isOpen(i) || wanted.has(i.slot)) continue;
    const cancelled = { ...i, state: 'cancelled' as const };
    put(cancelled);
    const titleEnded = i.title && next.titles.find((t) => t.titleId === i.title!.titleId)?.endedOn;
    events.push({
      kind: 'cancelled',
      item: cancelled,
      reason: titleEnded ? 'title-ended' : 'reason-gone',
    });
  }
  const completedEvents: ScheduleEvent[] = completions.map(({ item, on: doneOn }) => ({
    kind: 'completed',
    item,
    on: doneOn,
    ...(created.get(item.slot) ? { next: created.get(item.slot)! } : {}),
  }));
  return { facts: next, items: [...changed.values()], events: [...completedEvents, ...events] };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** The instant an open item's timer fires next, or null when it has nothing left to fire. */
export function fireAt(i: Pick<ReviewItem, 'state' | 'dueOn' | 'overdueOn' | 'kind'>): Date | null {
  if (i.state === 'scheduled') return startOfDay(i.dueOn);
  if (i.state === 'due' && i.kind !== 'title-end') return startOfDay(nextDate(i.overdueOn));
  return null;
}

export type Firing =
  | { readonly kind: 'due'; readonly item: ReviewItem }
  | { readonly kind: 'overdue'; readonly item: ReviewItem }
  | { readonly kind: 'title-end'; readonly item: ReviewItem };

/**
 * What a timer emits at `now`: at most one event per item per firing. After downtime an item
 * whose due and overdue instants both passed reports overdue once (not due, then overdue).
 */
export function fire(i: ReviewItem, now: Date): Firing | undefined {
  const at = fireAt(i);
  if (!at || at > now) return undefined;
  if (i.kind === 'title-end') return { kind: 'title-end', item: { ...i, state: 'fired' } };
  const overdueAt = startOfDay(nextDate(i.overdueOn));
  if (now >= overdueAt) return { kind: 'overdue', item: { ...i, state: 'overdue' } };
  return { kind: 'due', item: { ...i, state: 'due' } };
}
