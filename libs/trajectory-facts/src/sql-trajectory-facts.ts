import { Injectable } from '@nestjs/common';
import {
  type ConsentRecord,
  legalDutyUntilOf,
  type ParticipantRole,
  type Participation,
} from '@ketenlink/consent';
import type {
  ConsentGrantedV1,
  ConsentRevokedV1,
  DataCategory,
  OrganisationChangedV1,
  TitleChangedV1,
  TitleEndedV1,
  TitleRegisteredV1,
  TrajectoryCaseLeadTransferredV1,
  TrajectoryOpenedV1,
  TrajectoryParticipantJoinedV1,
  TrajectoryParticipantLeftV1,
} from '@ketenlink/contracts';
import { nextDate, startOfDay } from '@ketenlink/dates';
import type { DisclosureGrant, TrajectoryFacts } from '@ketenlink/disclosure';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import type { ProjectedTitle, TrajectoryFactsPort } from './trajectory-facts.port';

/** Which event a write comes from: its id keys the row, its time orders late arrivals. */
export interface SourceEvent {
  readonly id: string;
  readonly time: string;
}

type Row = Record<string, unknown>;
const text = (v: unknown): string | undefined =>
  v === null || v === undefined ? undefined : String(v);

/**
 * The projection of the trajectory's facts in the service's own database, with plain SQL
 * (docs/adr/0014-persistence-style.md). Writes run in the consumer's inbox transaction and are
 * safe to repeat; reads build the gate's facts.
 */
@Injectable()
export class SqlTrajectoryFacts implements TrajectoryFactsPort {
  constructor(private readonly ds: DataSource) {}

  // ---- writes (TrajectoryFactsEventHandler) ----

