import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type {
  AgreementActivatedV1,
  AgreementAmendedV1,
  AgreementTerminatedV1,
  ClientPlacedV1,
  HandoverCancelledV1,
  HandoverCompletedV1,
  HandoverDeclinedV1,
  HandoverRequestedV1,
  IntakeScheduledV1,
  TitleChangedV1,
  TitleEndedV1,
  TitleRegisteredV1,
  TrajectoryCaseLeadTransferredV1,
  TrajectoryOpenedV1,
} from '@ketenlink/contracts';
import { calendarDate } from '@ketenlink/dates';
import { EventContext } from '@ketenlink/messaging';
import type { EntityManager } from 'typeorm';
import type { Period, RuleOverrides } from '../domain/rules';
import type { FactChange } from '../domain/schedule';
import { Clock } from './clock';
import { ScheduleService, type FactsWithAgreement } from './schedule.service';

type Interval = { count: number; unit: 'day' | 'week' | 'month' };
const period = (i: Interval): Period =>
  i.unit === 'month' ? { months: i.count } : { days: i.unit === 'week' ? i.count * 7 : i.count };

/** The agreement's terms that override rule defaults (R-DRIEGESPREK cadence). */
export function agreementRulesOf(terms: { driegesprek?: { every: Interval } }): RuleOverrides {
  return terms.driegesprek ? { 'R-DRIEGESPREK': { cadence: period(terms.driegesprek.every) } } : {};
}

type Terms = { driegesprek?: { every: Interval; nextReviewOn: string } };

/** The facts an agreement version sets: its cadences and its next review date. */
function withAgreement(terms: Terms): (f: FactsWithAgreement) => FactsWithAgreement {
  return (f) => {
    const { agreedReviewOn: _old, ...rest } = f;
    return {
      ...rest,
      agreementRules: agreementRulesOf(terms),
      ...(terms.driegesprek ? { agreedReviewOn: terms.driegesprek.nextReviewOn } : {}),
    };
  };
}

/**
 * The schedules are derived from events alone: trajectory (region, case lead, titles), placement
 * (intake, move-in) and agreement (agreed cadences) events change the facts, and each change
 * reschedules in the consumer's inbox transaction (ctx.getTransaction()), so a redelivered event
 * changes nothing.
 */
@Controller()
export class ScheduleFactsEventHandler {
  constructor(
    private readonly schedules: ScheduleService,
    private readonly clock: Clock,
  ) {}

  private apply(
    ctx: EventContext,
    trajectoryId: string,
    change: FactChange,
    patch?: (f: FactsWithAgreement) => FactsWithAgreement,
  ) {
    return this.schedules.apply(
      ctx.getTransaction<EntityManager>(),
      trajectoryId,
      change,
      this.clock.now(),
      patch,
    );
  }

  @EventPattern('nl.ketenlink.trajectory.opened.v1')
  async onOpened(@Payload() d: TrajectoryOpenedV1, @Ctx() ctx: EventContext): Promise<void> {
    await this.apply(ctx, d.trajectoryId, {
      type: 'trajectory-opened',
      caseLeadOrganisationId: d.openedBy.organisationId,
      ...(d.region ? { region: d.region } : {}),
    });
  }

  @EventPattern('nl.ketenlink.trajectory.case-lead-transferred.v1')
  async onCaseLead(
    @Payload() d: TrajectoryCaseLeadTransferredV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.apply(ctx, d.trajectoryId, {
      type: 'case-lead',
      organisationId: d.toOrganisationId,
    });
  }

  @EventPattern('nl.ketenlink.title.registered.v1')
  async onTitleRegistered(
    @Payload() d: TitleRegisteredV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.apply(ctx, d.trajectoryId, {
      type: 'title',
      title: { titleId: d.titleId, kind: d.kind, expectedEndDate: d.expectedEndDate },
    });
  }

