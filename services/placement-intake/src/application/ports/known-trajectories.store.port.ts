import type { SqlExecutor } from '@ketenlink/messaging';

export interface KnownTrajectoryOpened {
  readonly trajectoryId: string;
  readonly openedAt: string;
  readonly openedByOrganisationId: string;
  readonly region?: string | undefined;
}

export interface KnownParticipantJoined {
  readonly trajectoryId: string;
  readonly organisationId: string;
  readonly role: string;
  /** First and last day, Europe/Amsterdam calendar dates ('YYYY-MM-DD'). */
  readonly from: string;
  readonly until?: string | undefined;
}

export interface KnownParticipantLeft {
  readonly trajectoryId: string;
  readonly organisationId: string;
  readonly role: string;
  readonly at: string;
}

/**
 * This service's projections of trajectories (from trajectory.opened) and of their participants
 * (from trajectory.participant-joined / -left): written in the consumer's inbox transaction,
 * each write safe to repeat; read when a referrer asks for a placement. Implemented with plain
 * SQL in infrastructure/known-trajectories.store.ts (docs/adr/0014-persistence-style.md).
 */
export abstract class KnownTrajectoriesStore {
  /**
   * Whether `organisationId` may act on a known trajectory at `now`: it opened it, or it takes
   * part in it now (joined on or before `today`, its last day not passed, not left by `now`).
   * `today` is the Europe/Amsterdam calendar date of `now` ('YYYY-MM-DD').
   */
  abstract isParticipantNow(
    trajectoryId: string,
    organisationId: string,
    now: Date,
    today: string,
  ): Promise<boolean>;

  /** A repeat (same trajectory) changes nothing. */
  abstract recordOpened(
    tx: SqlExecutor,
    opened: KnownTrajectoryOpened,
    sourceEventId: string,
  ): Promise<void>;

  /** One row per joined event (keyed by its id): a repeat inserts nothing. */
  abstract recordJoined(
    tx: SqlExecutor,
    joined: KnownParticipantJoined,
    sourceEventId: string,
  ): Promise<void>;

  /**
   * Closes the organisation's open participations in that role. A repeat of the same event
   * changes nothing, even after a later re-join (rows it already closed carry its id).
   */
  abstract recordLeft(
    tx: SqlExecutor,
    left: KnownParticipantLeft,
    sourceEventId: string,
  ): Promise<void>;
}
