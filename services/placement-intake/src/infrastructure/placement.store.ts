import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { PlacementStore } from '../application/ports/placement.store.port';
import type { Placement, PlacementDocument } from '../domain/placement';

/** One row of `placements` as this module selects it (migration 1763900000300). */
interface PlacementRow {
  id: string;
  trajectory_id: string;
  provider_org: string;
  referrer_org: string;
  referrer_kind: string;
  request: Pick<
    Placement,
    | 'title'
    | 'offenceCategory'
    | 'activeSubstanceUse'
    | 'needs'
    | 'urgency'
    | 'djiPlacementReference'
    | 'medicationNotes'
  >;
  documents: (PlacementDocument & { attachedAt: string })[];
  status: string;
  requested_at: Date;
  answer_due_on: string;
  documents_completed_at: Date | null;
  decided_at: Date | null;
  location_id: string | null;
  refusal: Placement['refusal'] | null;
  waitlist: Placement['waitlist'] | null;
  intake_scheduled_for: Date | null;
  moved_in_at: Date | null;
  first_contact_at: Date | null;
  crucial_information: { medication: string; notes?: string; recordedAt: string } | null;
  withdrawal: { withdrawnAt: string; reasonText?: string } | null;
  answer_overdue_notified_at: Date | null;
  crucial_info_overdue_notified_at: Date | null;
}

/** Every column the domain needs; the date column as text, so no time zone can shift it. */
const COLUMNS = `id, trajectory_id, provider_org, referrer_org, referrer_kind, request, documents,
  status, requested_at, answer_due_on::text AS answer_due_on, documents_completed_at, decided_at,
  location_id, refusal, waitlist, intake_scheduled_for, moved_in_at, first_contact_at,
  crucial_information, answer_overdue_notified_at, crucial_info_overdue_notified_at, withdrawal`;

/** The values of every column but `version`, in the order of {@link WRITTEN}. */
function values(p: Placement): unknown[] {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  return [
    p.id,
    p.trajectoryId,
    p.providerOrganisationId,
    p.referrerOrganisationId,
    p.referrerKind,
    json({
      title: p.title,
      offenceCategory: p.offenceCategory,
      activeSubstanceUse: p.activeSubstanceUse,
      needs: p.needs,
      urgency: p.urgency,
      ...(p.djiPlacementReference ? { djiPlacementReference: p.djiPlacementReference } : {}),
      ...(p.medicationNotes ? { medicationNotes: p.medicationNotes } : {}),
    }),
    json(p.documents.map((d) => ({ ...d, attachedAt: d.attachedAt.toISOString() }))),
    p.status,
    p.requestedAt,
    p.answerDueOn,
    p.documentsCompletedAt ?? null,
    p.decidedAt ?? null,
    p.locationId ?? null,
    json(p.refusal),
    json(p.waitlist),
    p.intakeScheduledFor ?? null,
    p.movedInAt ?? null,
    p.firstContactAt ?? null,
    json(
      p.crucialInformation && {
        ...p.crucialInformation,
        recordedAt: p.crucialInformation.recordedAt.toISOString(),
      },
    ),
    p.answerOverdueNotifiedAt ?? null,
    p.crucialInfoOverdueNotifiedAt ?? null,
    json(p.withdrawal && { ...p.withdrawal, withdrawnAt: p.withdrawal.withdrawnAt.toISOString() }),
  ];
}

const WRITTEN = [
  'id',
  'trajectory_id',
  'provider_org',
  'referrer_org',
  'referrer_kind',
  'request',
  'documents',
  'status',
  'requested_at',
  'answer_due_on',
  'documents_completed_at',
  'decided_at',
  'location_id',
  'refusal',
  'waitlist',
  'intake_scheduled_for',
  'moved_in_at',
  'first_contact_at',
  'crucial_information',
  'answer_overdue_notified_at',
  'crucial_info_overdue_notified_at',
  'withdrawal',
] as const;

const INSERT = `INSERT INTO placements (${WRITTEN.join(', ')}, version)
  VALUES (${WRITTEN.map((_, i) => `$${i + 1}`).join(', ')}, 1)`;

const UPDATE = `UPDATE placements
  SET ${WRITTEN.slice(1)
    .map((c, i) => `${c} = $${i + 2}`)
    .join(', ')}, version = version + 1
  WHERE id = $1`;