  @EventPattern('nl.ketenlink.title.changed.v1')
  async onTitleChanged(@Payload() d: TitleChangedV1, @Ctx() ctx: EventContext): Promise<void> {
    await this.apply(ctx, d.trajectoryId, {
      type: 'title',
      title: {
        titleId: d.titleId,
        ...(d.expectedEndDate ? { expectedEndDate: d.expectedEndDate } : {}),
      },
    });
  }

  @EventPattern('nl.ketenlink.title.ended.v1')
  async onTitleEnded(@Payload() d: TitleEndedV1, @Ctx() ctx: EventContext): Promise<void> {
    await this.apply(ctx, d.trajectoryId, {
      type: 'title',
      title: { titleId: d.titleId, endedOn: d.endedOn },
    });
  }

  @EventPattern('nl.ketenlink.intake.scheduled.v1')
  async onIntake(@Payload() d: IntakeScheduledV1, @Ctx() ctx: EventContext): Promise<void> {
    await this.apply(ctx, d.trajectoryId, {
      type: 'intake',
      on: calendarDate(new Date(d.scheduledFor)),
      providerOrganisationId: d.providerOrganisationId,
    });
  }

  @EventPattern('nl.ketenlink.client.placed.v1')
  async onPlaced(@Payload() d: ClientPlacedV1, @Ctx() ctx: EventContext): Promise<void> {
    await this.apply(ctx, d.trajectoryId, {
      type: 'moved-in',
      on: calendarDate(new Date(d.movedInAt)),
      providerOrganisationId: d.providerOrganisationId,
    });
  }

  @EventPattern('nl.ketenlink.agreement.activated.v1')
  async onAgreementActivated(
    @Payload() d: AgreementActivatedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.apply(ctx, d.trajectoryId, { type: 'rules-changed' }, withAgreement(d.terms));
  }

  @EventPattern('nl.ketenlink.agreement.amended.v1')
  async onAgreementAmended(
    @Payload() d: AgreementAmendedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.apply(ctx, d.trajectoryId, { type: 'rules-changed' }, withAgreement(d.terms));
  }

  @EventPattern('nl.ketenlink.agreement.terminated.v1')
  async onAgreementTerminated(
    @Payload() d: AgreementTerminatedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.apply(
      ctx,
      d.trajectoryId,
      { type: 'rules-changed' },
      ({ agreementRules: _gone, agreedReviewOn: _date, ...f }) => f,
    );
  }

  private invite(
    ctx: EventContext,
    d: { trajectoryId: string; receivingOrganisationId: string },
    invited: boolean,
  ) {
    const change = { type: 'invite', organisationId: d.receivingOrganisationId, invited } as const;
    return this.apply(ctx, d.trajectoryId, change);
  }

  /** While a handover runs, the receiving organisation is invited to the reviews (R-PLAN-6M). */
  @EventPattern('nl.ketenlink.handover.requested.v1')
  async onHandoverRequested(
    @Payload() d: HandoverRequestedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.invite(ctx, d, true);
  }

  @EventPattern('nl.ketenlink.handover.declined.v1')
  async onHandoverDeclined(
    @Payload() d: HandoverDeclinedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.invite(ctx, d, false);
  }

  @EventPattern('nl.ketenlink.handover.cancelled.v1')
  async onHandoverCancelled(
    @Payload() d: HandoverCancelledV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.invite(ctx, d, false);
  }

  /**
   * A completed handover ends the invitation, is a change of context (reassess, R-RISK) and moves
   * the reviews to the receiving provider (ADR 0033: completion moves responsibility).
   */
  @EventPattern('nl.ketenlink.handover.completed.v1')
  async onHandoverCompleted(
    @Payload() d: HandoverCompletedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.apply(ctx, d.trajectoryId, {
      type: 'handover-completed',
      sendingOrganisationId: d.sendingOrganisationId,
      receivingOrganisationId: d.receivingOrganisationId,
      receiverJoinsOn: d.receiverJoinsOn,
    });
  }
}
