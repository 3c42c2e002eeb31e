import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { LocationStore } from '../application/ports/location.store.port';
import type { Location } from '../domain/location';
import { DEFAULT_MATCHING_CONFIG, type MatchingConfig } from '../domain/matching';

/** One row of `locations` as this module selects it (migration 1763900000300). */
interface LocationRow {
  id: string;
  provider_org: string;
  label: string;
  forensic_mix: string;
  substance_policy: string;
  expertise: string[];
  capacity: number;
  occupancy: number;
  excluded_offence_categories: string[];
}

const COLUMNS = `id, provider_org, label, forensic_mix, substance_policy, expertise, capacity,
  occupancy, excluded_offence_categories`;

function fromRow(r: LocationRow): Location {
  return {
    id: r.id,
    providerOrganisationId: r.provider_org,
    label: r.label,
    forensicMix: r.forensic_mix as Location['forensicMix'],
    substancePolicy: r.substance_policy as Location['substancePolicy'],
    expertise: r.expertise as Location['expertise'],
    capacity: r.capacity,
    occupancy: r.occupancy,
    excludedOffenceCategories:
      r.excluded_offence_categories as Location['excludedOffenceCategories'],
  };
}

/** $1 … $10 in this order for both INSERT and UPDATE. */
function values(l: Location, now: Date): unknown[] {
  return [
    l.id,
    l.providerOrganisationId,
    l.label,
    l.forensicMix,
    l.substancePolicy,
    [...l.expertise],
    l.capacity,
    l.occupancy,
    [...l.excludedOffenceCategories],
    now,
  ];
}

/** Locations and matching rules with plain SQL (docs/adr/0014-persistence-style.md). */
@Injectable()
export class SqlLocationStore extends LocationStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async insert(tx: SqlExecutor, l: Location, now: Date): Promise<void> {
    await tx.query(
      `INSERT INTO locations (id, provider_org, label, forensic_mix, substance_policy, expertise,
         capacity, occupancy, excluded_offence_categories, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)`,
      values(l, now),
    );
  }

  async update(tx: SqlExecutor, l: Location, now: Date): Promise<void> {
    await tx.query(
      `UPDATE locations SET provider_org = $2, label = $3, forensic_mix = $4, substance_policy = $5,
         expertise = $6, capacity = $7, occupancy = $8, excluded_offence_categories = $9,
         updated_at = $10, version = version + 1
       WHERE id = $1`,
      values(l, now),
    );
  }

  async findForUpdate(tx: SqlExecutor, id: string): Promise<Location | undefined> {
    const [r] = (await tx.query(`SELECT ${COLUMNS} FROM locations WHERE id = $1 FOR UPDATE`, [
      id,
    ])) as LocationRow[];
    return r ? fromRow(r) : undefined;
  }

  async findById(id: string): Promise<Location | undefined> {
    const [r] = (await this.ds.query(`SELECT ${COLUMNS} FROM locations WHERE id = $1`, [
      id,
    ])) as LocationRow[];
    return r ? fromRow(r) : undefined;
  }

  async listOf(providerOrganisationId: string, tx?: SqlExecutor): Promise<Location[]> {
    const rows = (await (tx ?? this.ds).query(
      `SELECT ${COLUMNS} FROM locations WHERE provider_org = $1 ORDER BY label`,
      [providerOrganisationId],
    )) as LocationRow[];
    return rows.map(fromRow);
  }

  async matchingConfigOf(providerOrganisationId: string): Promise<MatchingConfig> {
    const [r] = (await this.ds.query(
      `SELECT config FROM matching_rule_configs WHERE provider_org = $1`,
      [providerOrganisationId],
    )) as { config: MatchingConfig }[];
    return r ? r.config : DEFAULT_MATCHING_CONFIG;
  }

  async saveMatchingConfig(
    providerOrganisationId: string,
    config: MatchingConfig,
    subject: string,
    now: Date,
  ): Promise<void> {
    await this.ds.query(
      `INSERT INTO matching_rule_configs (provider_org, config, updated_at, updated_by)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (provider_org) DO UPDATE
         SET config = EXCLUDED.config, updated_at = EXCLUDED.updated_at,
             updated_by = EXCLUDED.updated_by`,
      [providerOrganisationId, JSON.stringify(config), now, subject],
    );
  }
}
