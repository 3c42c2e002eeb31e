import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import type { Placement, PlacementDocument } from '../domain/placement';
import { PlacementRecord } from './records';

type Json = Record<string, unknown>;

/** jsonb columns are typed loosely in the record; the row shape is this module's to keep right. */
function toRecord(p: Placement): QueryDeepPartialEntity<PlacementRecord> {
  const row: Omit<PlacementRecord, 'version'> = {
    id: p.id,
    trajectoryId: p.trajectoryId,
    providerOrg: p.providerOrganisationId,
    referrerOrg: p.referrerOrganisationId,
    referrerKind: p.referrerKind,
    request: {
      title: p.title,
      offenceCategory: p.offenceCategory,
      activeSubstanceUse: p.activeSubstanceUse,
      needs: p.needs,
      urgency: p.urgency,
      ...(p.djiPlacementReference ? { djiPlacementReference: p.djiPlacementReference } : {}),
    },
    documents: p.documents.map((d) => ({ ...d, attachedAt: d.attachedAt.toISOString() })),
    status: p.status,
    requestedAt: p.requestedAt,
    answerDueOn: p.answerDueOn,
    documentsCompletedAt: p.documentsCompletedAt ?? null,
    decidedAt: p.decidedAt ?? null,
    locationId: p.locationId ?? null,
    refusal: (p.refusal as Json | undefined) ?? null,
    waitlist: (p.waitlist as Json | undefined) ?? null,
    intakeScheduledFor: p.intakeScheduledFor ?? null,
    movedInAt: p.movedInAt ?? null,
    firstContactAt: p.firstContactAt ?? null,
    crucialInformation: p.crucialInformation
      ? { ...p.crucialInformation, recordedAt: p.crucialInformation.recordedAt.toISOString() }
      : null,
    answerOverdueNotifiedAt: p.answerOverdueNotifiedAt ?? null,
    crucialInfoOverdueNotifiedAt: p.crucialInfoOverdueNotifiedAt ?? null,
  };
  return row as unknown as QueryDeepPartialEntity<PlacementRecord>;
}

function opt<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function fromRecord(r: PlacementRecord): Placement {
  const req = r.request as unknown as Pick<
    Placement,
    | 'title'
    | 'offenceCategory'
    | 'activeSubstanceUse'
    | 'needs'
    | 'urgency'
    | 'djiPlacementReference'
  >;
  const crucial = r.crucialInformation as {
    medication: string;
    notes?: string;
    recordedAt: string;
  } | null;
  return {
    id: r.id,
    trajectoryId: r.trajectoryId,
    providerOrganisationId: r.providerOrg,
    referrerOrganisationId: r.referrerOrg,
    referrerKind: r.referrerKind as Placement['referrerKind'],
    title: req.title,
    offenceCategory: req.offenceCategory,
    activeSubstanceUse: req.activeSubstanceUse,
    needs: req.needs,
    urgency: req.urgency,
    ...opt('djiPlacementReference', req.djiPlacementReference),
    documents: (r.documents as unknown as (PlacementDocument & { attachedAt: string })[]).map(
      (d) => ({ ...d, attachedAt: new Date(d.attachedAt) }),
    ),
    status: r.status as Placement['status'],
    requestedAt: r.requestedAt,
    answerDueOn: r.answerDueOn,
    ...opt('documentsCompletedAt', r.documentsCompletedAt),
    ...opt('decidedAt', r.decidedAt),
    ...opt('locationId', r.locationId),
    ...opt('refusal', r.refusal as Placement['refusal'] | null),
    ...opt('waitlist', r.waitlist as Placement['waitlist'] | null),
    ...opt('intakeScheduledFor', r.intakeScheduledFor),
    ...opt('movedInAt', r.movedInAt),
    ...opt('firstContactAt', r.firstContactAt),
    ...opt(
      'crucialInformation',
      crucial ? { ...crucial, recordedAt: new Date(crucial.recordedAt) } : null,
    ),
    ...opt('answerOverdueNotifiedAt', r.answerOverdueNotifiedAt),
    ...opt('crucialInfoOverdueNotifiedAt', r.crucialInfoOverdueNotifiedAt),
  };
}

@Injectable()
export class TypeormPlacementRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(tx: EntityManager, p: Placement): Promise<void> {
    await tx.insert(PlacementRecord, { ...toRecord(p), version: 1 });
  }

  async update(tx: EntityManager, p: Placement): Promise<void> {
    await tx.update(PlacementRecord, { id: p.id }, toRecord(p));
  }

  /** Row-locked read inside a command's transaction: concurrent commands on one placement queue. */
  async findForUpdate(tx: EntityManager, id: string): Promise<Placement | undefined> {
    const r = await tx
      .getRepository(PlacementRecord)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return r ? fromRecord(r) : undefined;
  }

  async findById(id: string): Promise<Placement | undefined> {
    const r = await this.ds.getRepository(PlacementRecord).findOneBy({ id });
    return r ? fromRecord(r) : undefined;
  }

  async listFor(organisationId: string): Promise<Placement[]> {
    const rows = await this.ds.getRepository(PlacementRecord).find({
      where: [{ providerOrg: organisationId }, { referrerOrg: organisationId }],
      order: { requestedAt: 'DESC' },
      take: 200,
    });
    return rows.map(fromRecord);
  }

  /** Accepted placements not yet moved in, per location: they hold a place. */
  async reservedAt(tx: EntityManager, locationIds: string[]): Promise<Map<string, number>> {
    if (locationIds.length === 0) return new Map();
    const rows: { location_id: string; n: number }[] = await tx.query(
      `SELECT location_id, count(*)::int AS n FROM placements
        WHERE location_id = ANY($1) AND status IN ('accepted', 'intake-scheduled')
        GROUP BY location_id`,
      [locationIds],
    );
    return new Map(rows.map((r) => [r.location_id, r.n]));
  }

  /** Residents of a location: placement id and move-in only (R-LOCATION: never the title). */
  async residentsOf(locationId: string): Promise<{ placementId: string; movedInAt: Date }[]> {
    const rows = await this.ds.getRepository(PlacementRecord).find({
      select: { id: true, movedInAt: true },
      where: { locationId, status: 'placed' },
      order: { movedInAt: 'ASC' },
    });
    return rows.map((r) => ({ placementId: r.id, movedInAt: r.movedInAt! }));
  }

  /**
   * Candidates for the deadline sweep, locked and skipped when another instance holds them, so
   * several instances can sweep at once without reporting anything twice.
   */
  async lockPossiblyOverdue(
    tx: EntityManager,
    today: string,
    now: Date,
    limit: number,
  ): Promise<Placement[]> {
    const ids: { id: string }[] = await tx.query(
      `SELECT id FROM placements
        WHERE (status = 'requested' AND answer_overdue_notified_at IS NULL AND answer_due_on < $1::date)
           OR (first_contact_at IS NOT NULL AND crucial_information IS NULL
               AND crucial_info_overdue_notified_at IS NULL AND first_contact_at < $2::timestamptz - interval '24 hours')
        ORDER BY requested_at
        LIMIT $3
        FOR UPDATE SKIP LOCKED`,
      [today, now.toISOString(), limit],
    );
    if (ids.length === 0) return [];
    const rows = await tx.getRepository(PlacementRecord).findBy({ id: In(ids.map((r) => r.id)) });
    return rows.map(fromRecord);
  }
}
