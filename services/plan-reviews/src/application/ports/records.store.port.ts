import type { EntityManager } from 'typeorm';
import type { Meeting, PlanVersion, ProgressNote, RiskAssessment } from '../../domain/records';

export abstract class RecordsStore {
  /** The latest version of every plan of the trajectory. */
  abstract latestPlans(trajectoryId: string, tx?: EntityManager): Promise<PlanVersion[]>;
  abstract addPlanVersion(tx: EntityManager, v: PlanVersion): Promise<void>;
  abstract assessments(trajectoryId: string): Promise<RiskAssessment[]>;
  abstract addAssessment(tx: EntityManager, a: RiskAssessment): Promise<void>;
  abstract addMeeting(tx: EntityManager, m: Meeting): Promise<void>;
  /** The progress notes of the trajectory, newest first. */
  abstract progressNotes(trajectoryId: string): Promise<ProgressNote[]>;
  abstract addProgressNote(tx: EntityManager, n: ProgressNote): Promise<void>;
}
