import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { calendarDate } from '@ketenlink/dates';
import { OrganisationStore } from '../application/ports/organisation.store.port';
import { isActiveOn, type Organisation, type OrganisationKind } from '../domain/organisations';

type Row = Record<string, unknown>;
/** Dates as text: node-pg would turn a `date` into a local-time Date. */
const COLUMNS = `id, kind, name, identifiers, active_from::text AS active_from,
  active_until::text AS active_until`;

function toOrganisation(r: Row): Organisation {
  return {
    id: String(r.id),
    kind: r.kind as OrganisationKind,
    name: String(r.name),
    identifiers: (r.identifiers ?? {}) as Organisation['identifiers'],
    activeFrom: String(r.active_from),
    ...(r.active_until ? { activeUntil: String(r.active_until) } : {}),
  };
}

/** The organisation registry (application/ports/organisation.store.port.ts) in PostgreSQL. */
@Injectable()
export class SqlOrganisationStore extends OrganisationStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async find(id: string, tx?: SqlExecutor): Promise<Organisation | undefined> {
    const [row] = (await (tx ?? this.ds).query(
      `SELECT ${COLUMNS} FROM organisations WHERE id = $1`,
      [id],
    )) as Row[];
    return row ? toOrganisation(row) : undefined;
  }

  /** Several at once, for a command that checks the actor and a target. */
  async findMany(ids: readonly string[], tx?: SqlExecutor): Promise<Map<string, Organisation>> {
    const rows = (await (tx ?? this.ds).query(
      `SELECT ${COLUMNS} FROM organisations WHERE id = ANY($1)`,
      [[...new Set(ids)]],
    )) as Row[];
    return new Map(rows.map((r) => [String(r.id), toOrganisation(r)]));
  }

  async list(): Promise<Organisation[]> {
    const rows = (await this.ds.query(`SELECT ${COLUMNS} FROM organisations ORDER BY id`)) as Row[];
    return rows.map(toOrganisation);
  }

  /** Inserts; false when the id is taken. */
  async insert(tx: SqlExecutor, org: Organisation): Promise<boolean> {
    const rows = (await tx.query(
      `INSERT INTO organisations (id, kind, name, identifiers, active_from, active_until)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        org.id,
        org.kind,
        org.name,
        JSON.stringify(org.identifiers),
        org.activeFrom,
        org.activeUntil ?? null,
      ],
    )) as Row[];
    return rows.length === 1;
  }

  async update(tx: SqlExecutor, org: Organisation): Promise<void> {
    await tx.query(
      `UPDATE organisations SET kind = $2, name = $3, identifiers = $4, active_from = $5,
         active_until = $6, changed_at = now() WHERE id = $1`,
      [
        org.id,
        org.kind,
        org.name,
        JSON.stringify(org.identifiers),
        org.activeFrom,
        org.activeUntil ?? null,
      ],
    );
  }

  async isActive(organisationId: string, at: Date): Promise<boolean> {
    const org = await this.find(organisationId);
    return org !== undefined && isActiveOn(org, calendarDate(at));
  }
}
