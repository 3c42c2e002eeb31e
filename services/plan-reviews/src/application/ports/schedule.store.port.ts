import type { EntityManager } from 'typeorm';
import type { RuleOverrides } from '../../domain/rules';
import type { ReviewItem, ScheduleFacts } from '../../domain/schedule';

export interface AgendaEntry extends ReviewItem {
  readonly firedAt?: Date;
}

export interface AgendaPage {
  readonly items: readonly AgendaEntry[];
  readonly total: number;
}

/** Schedules in SQL (docs/adr/0027). Every method that writes runs in the caller's transaction. */
export abstract class ScheduleStore {
  /** The facts row locked FOR UPDATE (created empty when new) and the trajectory's live items. */
  abstract lock(
    tx: EntityManager,
    trajectoryId: string,
  ): Promise<{ facts: ScheduleFacts; items: ReviewItem[] }>;
  abstract save(
    tx: EntityManager,
    facts: ScheduleFacts,
    items: readonly ReviewItem[],
    now: Date,
  ): Promise<void>;
  /**
   * Trajectories with a timer due at `now`, at most `limit`, their facts rows locked with SKIP
   * LOCKED (another instance holds the rest).
   */
  abstract claimDue(tx: EntityManager, now: Date, limit: number): Promise<string[]>;
  abstract regionRules(
    tx: EntityManager,
    region: string | undefined,
  ): Promise<RuleOverrides | undefined>;
  abstract setRegionRules(region: string, rules: RuleOverrides, by: string): Promise<void>;
  abstract trajectoriesIn(region: string): Promise<string[]>;
  abstract agenda(
    organisationId: string,
    states: readonly string[],
    page: { limit: number; offset: number },
  ): Promise<AgendaPage>;
}
