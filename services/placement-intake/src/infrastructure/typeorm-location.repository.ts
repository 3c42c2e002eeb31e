import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Location } from '../domain/location';
import { DEFAULT_MATCHING_CONFIG, type MatchingConfig } from '../domain/matching';
import { LocationRecord, MatchingRuleConfigRecord } from './records';

function fromRecord(r: LocationRecord): Location {
  return {
    id: r.id,
    providerOrganisationId: r.providerOrg,
    label: r.label,
    forensicMix: r.forensicMix as Location['forensicMix'],
    substancePolicy: r.substancePolicy as Location['substancePolicy'],
    expertise: r.expertise as Location['expertise'],
    capacity: r.capacity,
    occupancy: r.occupancy,
    excludedOffenceCategories: r.excludedOffenceCategories as Location['excludedOffenceCategories'],
  };
}

function toRecord(l: Location, now: Date): Omit<LocationRecord, 'version'> {
  return {
    id: l.id,
    providerOrg: l.providerOrganisationId,
    label: l.label,
    forensicMix: l.forensicMix,
    substancePolicy: l.substancePolicy,
    expertise: [...l.expertise],
    capacity: l.capacity,
    occupancy: l.occupancy,
    excludedOffenceCategories: [...l.excludedOffenceCategories],
    updatedAt: now,
  };
}

@Injectable()
export class TypeormLocationRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(tx: EntityManager, l: Location, now: Date): Promise<void> {
    await tx.insert(LocationRecord, { ...toRecord(l, now), version: 1 });
  }

  async update(tx: EntityManager, l: Location, now: Date): Promise<void> {
    await tx.update(LocationRecord, { id: l.id }, toRecord(l, now));
  }

  async findForUpdate(tx: EntityManager, id: string): Promise<Location | undefined> {
    const r = await tx
      .getRepository(LocationRecord)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return r ? fromRecord(r) : undefined;
  }

  async findById(id: string): Promise<Location | undefined> {
    const r = await this.ds.getRepository(LocationRecord).findOneBy({ id });
    return r ? fromRecord(r) : undefined;
  }

  async listOf(providerOrganisationId: string, tx?: EntityManager): Promise<Location[]> {
    const repo = (tx ?? this.ds.manager).getRepository(LocationRecord);
    const rows = await repo.find({
      where: { providerOrg: providerOrganisationId },
      order: { label: 'ASC' },
    });
    return rows.map(fromRecord);
  }

  async matchingConfigOf(providerOrganisationId: string): Promise<MatchingConfig> {
    const r = await this.ds
      .getRepository(MatchingRuleConfigRecord)
      .findOneBy({ providerOrg: providerOrganisationId });
    return r ? (r.config as MatchingConfig) : DEFAULT_MATCHING_CONFIG;
  }

  async saveMatchingConfig(
    providerOrganisationId: string,
    config: MatchingConfig,
    subject: string,
    now: Date,
  ): Promise<void> {
    await this.ds
      .getRepository(MatchingRuleConfigRecord)
      .upsert({ providerOrg: providerOrganisationId, config, updatedAt: now, updatedBy: subject }, [
        'providerOrg',
      ]);
  }
}
