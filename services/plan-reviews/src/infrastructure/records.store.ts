import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RecordsStore } from '../application/ports/records.store.port';
import type { Meeting, PlanVersion, ProgressNote, RiskAssessment } from '../domain/records';

/** Plans, assessments, meetings and progress notes: each record is its event's payload, kept as jsonb. */
@Injectable()
export class SqlRecordsStore extends RecordsStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async latestPlans(trajectoryId: string, tx?: EntityManager): Promise<PlanVersion[]> {
    const rows = (await (tx ?? this.ds).query(
      `SELECT DISTINCT ON (plan_id) body FROM plan_versions WHERE trajectory_id = $1
        ORDER BY plan_id, version DESC`,
      [trajectoryId],
    )) as { body: PlanVersion }[];
    return rows.map((r) => r.body);
  }

  async addPlanVersion(tx: EntityManager, v: PlanVersion): Promise<void> {
    await tx.query(
      `INSERT INTO plan_versions (plan_id, version, trajectory_id, owner_org, body, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        v.planId,
        v.version,
        v.trajectoryId,
        v.ownerOrganisationId,
        JSON.stringify(v),
        v.versionedAt,
      ],
    );
  }

  async assessments(trajectoryId: string): Promise<RiskAssessment[]> {
    const rows = (await this.ds.query(
      `SELECT body FROM risk_assessments WHERE trajectory_id = $1 ORDER BY recorded_at DESC, id`,
      [trajectoryId],
    )) as { body: RiskAssessment }[];
    return rows.map((r) => r.body);
  }

  async addAssessment(tx: EntityManager, a: RiskAssessment): Promise<void> {
    await tx.query(
      `INSERT INTO risk_assessments (id, trajectory_id, body, recorded_at) VALUES ($1, $2, $3, $4)`,
      [a.assessmentId, a.trajectoryId, JSON.stringify(a), a.recordedAt],
    );
  }

  async addMeeting(tx: EntityManager, m: Meeting): Promise<void> {
    await tx.query(
      `INSERT INTO meetings (id, trajectory_id, kind, body, recorded_at) VALUES ($1, $2, $3, $4, $5)`,
      [m.meetingId, m.trajectoryId, m.kind, JSON.stringify(m), m.recordedAt],
    );
  }

  async progressNotes(trajectoryId: string): Promise<ProgressNote[]> {
    const rows = (await this.ds.query(
      `SELECT body FROM progress_notes WHERE trajectory_id = $1
        ORDER BY noted_on DESC, recorded_at DESC, id`,
      [trajectoryId],
    )) as { body: ProgressNote }[];
    return rows.map((r) => r.body);
  }

  async addProgressNote(tx: EntityManager, n: ProgressNote): Promise<void> {
    await tx.query(
      `INSERT INTO progress_notes (id, trajectory_id, plan_id, goal_id, noted_on, body, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [n.noteId, n.trajectoryId, n.planId, n.goalId, n.notedOn, JSON.stringify(n), n.recordedAt],
    );
  }
}
