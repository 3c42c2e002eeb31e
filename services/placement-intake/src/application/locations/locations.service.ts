import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  freePlaces,
  registerLocation,
  updateLocation,
  type Location,
  type LocationProfile,
} from '../../domain/location';
import { LocationStore } from '../ports/location.store.port';
import { PlacementStore } from '../ports/placement.store.port';
import { NotFoundError } from '../errors';

export interface LocationView {
  readonly location: Location;
  readonly reserved: number;
  readonly freePlaces: number;
}

/** A provider's placement officers keep the profiles of their own organisation's locations. */
@Injectable()
export class LocationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly locations: LocationStore,
    private readonly placements: PlacementStore,
  ) {}

  async register(providerOrganisationId: string, profile: LocationProfile): Promise<LocationView> {
    const location = registerLocation(randomUUID(), providerOrganisationId, profile);
    await this.ds.transaction((tx) => this.locations.insert(tx, location, new Date()));
    return { location, reserved: 0, freePlaces: freePlaces(location, 0) };
  }

  async update(
    providerOrganisationId: string,
    id: string,
    profile: LocationProfile,
  ): Promise<LocationView> {
    return this.ds.transaction(async (tx) => {
      const current = await this.locations.findForUpdate(tx, id);
      if (!current || current.providerOrganisationId !== providerOrganisationId) {
        throw new NotFoundError('location');
      }
      const next = updateLocation(current, profile);
      await this.locations.update(tx, next, new Date());
      const reserved = (await this.placements.reservedAt(tx, [id])).get(id) ?? 0;
      return { location: next, reserved, freePlaces: freePlaces(next, reserved) };
    });
  }

  async list(providerOrganisationId: string): Promise<LocationView[]> {
    const all = await this.locations.listOf(providerOrganisationId);
    const reserved = await this.placements.reservedAt(
      this.ds.manager,
      all.map((l) => l.id),
    );
    return all.map((location) => {
      const r = reserved.get(location.id) ?? 0;
      return { location, reserved: r, freePlaces: freePlaces(location, r) };
    });
  }

  /** Location-level view with its residents: ids and move-in dates only, never a title (R-LOCATION). */
  async get(
    providerOrganisationId: string,
    id: string,
  ): Promise<LocationView & { residents: { placementId: string; movedInAt: Date }[] }> {
    const location = await this.locations.findById(id);
    if (!location || location.providerOrganisationId !== providerOrganisationId) {
      throw new NotFoundError('location');
    }
    const reserved = (await this.placements.reservedAt(this.ds.manager, [id])).get(id) ?? 0;
    const residents = await this.placements.residentsOf(id);
    return { location, reserved, freePlaces: freePlaces(location, reserved), residents };
  }
}
