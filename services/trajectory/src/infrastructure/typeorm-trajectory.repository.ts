import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Trajectory } from '../domain/trajectory';
import type { TrajectoryRepository } from '../domain/trajectory.repository.port';
import { TrajectoryRecord } from './trajectory.record';

@Injectable()
export class TypeormTrajectoryRepository implements TrajectoryRepository<EntityManager> {
  constructor(private readonly ds: DataSource) {}

  async insert(tx: EntityManager, t: Trajectory): Promise<void> {
    await tx.insert(TrajectoryRecord, {
      id: t.id,
      openedAt: t.openedAt,
      openedByOrg: t.openedBy.organisationId,
      openedByRole: t.openedBy.role,
      openedBySubject: t.openedBy.subject,
      region: t.region ?? null,
      version: 1,
    });
  }

  async findById(id: string): Promise<Trajectory | undefined> {
    const r = await this.ds.getRepository(TrajectoryRecord).findOneBy({ id });
    if (!r) return undefined;
    return {
      id: r.id,
      openedAt: r.openedAt,
      openedBy: { organisationId: r.openedByOrg, role: r.openedByRole, subject: r.openedBySubject },
      ...(r.region ? { region: r.region } : {}),
    };
  }
}
