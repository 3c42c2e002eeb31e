import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import type { Incident, Notification, Violation } from '../domain/records';
import { RecordStore } from '../application/ports/agreement.store.port';

/**
 * Records as jsonb (instants as ISO strings) plus the columns the queries and the overdue sweep
 * need. Reads revive the instants.
 */
type Json<T> = {
  [K in keyof T]: T[K] extends Date
    ? string
    : T[K] extends Date | undefined
      ? string | undefined
      : T[K];
};

const NOTIFICATION_DATES = ['raisedAt', 'acknowledgementDueAt', 'overdueReportedAt'] as const;
const INCIDENT_DATES = [
  'occurredAt',
  'inspectorateDeadline',
  'recordedAt',
  'overdueReportedAt',
] as const;

function revive<T>(json: Record<string, unknown>, keys: readonly string[]): T {
  const out: Record<string, unknown> = { ...json };
  for (const k of keys) if (typeof out[k] === 'string') out[k] = new Date(out[k] as string);
  return out as T;
}
function reviveNotification(j: Json<Notification>): Notification {
  const n = revive<Notification>(j as Record<string, unknown>, NOTIFICATION_DATES);
  const ack = j.acknowledged as unknown as { at: string } | undefined;
  return ack ? { ...n, acknowledged: { ...n.acknowledged!, at: new Date(ack.at) } } : n;
}
function reviveIncident(j: Json<Incident>): Incident {
  const i = revive<Incident>(j as Record<string, unknown>, INCIDENT_DATES);
  const rep = j.reported as unknown as { at: string } | undefined;
  return rep ? { ...i, reported: { ...i.reported!, at: new Date(rep.at) } } : i;
}

@Injectable()
export class SqlRecordStore extends RecordStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async insertNotification(tx: SqlExecutor, n: Notification): Promise<void> {
    await tx.query(
      `INSERT INTO notifications (id, trajectory_id, agreement_id, urgency, acknowledgement_due_at,
         acknowledged_at, overdue_reported_at, raised_at, record)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        n.id,
        n.trajectoryId,
        n.agreementId,
        n.urgency,
        n.acknowledgementDueAt ?? null,
        n.acknowledged?.at ?? null,
        n.overdueReportedAt ?? null,
        n.raisedAt,
        JSON.stringify(n),
      ],
    );
  }

  async updateNotification(tx: SqlExecutor, n: Notification): Promise<void> {
    await tx.query(
      `UPDATE notifications SET acknowledged_at = $2, overdue_reported_at = $3, record = $4 WHERE id = $1`,
      [n.id, n.acknowledged?.at ?? null, n.overdueReportedAt ?? null, JSON.stringify(n)],
    );
  }

  async findNotification(
    id: string,
    tx?: SqlExecutor,
    forUpdate = false,
  ): Promise<Notification | undefined> {
    const rows = (await (tx ?? this.ds).query(
      `SELECT record FROM notifications WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    )) as { record: Json<Notification> }[];
    return rows[0] ? reviveNotification(rows[0].record) : undefined;
  }

  async notificationsOf(trajectoryId: string): Promise<Notification[]> {
    const rows = (await this.ds.query(
      `SELECT record FROM notifications WHERE trajectory_id = $1 ORDER BY raised_at`,
      [trajectoryId],
    )) as { record: Json<Notification> }[];
    return rows.map((r) => reviveNotification(r.record));
  }

  async lockOverdueNotifications(
    tx: SqlExecutor,
    now: Date,
    limit: number,
  ): Promise<Notification[]> {
    const rows = (await tx.query(
      `SELECT record FROM notifications
        WHERE urgency = 'urgent' AND acknowledged_at IS NULL AND overdue_reported_at IS NULL
          AND acknowledgement_due_at <= $1
        ORDER BY acknowledgement_due_at LIMIT $2
        FOR UPDATE SKIP LOCKED`,
      [now, limit],
    )) as { record: Json<Notification> }[];
    return rows.map((r) => reviveNotification(r.record));
  }

  async insertViolation(tx: SqlExecutor, v: Violation): Promise<void> {
    await tx.query(
      `INSERT INTO violations (id, trajectory_id, agreement_id, recorded_at, record) VALUES ($1, $2, $3, $4, $5)`,
      [v.id, v.trajectoryId, v.agreementId, v.recordedAt, JSON.stringify(v)],
    );
  }

  async violationsOf(trajectoryId: string): Promise<Violation[]> {
    const rows = (await this.ds.query(
      `SELECT record FROM violations WHERE trajectory_id = $1 ORDER BY recorded_at`,
      [trajectoryId],
    )) as { record: Json<Violation> }[];
    return rows.map((r) => revive<Violation>(r.record as Record<string, unknown>, ['recordedAt']));
  }

  async insertIncident(tx: SqlExecutor, i: Incident): Promise<void> {
    await tx.query(
      `INSERT INTO incidents (id, trajectory_id, reportable, inspectorate_deadline, reported_at,
         overdue_reported_at, recorded_at, record)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        i.id,
        i.trajectoryId,
        i.reportable,
        i.inspectorateDeadline ?? null,
        i.reported?.at ?? null,
        i.overdueReportedAt ?? null,
        i.recordedAt,
        JSON.stringify(i),
      ],
    );
  }

  async updateIncident(tx: SqlExecutor, i: Incident): Promise<void> {
    await tx.query(
      `UPDATE incidents SET reported_at = $2, overdue_reported_at = $3, record = $4 WHERE id = $1`,
      [i.id, i.reported?.at ?? null, i.overdueReportedAt ?? null, JSON.stringify(i)],
    );
  }

  async findIncident(
    id: string,
    tx?: SqlExecutor,
    forUpdate = false,
  ): Promise<Incident | undefined> {
    const rows = (await (tx ?? this.ds).query(
      `SELECT record FROM incidents WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    )) as { record: Json<Incident> }[];
    return rows[0] ? reviveIncident(rows[0].record) : undefined;
  }

  async incidentsOf(trajectoryId: string): Promise<Incident[]> {
    const rows = (await this.ds.query(
      `SELECT record FROM incidents WHERE trajectory_id = $1 ORDER BY recorded_at`,
      [trajectoryId],
    )) as { record: Json<Incident> }[];
    return rows.map((r) => reviveIncident(r.record));
  }

  async lockOverdueIncidents(tx: SqlExecutor, now: Date, limit: number): Promise<Incident[]> {
    const rows = (await tx.query(
      `SELECT record FROM incidents
        WHERE reportable AND reported_at IS NULL AND overdue_reported_at IS NULL
          AND inspectorate_deadline <= $1
        ORDER BY inspectorate_deadline LIMIT $2
        FOR UPDATE SKIP LOCKED`,
      [now, limit],
    )) as { record: Json<Incident> }[];
    return rows.map((r) => reviveIncident(r.record));
  }
}
