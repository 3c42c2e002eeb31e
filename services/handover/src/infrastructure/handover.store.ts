import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import type { Handover } from '../domain/handover';
import { HandoverStore } from '../application/ports/handover.store.port';

const INSTANTS = new Set([
  'requestedAt',
  'responseDueAt',
  'acceptedAt',
  'at',
  'meetingAt',
  'scheduledAt',
  'heldAt',
  'recordedAt',
  'completedAt',
  'overdueNotifiedAt',
]);

/** The aggregate as stored: instants as ISO strings, revived by key when read. */
function revive(state: unknown): Handover {
  return JSON.parse(JSON.stringify(state), (key, value: unknown) =>
    INSTANTS.has(key) && typeof value === 'string' ? new Date(value) : value,
  ) as Handover;
}

const COLUMNS = `state`;

@Injectable()
export class SqlHandoverStore extends HandoverStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async insert(tx: SqlExecutor, h: Handover): Promise<void> {
    await tx.query(
      `INSERT INTO handovers (id, trajectory_id, sending_org, receiving_org, status,
         response_due_at, overdue_notified_at, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        h.id,
        h.trajectoryId,
        h.sendingOrganisationId,
        h.receivingOrganisationId,
        h.status,
        h.responseDueAt,
        h.overdueNotifiedAt ?? null,
        JSON.stringify(h),
      ],
    );
  }

  async update(tx: SqlExecutor, h: Handover): Promise<void> {
    await tx.query(
      `UPDATE handovers SET status = $2, overdue_notified_at = $3, state = $4, updated_at = now()
        WHERE id = $1`,
      [h.id, h.status, h.overdueNotifiedAt ?? null, JSON.stringify(h)],
    );
  }

  async findForUpdate(tx: SqlExecutor, id: string): Promise<Handover | undefined> {
    const rows = (await tx.query(`SELECT ${COLUMNS} FROM handovers WHERE id = $1 FOR UPDATE`, [
      id,
    ])) as { state: unknown }[];
    return rows[0] ? revive(rows[0].state) : undefined;
  }

  async findById(id: string): Promise<Handover | undefined> {
    const rows = (await this.ds.query(`SELECT ${COLUMNS} FROM handovers WHERE id = $1`, [id])) as {
      state: unknown;
    }[];
    return rows[0] ? revive(rows[0].state) : undefined;
  }

  async hasOpen(tx: SqlExecutor, trajectoryId: string, receivingOrg: string): Promise<boolean> {
    const rows = (await tx.query(
      `SELECT 1 FROM handovers WHERE trajectory_id = $1 AND receiving_org = $2
          AND status IN ('requested', 'accepted', 'meeting-scheduled', 'meeting-held')`,
      [trajectoryId, receivingOrg],
    )) as unknown[];
    return rows.length > 0;
  }

  async listFor(organisationId: string): Promise<Handover[]> {
    const rows = (await this.ds.query(
      `SELECT ${COLUMNS} FROM handovers WHERE sending_org = $1 OR receiving_org = $1
        ORDER BY created_at DESC LIMIT 200`,
      [organisationId],
    )) as { state: unknown }[];
    return rows.map((r) => revive(r.state));
  }

  async lockOverdue(tx: SqlExecutor, now: Date, limit: number): Promise<Handover[]> {
    const rows = (await tx.query(
      `SELECT ${COLUMNS} FROM handovers
        WHERE status = 'requested' AND overdue_notified_at IS NULL AND response_due_at <= $1
        ORDER BY response_due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    )) as { state: unknown }[];
    return rows.map((r) => revive(r.state));
  }
}
