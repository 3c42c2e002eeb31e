import { Injectable } from '@nestjs/common';
import type { AccessLogPort, AccessRecord } from '@ketenlink/disclosure';
import { currentTraceparent } from '@ketenlink/observability';
import { DataSource } from 'typeorm';

/**
 * One read of client data through the API (ARCHITECTURE §4): who, what, when, on what basis.
 * The disclosure gate's record; `resource` names what was read (`trajectory`, `participants`,
 * `titles`, `consents`, `identity`, `timeline`).
 */
export type AccessLogEntry = AccessRecord;

export interface AccessLogRow extends Omit<AccessLogEntry, 'at' | 'organisationId' | 'eventIds'> {
  readonly id: string;
  readonly at: string;
  readonly organisationId: string | null;
  readonly eventIds: readonly string[];
  readonly traceId: string | null;
}

export interface AccessLogFilter {
  readonly trajectoryId?: string;
  readonly organisationId?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit: number;
  /** Page after this id (ids only grow). */
  readonly after?: string;
}

/**
 * The append-only access log (a trigger refuses UPDATE and DELETE), the disclosure gate's
 * AccessLogPort. Written before the data is returned: when the log cannot be written, nothing
 * is disclosed.
 */
@Injectable()
export class AccessLog implements AccessLogPort {
  constructor(private readonly ds: DataSource) {}

  async record(entry: AccessLogEntry): Promise<void> {
    const traceId = currentTraceparent()?.split('-')[1] ?? null;
    await this.ds.query(
      `INSERT INTO access_log (subject, organisation_id, roles, trajectory_id, resource, outcome,
         categories, legal_bases, reason, trace_id, reader_kind, event_ids, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        entry.subject,
        entry.organisationId ?? null,
        entry.roles,
        entry.trajectoryId,
        entry.resource,
        entry.outcome,
        entry.categories,
        JSON.stringify(entry.legalBases),
        entry.reason ?? null,
        traceId,
        entry.readerKind,
        entry.eventIds ?? [],
        entry.at,
      ],
    );
  }

  async query(filter: AccessLogFilter): Promise<AccessLogRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.trajectoryId) add('trajectory_id = ?', filter.trajectoryId);
    if (filter.organisationId) add('organisation_id = ?', filter.organisationId);
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    if (filter.after) add('id > ?', filter.after);
    params.push(filter.limit);
    const rows = (await this.ds.query(
      `SELECT * FROM access_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id LIMIT $${params.length}`,
      params,
    )) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: String(r.id),
      at: (r.at as Date).toISOString(),
      subject: String(r.subject),
      readerKind: r.reader_kind as AccessLogEntry['readerKind'],
      organisationId: (r.organisation_id as string | null) ?? null,
      roles: r.roles as string[],
      trajectoryId: String(r.trajectory_id),
      resource: String(r.resource),
      outcome: r.outcome as AccessLogEntry['outcome'],
      categories: r.categories as AccessLogEntry['categories'],
      eventIds: r.event_ids as string[],
      legalBases: r.legal_bases as Record<string, string>,
      ...(r.reason ? { reason: String(r.reason) } : {}),
      traceId: (r.trace_id as string | null) ?? null,
    }));
  }
}
