import { Injectable } from '@nestjs/common';
import type { OrganisationDirectory } from '@ketenlink/auth';
import { calendarDate } from '@ketenlink/dates';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import type { ProjectedOrganisation } from './trajectory-facts.port';

/**
 * The organisation registry as this service projected it (organisation.registered / changed):
 * the OrganisationDirectory of libs/auth, so a token of an organisation that is not registered,
 * or not active today (Europe/Amsterdam), gets 403 — as in the trajectory service. Pass the class
 * itself as the option (it carries its own factory):
 *
 *   AuthModule.forRoot({}, { organisationDirectory: ProjectedOrganisationDirectory })
 */
@Injectable()
export class ProjectedOrganisationDirectory implements OrganisationDirectory {
  static readonly inject = [DataSource];
  static useFactory(ds: DataSource): ProjectedOrganisationDirectory {
    return new ProjectedOrganisationDirectory(ds);
  }

  constructor(private readonly ds: DataSource) {}

  async isActive(organisationId: string, at: Date): Promise<boolean> {
    const rows = (await this.ds.query(
      `SELECT 1 FROM facts_organisations
        WHERE organisation_id = $1 AND active_from <= $2::date
          AND (active_until IS NULL OR active_until >= $2::date)`,
      [organisationId, calendarDate(at)],
    )) as unknown[];
    return rows.length > 0;
  }

  /** The projected entry (kind, identifiers, active period), if registered. */
  async find(organisationId: string, tx?: SqlExecutor): Promise<ProjectedOrganisation | undefined> {
    const [r] = (await (tx ?? this.ds).query(
      `SELECT organisation_id, kind, identifiers, active_from::text AS active_from,
              active_until::text AS active_until
         FROM facts_organisations WHERE organisation_id = $1`,
      [organisationId],
    )) as Record<string, unknown>[];
    if (!r) return undefined;
    return {
      organisationId: String(r.organisation_id),
      kind: String(r.kind),
      identifiers: (r.identifiers ?? {}) as ProjectedOrganisation['identifiers'],
      activeFrom: String(r.active_from),
      ...(r.active_until ? { activeUntil: String(r.active_until) } : {}),
    };
  }
}
