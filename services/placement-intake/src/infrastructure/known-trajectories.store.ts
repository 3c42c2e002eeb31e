import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import {
  KnownTrajectoriesStore,
  type KnownParticipantJoined,
  type KnownParticipantLeft,
  type KnownTrajectoryOpened,
} from '../application/ports/known-trajectories.store.port';

/**
 * This service's projections of trajectories and their participants, with plain SQL
 * (docs/adr/0014-persistence-style.md). Every write is safe to repeat.
 */
@Injectable()
export class SqlKnownTrajectoriesStore extends KnownTrajectoriesStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async isParticipantNow(
    trajectoryId: string,
    organisationId: string,
    now: Date,
    today: string,
  ): Promise<boolean> {
    const rows = (await this.ds.query(
      `SELECT (EXISTS (
                 SELECT 1 FROM trajectory_participants p
                  WHERE p.trajectory_id = k.trajectory_id
                    AND p.organisation_id = $2
                    AND p.valid_from <= $4::date
                    AND (p.valid_until IS NULL OR p.valid_until >= $4::date)
                    AND (p.left_at IS NULL OR p.left_at > $3::timestamptz))) AS ok
         FROM known_trajectories k
        WHERE k.trajectory_id = $1`,
      [trajectoryId, organisationId, now.toISOString(), today],
    )) as { ok: boolean }[];
    return rows[0]?.ok === true;
  }

  async recordOpened(
    tx: SqlExecutor,
    opened: KnownTrajectoryOpened,
    sourceEventId: string,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO known_trajectories (trajectory_id, opened_at, opened_by_org, region, source_event_id)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (trajectory_id) DO NOTHING`,
      [
        opened.trajectoryId,
        opened.openedAt,
        opened.openedByOrganisationId,
        opened.region ?? null,
        sourceEventId,
      ],
    );
  }

  async recordJoined(
    tx: SqlExecutor,
    joined: KnownParticipantJoined,
    sourceEventId: string,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO trajectory_participants
         (source_event_id, trajectory_id, organisation_id, role, valid_from, valid_until)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_event_id) DO NOTHING`,
      [
        sourceEventId,
        joined.trajectoryId,
        joined.organisationId,
        joined.role,
        joined.from,
        joined.until ?? null,
      ],
    );
  }

  async recordLeft(
    tx: SqlExecutor,
    left: KnownParticipantLeft,
    sourceEventId: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE trajectory_participants
          SET left_at = $4, left_event_id = $5
        WHERE trajectory_id = $1 AND organisation_id = $2 AND role = $3 AND left_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM trajectory_participants WHERE left_event_id = $5)`,
      [left.trajectoryId, left.organisationId, left.role, left.at, sourceEventId],
    );
  }
}
