import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TRAJECTORY_FACTS, type TrajectoryFactsPort } from '@ketenlink/trajectory-facts';
import type { Principal } from '@ketenlink/auth';
import { calendarDate } from '@ketenlink/dates';
import { EventEmitter } from '@ketenlink/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import {
  checkAssessment,
  checkProgressNote,
  escalationOf,
  nextPlanVersion,
  planOfGoal,
  type Meeting,
  type PlanVersion,
  type ProgressNote,
  type RiskAssessment,
} from '../domain/records';
import { Clock } from './clock';
import { payloadFrom } from './command-body';
import { TrajectoryNotVisibleError } from './errors';
import { RecordsStore } from './ports/records.store.port';
import { ScheduleService } from './schedule.service';

/**
 * Records plans, risk assessments and meetings. One transaction per command: the trajectory's
 * schedule row is locked first (the aggregate lock), the record, its event and the schedule
 * change (complete, reschedule) commit together. Only a participating organisation records.
 */
@Injectable()
export class RecordsService {
  constructor(
    private readonly ds: DataSource,
    private readonly records: RecordsStore,
    @Inject(TRAJECTORY_FACTS) private readonly facts: TrajectoryFactsPort,
    private readonly schedules: ScheduleService,
    private readonly events: EventEmitter,
    private readonly clock: Clock,
  ) {}

  private async participating(
    tx: EntityManager,
    trajectoryId: string,
    actor: Principal,
    now: Date,
  ) {
    const f = await this.facts.factsOf(trajectoryId, { tx });
    if (!f || !takesPart(f.participations, actor.organisationId, now))
      throw new TrajectoryNotVisibleError();
  }

  async versionPlan(trajectoryId: string, body: unknown, actor: Principal): Promise<PlanVersion> {
    const now = this.clock.now();
    const org = actor.organisationId;
    const planId = (body as { planId?: unknown })?.planId;
    const draft = payloadFrom('nl.ketenlink.plan.versioned.v1', withoutPlanId(body), {
      trajectoryId,
      planId: typeof planId === 'string' ? planId : randomUUID(),
      version: 1,
      ownerOrganisationId: org,
      versionedByOrganisationId: org,
      versionedAt: now.toISOString(),
    });
    return this.ds.transaction(async (tx) => {
      await this.participating(tx, trajectoryId, actor, now);
      await this.schedules.lockOnly(tx, trajectoryId);
      const v = {
        ...draft,
        version: nextPlanVersion(await this.records.latestPlans(trajectoryId, tx), draft),
      };
      await this.records.addPlanVersion(tx, v);
      await this.events.emit(tx, [
        { type: 'nl.ketenlink.plan.versioned.v1', subject: trajectoryId, data: v },
      ]);
      await this.schedules.apply(
        tx,
        trajectoryId,
        {
          type: 'plan-versioned',
          on: v.effectiveFrom,
          definitive: v.definitive,
          coordinatingOrganisationId: v.coordinatingOrganisationId,
          safetyPlan: v.safetyPlan !== undefined,
        },
        now,
      );
      return v;
    });
  }

  async recordAssessment(
    trajectoryId: string,
    body: unknown,
    actor: Principal,
  ): Promise<RiskAssessment> {
    const now = this.clock.now();
    const a = payloadFrom('nl.ketenlink.risk-assessment.recorded.v1', body, {
      trajectoryId,
      assessmentId: randomUUID(),
      authorOrganisationId: actor.organisationId,
      recordedAt: now.toISOString(),
    });
    checkAssessment(a);
    return this.ds.transaction(async (tx) => {
      await this.participating(tx, trajectoryId, actor, now);
      await this.records.addAssessment(tx, a);
      await this.events.emit(tx, [
        { type: 'nl.ketenlink.risk-assessment.recorded.v1', subject: trajectoryId, data: a },
      ]);
      await this.schedules.apply(
        tx,
        trajectoryId,
        {
          type: 'assessment',
          assessedOn: a.assessedOn,
          expiresOn: a.expiresOn,
          level: a.level,
          setting: a.setting,
        },
        now,
      );
      return a;
    });
  }

