import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EventEmitter } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { openTrajectory, type Trajectory } from '../../domain/trajectory';
import { TypeormTrajectoryRepository } from '../../infrastructure/typeorm-trajectory.repository';
import type { OpenTrajectoryCommand } from './open-trajectory.command';

/** Opens a trajectory: the row and its trajectory.opened event commit in one transaction. */
@Injectable()
export class OpenTrajectoryService {
  constructor(
    private readonly ds: DataSource,
    private readonly trajectories: TypeormTrajectoryRepository,
    private readonly events: EventEmitter,
  ) {}

  async execute(cmd: OpenTrajectoryCommand): Promise<Trajectory> {
    const { trajectory, events } = openTrajectory({ id: randomUUID(), now: new Date(), ...cmd });
    await this.ds.transaction(async (tx) => {
      await this.trajectories.insert(tx, trajectory);
      await this.events.emit(
        tx,
        events.map((e) => ({ type: e.type, subject: trajectory.id, data: e.data })),
      );
    });
    return trajectory;
  }
}
