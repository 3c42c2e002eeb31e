import { Injectable } from '@nestjs/common';
import { isVisibleTo, type Placement } from '../../domain/placement';
import { TypeormPlacementRepository } from '../../infrastructure/typeorm-placement.repository';
import { NotFoundError } from '../errors';

@Injectable()
export class PlacementQueriesService {
  constructor(private readonly placements: TypeormPlacementRepository) {}

  /** A placement the caller's organisation referred or was asked for; otherwise not found. */
  async get(id: string, organisationId: string): Promise<Placement> {
    const p = await this.placements.findById(id);
    if (!p || !isVisibleTo(p, organisationId)) throw new NotFoundError('placement');
    return p;
  }

  list(organisationId: string): Promise<Placement[]> {
    return this.placements.listFor(organisationId);
  }
}