function opt<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function fromRow(r: PlacementRow): Placement {
  const req = r.request;
  const crucial = r.crucial_information;
  return {
    id: r.id,
    trajectoryId: r.trajectory_id,
    providerOrganisationId: r.provider_org,
    referrerOrganisationId: r.referrer_org,
    referrerKind: r.referrer_kind as Placement['referrerKind'],
    title: req.title,
    offenceCategory: req.offenceCategory,
    activeSubstanceUse: req.activeSubstanceUse,
    needs: req.needs,
    urgency: req.urgency,
    ...opt('djiPlacementReference', req.djiPlacementReference),
    ...opt('medicationNotes', req.medicationNotes),
    documents: r.documents.map((d) => ({ ...d, attachedAt: new Date(d.attachedAt) })),
    status: r.status as Placement['status'],
    requestedAt: r.requested_at,
    answerDueOn: r.answer_due_on,
    ...opt('documentsCompletedAt', r.documents_completed_at),
    ...opt('decidedAt', r.decided_at),
    ...opt('locationId', r.location_id),
    ...opt('refusal', r.refusal),
    ...opt('waitlist', r.waitlist),
    ...opt('intakeScheduledFor', r.intake_scheduled_for),
    ...opt('movedInAt', r.moved_in_at),
    ...opt('firstContactAt', r.first_contact_at),
    ...opt(
      'crucialInformation',
      crucial ? { ...crucial, recordedAt: new Date(crucial.recordedAt) } : null,
    ),
    ...opt('answerOverdueNotifiedAt', r.answer_overdue_notified_at),
    ...opt('crucialInfoOverdueNotifiedAt', r.crucial_info_overdue_notified_at),
    ...opt(
      'withdrawal',
      r.withdrawal ? { ...r.withdrawal, withdrawnAt: new Date(r.withdrawal.withdrawnAt) } : null,
    ),
  };
}

/** Placements with plain SQL on the caller's transaction (docs/adr/0014-persistence-style.md). */
@Injectable()
export class SqlPlacementStore extends PlacementStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  private async rows(db: SqlExecutor, sql: string, params: unknown[]): Promise<PlacementRow[]> {
    return (await db.query(sql, params)) as PlacementRow[];
  }

  async insert(tx: SqlExecutor, p: Placement): Promise<void> {
    await tx.query(INSERT, values(p));
  }

  async update(tx: SqlExecutor, p: Placement): Promise<void> {
    await tx.query(UPDATE, values(p));
  }

  async findForUpdate(tx: SqlExecutor, id: string): Promise<Placement | undefined> {
    const [r] = await this.rows(tx, `SELECT ${COLUMNS} FROM placements WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return r ? fromRow(r) : undefined;
  }

  async findById(id: string): Promise<Placement | undefined> {
    const [r] = await this.rows(this.ds, `SELECT ${COLUMNS} FROM placements WHERE id = $1`, [id]);
    return r ? fromRow(r) : undefined;
  }

  async listFor(organisationId: string): Promise<Placement[]> {
    const rows = await this.rows(
      this.ds,
      `SELECT ${COLUMNS} FROM placements
        WHERE provider_org = $1 OR referrer_org = $1
        ORDER BY requested_at DESC
        LIMIT 200`,
      [organisationId],
    );
    return rows.map(fromRow);
  }

  async reservedAt(tx: SqlExecutor, locationIds: string[]): Promise<Map<string, number>> {
    if (locationIds.length === 0) return new Map();
    const rows = (await tx.query(
      `SELECT location_id, count(*)::int AS n FROM placements
        WHERE location_id = ANY($1) AND status IN ('accepted', 'intake-scheduled')
        GROUP BY location_id`,
      [locationIds],
    )) as { location_id: string; n: number }[];
    return new Map(rows.map((r) => [r.location_id, r.n]));
  }

  async residentsOf(locationId: string): Promise<{ placementId: string; movedInAt: Date }[]> {
    const rows = (await this.ds.query(
      `SELECT id, moved_in_at FROM placements
        WHERE location_id = $1 AND status = 'placed'
        ORDER BY moved_in_at`,
      [locationId],
    )) as { id: string; moved_in_at: Date }[];
    return rows.map((r) => ({ placementId: r.id, movedInAt: r.moved_in_at }));
  }

  /**
   * Locked with SKIP LOCKED, so several instances can sweep at once without reporting anything
   * twice. Each arm of the WHERE is answered from its own partial index.
   */
  async lockPossiblyOverdue(
    tx: SqlExecutor,
    today: string,
    now: Date,
    limit: number,
  ): Promise<Placement[]> {
    const rows = await this.rows(
      tx,
      `SELECT ${COLUMNS} FROM placements
        WHERE (status = 'requested' AND answer_overdue_notified_at IS NULL AND answer_due_on < $1::date)
           OR (first_contact_at IS NOT NULL AND crucial_information IS NULL
               AND crucial_info_overdue_notified_at IS NULL AND first_contact_at < $2::timestamptz - interval '24 hours')
        ORDER BY requested_at
        LIMIT $3
        FOR UPDATE SKIP LOCKED`,
      [today, now.toISOString(), limit],
    );
    return rows.map(fromRow);
  }
}
