import { Injectable } from '@nestjs/common';
import { isVisibleTo, type Trajectory } from '../../domain/trajectory';
import { TypeormTrajectoryRepository } from '../../infrastructure/typeorm-trajectory.repository';

@Injectable()
export class GetTrajectoryService {
  constructor(private readonly trajectories: TypeormTrajectoryRepository) {}

  /** The trajectory if the caller's organisation may see it; otherwise undefined (no existence leak). */
  async execute(id: string, organisationId: string): Promise<Trajectory | undefined> {
    const t = await this.trajectories.findById(id);
    return t && isVisibleTo(t, organisationId) ? t : undefined;
  }
}