  async recordOrganisation(
    tx: SqlExecutor,
    o: OrganisationChangedV1,
    e: SourceEvent,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO facts_organisations
         (organisation_id, kind, identifiers, active_from, active_until, source_event_id, source_time)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (organisation_id) DO UPDATE SET
         kind = excluded.kind, identifiers = excluded.identifiers,
         active_from = excluded.active_from, active_until = excluded.active_until,
         source_event_id = excluded.source_event_id, source_time = excluded.source_time
       WHERE facts_organisations.source_time <= excluded.source_time`,
      [
        o.organisationId,
        o.kind,
        JSON.stringify(o.identifiers ?? {}),
        o.activeFrom,
        o.activeUntil ?? null,
        e.id,
        e.time,
      ],
    );
  }

  async recordOpened(tx: SqlExecutor, d: TrajectoryOpenedV1, e: SourceEvent): Promise<void> {
    await tx.query(
      `INSERT INTO facts_trajectories
         (trajectory_id, opened_at, opened_by_org, opened_by_role, region, case_lead_org, case_lead_at, opened_event_id)
       VALUES ($1, $2, $3, $4, $5, $3, $2, $6)
       ON CONFLICT (trajectory_id) DO UPDATE SET
         opened_at = excluded.opened_at, opened_by_org = excluded.opened_by_org,
         opened_by_role = excluded.opened_by_role, region = excluded.region,
         opened_event_id = excluded.opened_event_id,
         case_lead_org = CASE WHEN facts_trajectories.case_lead_at IS NULL
           OR facts_trajectories.case_lead_at < excluded.case_lead_at
           THEN excluded.case_lead_org ELSE facts_trajectories.case_lead_org END,
         case_lead_at = GREATEST(facts_trajectories.case_lead_at, excluded.case_lead_at)
       WHERE facts_trajectories.opened_event_id IS NULL`,
      [
        d.trajectoryId,
        d.openedAt,
        d.openedBy.organisationId,
        d.openedBy.role,
        d.region ?? null,
        e.id,
      ],
    );
  }

  /** The latest transfer wins, whatever order they arrive in. */
  async recordCaseLead(tx: SqlExecutor, d: TrajectoryCaseLeadTransferredV1): Promise<void> {
    await tx.query(
      `INSERT INTO facts_trajectories (trajectory_id, case_lead_org, case_lead_at)
       VALUES ($1, $2, $3)
       ON CONFLICT (trajectory_id) DO UPDATE SET
         case_lead_org = excluded.case_lead_org, case_lead_at = excluded.case_lead_at
       WHERE facts_trajectories.case_lead_at IS NULL
          OR facts_trajectories.case_lead_at <= excluded.case_lead_at`,
      [d.trajectoryId, d.toOrganisationId, d.at],
    );
  }

  async recordJoined(
    tx: SqlExecutor,
    d: TrajectoryParticipantJoinedV1,
    e: SourceEvent,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO facts_participations
         (joined_event_id, joined_time, trajectory_id, organisation_id, role, valid_from, valid_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (joined_event_id) DO NOTHING`,
      [e.id, e.time, d.trajectoryId, d.organisationId, d.role, d.from, d.until ?? null],
    );
  }

  async recordLeft(tx: SqlExecutor, d: TrajectoryParticipantLeftV1, e: SourceEvent): Promise<void> {
    await tx.query(
      `INSERT INTO facts_participation_ends
         (left_event_id, left_time, trajectory_id, organisation_id, role, at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (left_event_id) DO NOTHING`,
      [e.id, e.time, d.trajectoryId, d.organisationId, d.role, d.at],
    );
  }

  async recordConsentGranted(tx: SqlExecutor, d: ConsentGrantedV1, e: SourceEvent): Promise<void> {
    await tx.query(
      `INSERT INTO facts_consents
         (consent_id, trajectory_id, recipient_kind, recipient_id, categories, purpose, legal_basis,
          valid_from, valid_until, granted_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (consent_id) DO UPDATE SET
         recipient_kind = excluded.recipient_kind, recipient_id = excluded.recipient_id,
         categories = excluded.categories, purpose = excluded.purpose,
         legal_basis = excluded.legal_basis, valid_from = excluded.valid_from,
         valid_until = excluded.valid_until, granted_event_id = excluded.granted_event_id
       WHERE facts_consents.granted_event_id IS NULL`,
      [
        d.consentId,
        d.trajectoryId,
        d.recipient.kind,
        d.recipient.id,
        d.categories,
        d.purpose,
        d.legalBasis,
        d.validFrom,
        d.validUntil ?? null,
        e.id,
      ],
    );
  }

  /** The first withdrawal counts; one before its grant waits for it. */
  async recordConsentRevoked(tx: SqlExecutor, d: ConsentRevokedV1): Promise<void> {
    await tx.query(
      `INSERT INTO facts_consents (consent_id, trajectory_id, revoked_at) VALUES ($1, $2, $3)
       ON CONFLICT (consent_id) DO UPDATE SET
         revoked_at = LEAST(COALESCE(facts_consents.revoked_at, excluded.revoked_at), excluded.revoked_at)`,
      [d.consentId, d.trajectoryId, d.revokedAt],
    );
  }

  async recordTitleRegistered(
    tx: SqlExecutor,
    d: TitleRegisteredV1,
    e: SourceEvent,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO facts_titles
         (title_id, trajectory_id, kind, start_date, expected_end_date, conditions, registered_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (title_id) DO UPDATE SET
         kind = excluded.kind, start_date = excluded.start_date,
         expected_end_date = COALESCE(facts_titles.expected_end_date, excluded.expected_end_date),
         conditions = COALESCE(facts_titles.conditions, excluded.conditions),
         registered_event_id = excluded.registered_event_id
       WHERE facts_titles.registered_event_id IS NULL`,
      [
        d.titleId,
        d.trajectoryId,
        d.kind,
        d.startDate,
        d.expectedEndDate,
        JSON.stringify(d.conditions ?? []),
        e.id,
      ],
    );
  }

  /** Applies only when later than the last change applied (a late earlier change is ignored). */
  async recordTitleChanged(tx: SqlExecutor, d: TitleChangedV1, e: SourceEvent): Promise<void> {
    await tx.query(
      `INSERT INTO facts_titles (title_id, trajectory_id, expected_end_date, conditions, changed_time)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (title_id) DO UPDATE SET
         expected_end_date = COALESCE(excluded.expected_end_date, facts_titles.expected_end_date),
         conditions = COALESCE(excluded.conditions, facts_titles.conditions),
         changed_time = excluded.changed_time
       WHERE facts_titles.changed_time IS NULL OR facts_titles.changed_time < excluded.changed_time`,
      [
        d.titleId,
        d.trajectoryId,
        d.expectedEndDate ?? null,
        d.conditions ? JSON.stringify(d.conditions) : null,
        e.time,
      ],
    );
  }

  /** A title ends once (the trajectory refuses a second end). */
  async recordTitleEnded(tx: SqlExecutor, d: TitleEndedV1): Promise<void> {
    await tx.query(
      `INSERT INTO facts_titles (title_id, trajectory_id, ended_on, end_reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (title_id) DO UPDATE SET ended_on = excluded.ended_on, end_reason = excluded.end_reason
       WHERE facts_titles.ended_on IS NULL`,
      [d.titleId, d.trajectoryId, d.endedOn, d.reason],
    );
  }

  // ---- reads (TrajectoryFactsPort) ----

  /**
   * One statement (ADR 0037): the trajectory's row with its participations, consent records and
   * titles as JSON arrays (the same rows, in the same order, as `participationsOf`,
   * `titlesOf` and the consents read on their own), so a read in the inbox transaction costs one
   * round trip instead of four.
   */
  async factsOf(
    trajectoryId: string,
    options: { readonly grants?: readonly DisclosureGrant[]; readonly tx?: SqlExecutor } = {},
  ): Promise<TrajectoryFacts | undefined> {
    const [row] = (await (options.tx ?? this.ds).query(
      `SELECT ${PARTICIPATIONS.agg} AS participations, ${CONSENTS.agg} AS consents,
              ${TITLES.agg} AS titles
         FROM facts_trajectories
        WHERE trajectory_id = $1 AND opened_event_id IS NOT NULL`,
      [trajectoryId],
    )) as { participations: Row[]; consents: Row[]; titles: Row[] }[];
    if (!row) return undefined;
    const titles = row.titles.map(titleOf);
    const legalDutyUntil = legalDutyUntilOf(titles.map((t) => t.endedOn));
    return {
      trajectoryId,
      participations: row.participations.map(participationOf),
      consents: consentRecordsOf(row.consents),
      ...(options.grants ? { grants: options.grants } : {}),
      ...(legalDutyUntil ? { legalDutyUntil } : {}),
    };
  }

  async participationsOf(trajectoryId: string, tx?: SqlExecutor): Promise<Participation[]> {
    const rows = (await (tx ?? this.ds).query(PARTICIPATIONS.rows, [trajectoryId])) as Row[];
    return rows.map(participationOf);
  }

  async titlesOf(trajectoryId: string, tx?: SqlExecutor): Promise<ProjectedTitle[]> {
    const rows = (await (tx ?? this.ds).query(TITLES.rows, [trajectoryId])) as Row[];
    return rows.map(titleOf);
  }

  async caseLeadOf(trajectoryId: string, tx?: SqlExecutor): Promise<string | undefined> {
    const [row] = (await (tx ?? this.ds).query(
      `SELECT case_lead_org FROM facts_trajectories WHERE trajectory_id = $1 AND opened_event_id IS NOT NULL`,
      [trajectoryId],
    )) as Row[];
    return text(row?.case_lead_org);
  }
}

/**
 * A list read of one trajectory ($1): `rows` on its own, or `agg`, a scalar subquery giving the
 * same rows in the same order as one JSON array (for `factsOf`). Timestamps then arrive as ISO
 * strings instead of Dates: the row mappers take either.
 */
function listRead(select: string, order: string): { rows: string; agg: string } {
  return {
    rows: `SELECT * FROM (${select}) r ORDER BY ${order}`,
    agg: `(SELECT COALESCE(json_agg(r ORDER BY ${order}), '[]'::json) FROM (${select}) r)`,
  };
}

const PARTICIPATIONS = listRead(
  `SELECT p.organisation_id, p.role, p.valid_from::text AS valid_from,
          p.valid_until::text AS valid_until,
          (SELECT min(e.at) FROM facts_participation_ends e
            WHERE e.trajectory_id = p.trajectory_id AND e.organisation_id = p.organisation_id
              AND e.role = p.role AND e.left_time >= p.joined_time
              AND e.at >= (p.valid_from::timestamp AT TIME ZONE 'Europe/Amsterdam')) AS left_at,
          p.joined_time AS sort_time, p.joined_event_id AS sort_id
     FROM facts_participations p
    WHERE p.trajectory_id = $1`,
  'r.sort_time, r.sort_id',
);

const TITLES = listRead(
  `SELECT title_id::text AS title_id, kind, start_date::text AS start_date,
          expected_end_date::text AS expected_end_date, ended_on::text AS ended_on, conditions,
          start_date AS sort_date, t.title_id AS sort_id
     FROM facts_titles t
    WHERE trajectory_id = $1 AND registered_event_id IS NOT NULL`,
  'r.sort_date, r.sort_id',
);

const CONSENTS = listRead(
  `SELECT consent_id::text AS consent_id, recipient_kind, recipient_id, categories, purpose,
          legal_basis, valid_from, valid_until, revoked_at, c.consent_id AS sort_id
     FROM facts_consents c
    WHERE trajectory_id = $1 AND granted_event_id IS NOT NULL`,
  'r.valid_from, r.sort_id',
);

/**
 * As the trajectory service: from the start of the first day, until the start of the day after
 * the last one, or the moment it left, whichever is first.
 */
function participationOf(r: Row): Participation {
  const planned = r.valid_until ? startOfDay(nextDate(String(r.valid_until))) : undefined;
  const left = r.left_at ? new Date(r.left_at as string) : undefined;
  const until =
    planned && left ? (left < planned ? left : planned) : (left ?? planned ?? undefined);
  return {
    organisationId: String(r.organisation_id),
    role: r.role as ParticipantRole,
    from: startOfDay(String(r.valid_from)),
    ...(until ? { until } : {}),
  };
}

function titleOf(r: Row): ProjectedTitle {
  return {
    titleId: String(r.title_id),
    kind: r.kind as ProjectedTitle['kind'],
    startDate: String(r.start_date),
    ...(text(r.expected_end_date) ? { expectedEndDate: String(r.expected_end_date) } : {}),
    ...(text(r.ended_on) ? { endedOn: String(r.ended_on) } : {}),
    conditions: (r.conditions ?? []) as ProjectedTitle['conditions'],
  };
}

/** A class other than the client's relatives names no recipient the policy knows: left out. */
function consentRecordsOf(rows: readonly Row[]): ConsentRecord[] {
  return rows
    .filter((r) => r.recipient_kind === 'organisation' || r.recipient_id === 'relatives')
    .map((r) => ({
      id: String(r.consent_id),
      recipient:
        r.recipient_kind === 'class'
          ? { kind: 'class', id: 'relatives' }
          : { kind: 'organisation', id: String(r.recipient_id) },
      categories: r.categories as DataCategory[],
      purpose: String(r.purpose),
      legalBasis: r.legal_basis as ConsentRecord['legalBasis'],
      validFrom: new Date(r.valid_from as string),
      ...(r.valid_until ? { validUntil: new Date(r.valid_until as string) } : {}),
      ...(r.revoked_at ? { revokedAt: new Date(r.revoked_at as string) } : {}),
    }));
}
