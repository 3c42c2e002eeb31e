import { Injectable } from '@nestjs/common';
import { isVisibleTo, type Placement } from '../../domain/placement';
import { PlacementStore } from '../ports/placement.store.port';
import { NotFoundError } from '../errors';

@Injectable()
export class PlacementQueriesService {
  constructor(private readonly placements: PlacementStore) {}

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
