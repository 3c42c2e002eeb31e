import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Reads this service's own projection of trajectories (filled from trajectory.opened). */
@Injectable()
export class KnownTrajectoriesQuery {
  constructor(private readonly ds: DataSource) {}

  async openedBy(trajectoryId: string): Promise<string | undefined> {
    const rows: { opened_by_org: string }[] = await this.ds.query(
      `SELECT opened_by_org FROM known_trajectories WHERE trajectory_id = $1`,
      [trajectoryId],
    );
    return rows[0]?.opened_by_org;
  }
}
