import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { freePlaces } from '../../domain/location';
import { rankCandidates, type MatchingConfig, type MatchResult } from '../../domain/matching';
import { remainingTitleMonths, type Placement } from '../../domain/placement';
import { LocationStore } from '../ports/location.store.port';
import { PlacementStore } from '../ports/placement.store.port';
import { NotFoundError } from '../errors';

/** Candidate locations for a request, ranked by the provider's own rules (data in the database). */
@Injectable()
export class MatchingService {
  constructor(
    private readonly ds: DataSource,
    private readonly locations: LocationStore,
    private readonly placements: PlacementStore,
  ) {}

  async candidates(
    providerOrganisationId: string,
    placementId: string,
    now = new Date(),
  ): Promise<MatchResult> {
    const p = await this.placements.findById(placementId);
    if (!p || p.providerOrganisationId !== providerOrganisationId)
      throw new NotFoundError('placement');
    return this.candidatesFor(p, now);
  }

  /** Candidates for a placement already read through the disclosure gate, at its provider. */
  async candidatesFor(p: Placement, now = new Date()): Promise<MatchResult> {
    const providerOrganisationId = p.providerOrganisationId;
    const [config, locations] = await Promise.all([
      this.locations.matchingConfigOf(providerOrganisationId),
      this.locations.listOf(providerOrganisationId),
    ]);
    const reserved = await this.placements.reservedAt(
      this.ds.manager,
      locations.map((l) => l.id),
    );
    return rankCandidates(
      config,
      {
        offenceCategory: p.offenceCategory,
        activeSubstanceUse: p.activeSubstanceUse,
        needs: p.needs,
        remainingTitleMonths: remainingTitleMonths(p, now),
      },
      locations.map((location) => ({
        location,
        freePlaces: freePlaces(location, reserved.get(location.id) ?? 0),
      })),
    );
  }

  config(providerOrganisationId: string): Promise<MatchingConfig> {
    return this.locations.matchingConfigOf(providerOrganisationId);
  }

  async saveConfig(
    providerOrganisationId: string,
    config: MatchingConfig,
    subject: string,
  ): Promise<MatchingConfig> {
    await this.locations.saveMatchingConfig(providerOrganisationId, config, subject, new Date());
    return config;
  }
}
