import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { PlanVersionedV1, RiskAssessmentRecordedV1 } from '@ketenlink/contracts';
import { EventContext } from '@ketenlink/messaging';
import type { EntityManager } from 'typeorm';
import { SqlPackageSourcesStore } from '../infrastructure/package-sources.store';

export const PLAN_VERSIONED = 'nl.ketenlink.plan.versioned.v1';
export const RISK_ASSESSMENT_RECORDED = 'nl.ketenlink.risk-assessment.recorded.v1';

const instant = (iso: string) => new Date(iso).toISOString();

/**
 * Projects the package's sources from the reviews topic, in the consumer's inbox transaction
 * (the payload was validated against its schema by the consumer before this runs).
 */
@Controller()
export class PackageSourcesEventHandler {
  constructor(private readonly sources: SqlPackageSourcesStore) {}

  @EventPattern(PLAN_VERSIONED)
  async onPlanVersioned(@Payload() data: PlanVersionedV1, @Ctx() ctx: EventContext): Promise<void> {
    await this.sources.record(
      ctx.getTransaction<EntityManager>(),
      {
        eventId: ctx.getEvent().id,
        trajectoryId: data.trajectoryId,
        source: 'plan',
        ordering: `${instant(data.versionedAt)}|${String(data.version).padStart(6, '0')}`,
      },
      data,
    );
  }

  @EventPattern(RISK_ASSESSMENT_RECORDED)
  async onRiskAssessmentRecorded(
    @Payload() data: RiskAssessmentRecordedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.sources.record(
      ctx.getTransaction<EntityManager>(),
      {
        eventId: ctx.getEvent().id,
        trajectoryId: data.trajectoryId,
        source: 'risk-assessment',
        ordering: `${data.assessedOn}|${instant(data.recordedAt)}`,
      },
      data,
    );
  }
}
