import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Reads this service's own projections of trajectories (filled from trajectory.opened) and of
 * their participants (filled from trajectory.participant-joined / -left).
 */
@Injectable()
export class KnownTrajectoriesQuery {
  constructor(private readonly ds: DataSource) {}

  /**
   * Whether `organisationId` may act on a known trajectory at `now`: it takes part in it now
   * (joined on or before `today`, its last day not passed, not left by `now`). Having opened it
   * is not enough: the opener joins as a participant (trajectory.participant-joined) and may leave.
   * `today` is the Europe/Amsterdam calendar date of `now` ('YYYY-MM-DD').
   */
  async isParticipantNow(
    trajectoryId: string,
    organisationId: string,
    now: Date,
    today: string,
  ): Promise<boolean> {
    const rows: { ok: boolean }[] = await this.ds.query(
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
    );
    return rows[0]?.ok === true;
  }
}