  async recordMeeting(
    trajectoryId: string,
    body: unknown,
    actor: Principal,
  ): Promise<{ meeting: Meeting; escalation?: string }> {
    const now = this.clock.now();
    const progressReport = (body as { progressReport?: unknown })?.progressReport === true;
    const m = payloadFrom('nl.ketenlink.meeting.held.v1', withoutFlag(body), {
      trajectoryId,
      meetingId: randomUUID(),
      recordedByOrganisationId: actor.organisationId,
      recordedAt: now.toISOString(),
    });
    const escalation = escalationOf(m);
    return this.ds.transaction(async (tx) => {
      await this.participating(tx, trajectoryId, actor, now);
      await this.records.addMeeting(tx, m);
      const out: Parameters<EventEmitter['emit']>[1][number][] = [
        { type: 'nl.ketenlink.meeting.held.v1', subject: trajectoryId, data: m },
      ];
      if (escalation) {
        out.push({
          type:
            escalation === 'care.escalated'
              ? 'nl.ketenlink.care.escalated.v1'
              : 'nl.ketenlink.care.de-escalated.v1',
          subject: trajectoryId,
          data: {
            trajectoryId,
            decisionId: randomUUID(),
            meetingId: m.meetingId,
            crisis: false,
            decidedAt: m.heldAt,
            decidedByOrganisationId: actor.organisationId,
            reason:
              m.outcome ??
              (escalation === 'care.escalated'
                ? 'Stepped up in the MDO'
                : 'Stepped down in the MDO'),
            recordedAt: m.recordedAt,
          },
        });
      }
      await this.events.emit(tx, out);
      await this.schedules.apply(
        tx,
        trajectoryId,
        {
          type: 'meeting',
          kind: m.kind,
          on: calendarDate(new Date(m.heldAt)),
          ...(m.nextDate ? { nextDate: m.nextDate } : {}),
          progressReport,
        },
        now,
      );
      return { meeting: m, ...(escalation ? { escalation } : {}) };
    });
  }

  /**
   * A progress note on a goal of the current plan version (R-PROGRESS). The service sets the plan
   * and version that hold the goal (unknown goal: 422, nothing stored); a note marked as the
   * periodic report, made with the client, completes the open `progress-report` item.
   */
  async noteProgress(trajectoryId: string, body: unknown, actor: Principal): Promise<ProgressNote> {
    const now = this.clock.now();
    const draft = payloadFrom('nl.ketenlink.plan.progress-noted.v1', body, {
      trajectoryId,
      noteId: randomUUID(),
      // placeholders, validated shape only: the plan holding the goal is looked up below
      planId: randomUUID(),
      planVersion: 1,
      authorOrganisationId: actor.organisationId,
      recordedAt: now.toISOString(),
    });
    checkProgressNote(draft, calendarDate(now));
    return this.ds.transaction(async (tx) => {
      await this.participating(tx, trajectoryId, actor, now);
      await this.schedules.lockOnly(tx, trajectoryId);
      const n: ProgressNote = {
        ...draft,
        ...planOfGoal(await this.records.latestPlans(trajectoryId, tx), draft.goalId),
      };
      await this.records.addProgressNote(tx, n);
      await this.events.emit(tx, [
        { type: 'nl.ketenlink.plan.progress-noted.v1', subject: trajectoryId, data: n },
      ]);
      if (n.periodicReport) {
        await this.schedules.apply(
          tx,
          trajectoryId,
          { type: 'progress-report', on: n.notedOn },
          now,
        );
      }
      return n;
    });
  }
}

function withoutPlanId(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const { planId: _p, ...rest } = body as Record<string, unknown>;
  return rest;
}

function withoutFlag(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const { progressReport, ...rest } = body as Record<string, unknown>;
  if (progressReport !== undefined && typeof progressReport !== 'boolean') return body; // the contract refuses it
  return rest;
}

/** Whether `org` takes part at `now`. */
function takesPart(
  participations: readonly { organisationId: string; from: Date; until?: Date }[],
  org: string,
  now: Date,
): boolean {
  return participations.some(
    (p) => p.organisationId === org && p.from <= now && (!p.until || now < p.until),
  );
}
