import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EventPayloads } from '@ketenlink/contracts';
import { EventEmitter } from '@ketenlink/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { resolveRules, type RuleOverrides } from '../domain/rules';
import {
  evolve,
  fire,
  type FactChange,
  type Firing,
  type ReviewItem,
  type ScheduleEvent,
  type ScheduleFacts,
} from '../domain/schedule';
import { ScheduleStore } from './ports/schedule.store.port';

type Emit = {
  type: keyof EventPayloads;
  subject: string;
  data: EventPayloads[keyof EventPayloads];
};

/** Agreement overrides ride along in the facts (projected from agreement events). */
export type FactsWithAgreement = ScheduleFacts & { readonly agreementRules?: RuleOverrides };

/**
 * Applies a change to a trajectory's schedule in the caller's transaction: lock the facts row,
 * evolve (pure), write the items with their timers, emit review.* events through the outbox —
 * state and events commit together.
 */
@Injectable()
export class ScheduleService {
  constructor(
    private readonly ds: DataSource,
    private readonly store: ScheduleStore,
    private readonly events: EventEmitter,
  ) {}

  /** After a region's overrides changed: every trajectory of the region reconciled, one transaction each. */
  async reconcileRegion(region: string, now: Date): Promise<number> {
    let n = 0;
    for (const id of await this.store.trajectoriesIn(region)) {
      await this.ds.transaction((tx) => this.apply(tx, id, { type: 'rules-changed' }, now));
      n++;
    }
    return n;
  }

  /** Takes the trajectory's aggregate lock (its facts row) in `tx`. */
  async lockOnly(tx: EntityManager, trajectoryId: string): Promise<void> {
    await this.store.lock(tx, trajectoryId);
  }

  async apply(
    tx: EntityManager,
    trajectoryId: string,
    change: FactChange,
    now: Date,
    patch?: (f: FactsWithAgreement) => FactsWithAgreement,
  ): Promise<readonly ScheduleEvent[]> {
    const { facts, items } = await this.store.lock(tx, trajectoryId);
    const base = patch ? patch(facts) : (facts as FactsWithAgreement);
    const rules = resolveRules(await this.store.regionRules(tx, base.region), base.agreementRules);
    const e = evolve(base, items, change, rules, randomUUID);
    await this.store.save(tx, e.facts, e.items, now);
    const out = e.events.map((ev) => scheduleEventOut(ev, now)).filter((x): x is Emit => !!x);
    await this.events.emit(tx, out);
    return e.events;
  }

  /**
   * Fires the due timers of one claimed trajectory (its facts row is locked). First reconciles
   * with the rules as they are now, so a timer whose reason is gone is cancelled, not fired.
   */
  async fireDue(tx: EntityManager, trajectoryId: string, now: Date): Promise<number> {
    const reconciled = await this.apply(tx, trajectoryId, { type: 'rules-changed' }, now);
    const { facts, items } = await this.store.lock(tx, trajectoryId);
    const firings = items.map((i) => fire(i, now)).filter((f): f is Firing => f !== undefined);
    await this.store.save(
      tx,
      facts,
      firings.map((f) => f.item),
      now,
    );
    await this.events.emit(
      tx,
      firings.map((f) => firingOut(f, now)),
    );
    return firings.length + reconciled.filter((e) => e.kind === 'cancelled').length;
  }
}

const core = (i: ReviewItem) => ({
  trajectoryId: i.trajectoryId,
  reviewId: i.id,
  kind: i.kind as Exclude<ReviewItem['kind'], 'title-end'>,
  ruleId: i.ruleId as Exclude<ReviewItem['ruleId'], 'R-TITLE-END'>,
  responsibleOrganisationId: i.responsibleOrganisationId,
  dueOn: i.dueOn,
  overdueOn: i.overdueOn,
});

function scheduleEventOut(e: ScheduleEvent, now: Date): Emit | undefined {
  const i = e.item;
  const at = now.toISOString();
  // Title-end notices are timers only: they announce themselves when they fire.
  if (i.kind === 'title-end') return undefined;
  if (e.kind === 'scheduled') {
    const data: EventPayloads['nl.ketenlink.review.scheduled.v1'] = {
      ...core(i),
      reason: e.reason,
      scheduledAt: at,
      ...(e.previousDueOn ? { previousDueOn: e.previousDueOn } : {}),
      ...(i.invitedOrganisationIds.length
        ? { invitedOrganisationIds: [...i.invitedOrganisationIds] }
        : {}),
    };
    return { type: 'nl.ketenlink.review.scheduled.v1', subject: i.trajectoryId, data };
  }
  if (e.kind === 'cancelled') {
    const { overdueOn: _o, ...c } = core(i);
    const data: EventPayloads['nl.ketenlink.review.cancelled.v1'] = {
      ...c,
      reason: e.reason,
      cancelledAt: at,
    };
    return { type: 'nl.ketenlink.review.cancelled.v1', subject: i.trajectoryId, data };
  }
  const { overdueOn: _o, ...c } = core(i);
  const data: EventPayloads['nl.ketenlink.review.completed.v1'] = {
    ...c,
    completedOn: e.on,
    completedAt: at,
    ...(e.next ? { nextReviewId: e.next.id, nextDueOn: e.next.dueOn } : {}),
  };
  return { type: 'nl.ketenlink.review.completed.v1', subject: i.trajectoryId, data };
}

function firingOut(f: Firing, now: Date): Emit {
  const i = f.item;
  const firedAt = now.toISOString();
  if (f.kind === 'title-end') {
    const t = i.title!;
    const data: EventPayloads['nl.ketenlink.title.end-approaching.v1'] = {
      trajectoryId: i.trajectoryId,
      titleId: t.titleId,
      ...(t.kind ? { titleKind: t.kind as never } : {}),
      expectedEndDate: t.expectedEndDate,
      leadTimeDays: t.leadTimeDays,
      followOnToArrange: ['regular-care', 'zvh', 'municipality-wmo', 'follow-on-funding'],
      responsibleOrganisationId: i.responsibleOrganisationId,
      firedAt,
    };
    return { type: 'nl.ketenlink.title.end-approaching.v1', subject: i.trajectoryId, data };
  }
  const type = f.kind === 'due' ? 'nl.ketenlink.review.due.v1' : 'nl.ketenlink.review.overdue.v1';
  return { type, subject: i.trajectoryId, data: { ...core(i), firedAt } };
}
