import { Injectable } from '@nestjs/common';
import type { PlanVersionedV1, RiskAssessmentRecordedV1 } from '@ketenlink/contracts';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import type { PackageSources } from '../domain/package';
import { PackageSourcesStore } from '../application/ports/package-sources.port';

export type PackageSourceKind = 'plan' | 'risk-assessment';

/** plan.versioned / risk-assessment.recorded as package sources, latest first when read. */
@Injectable()
export class SqlPackageSourcesStore extends PackageSourcesStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  /** In the inbox transaction; a redelivered event (same id) changes nothing. */
  async record(
    tx: SqlExecutor,
    e: { eventId: string; trajectoryId: string; source: PackageSourceKind; ordering: string },
    payload: object,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO package_sources (event_id, trajectory_id, source, ordering, payload)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING`,
      [e.eventId, e.trajectoryId, e.source, e.ordering, JSON.stringify(payload)],
    );
  }

  async sourcesOf(trajectoryId: string): Promise<Omit<PackageSources, 'titles'>> {
    const rows = (await this.ds.query(
      `SELECT DISTINCT ON (source) source, payload FROM package_sources
        WHERE trajectory_id = $1 ORDER BY source, ordering DESC, received_at DESC`,
      [trajectoryId],
    )) as { source: PackageSourceKind; payload: unknown }[];
    const plan = rows.find((r) => r.source === 'plan')?.payload as PlanVersionedV1 | undefined;
    const risk = rows.find((r) => r.source === 'risk-assessment')?.payload as
      RiskAssessmentRecordedV1 | undefined;
    return {
      ...(plan ? { plan: planOf(plan) } : {}),
      ...(plan?.earlyWarningPlan
        ? { earlyWarningPlan: earlyWarningOf(plan.earlyWarningPlan) }
        : {}),
      ...(risk
        ? {
            riskAssessment: {
              instrument: risk.instrument,
              level: risk.level,
              setting: risk.setting,
              assessedOn: risk.assessedOn,
              expiresOn: risk.expiresOn,
            },
          }
        : {}),
    };
  }
}

function planOf(p: PlanVersionedV1): NonNullable<PackageSources['plan']> {
  return {
    planId: p.planId,
    version: p.version,
    setting: p.setting,
    definitive: p.definitive,
    effectiveFrom: p.effectiveFrom,
    goals: p.goals.map((g) => ({
      description: g.description,
      ...(g.lifeArea ? { lifeArea: g.lifeArea } : {}),
      ...(g.ownerRole ? { ownerRole: g.ownerRole } : {}),
      ...(g.targetDate ? { targetDate: g.targetDate } : {}),
    })),
  };
}

function earlyWarningOf(
  w: NonNullable<PlanVersionedV1['earlyWarningPlan']>,
): NonNullable<PackageSources['earlyWarningPlan']> {
  return {
    ...(w.joint !== undefined ? { joint: w.joint } : {}),
    signals: w.signals.map((s) => ({
      level: s.level,
      description: s.description,
      actions: (s.actions ?? []).map((a) => ({
        description: a.description,
        ...(a.ownerRole ? { ownerRole: a.ownerRole } : {}),
      })),
    })),
  };
}
