import { Injectable } from '@nestjs/common';
import type { AccessLogPort, AccessRecord } from '@ketenlink/disclosure';
import { currentTraceparent } from '@ketenlink/observability';
import { DataSource } from 'typeorm';

/**
 * agreements's own append-only access log, the disclosure gate's port: every read of an
 * agreement or record (disclosed or refused) with the basis per category, written before the answer.
 */
@Injectable()
export class AgreementsAccessLog implements AccessLogPort {
  constructor(private readonly ds: DataSource) {}

  async record(entry: AccessRecord): Promise<void> {
    await this.ds.query(
      `INSERT INTO access_log (at, reader_kind, subject, organisation_id, roles, trajectory_id,
         resource, outcome, categories, legal_bases, reason, trace_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        entry.at,
        entry.readerKind,
        entry.subject,
        entry.organisationId ?? null,
        entry.roles,
        entry.trajectoryId,
        entry.resource,
        entry.outcome,
        entry.categories,
        JSON.stringify(entry.legalBases),
        entry.reason ?? null,
        currentTraceparent()?.split('-')[1] ?? null,
      ],
    );
  }
}
