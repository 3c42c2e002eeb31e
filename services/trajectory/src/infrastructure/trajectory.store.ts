import { Injectable } from '@nestjs/common';
import type { DataCategory } from '@ketenlink/contracts';
import type { ConsentRecipient, ParticipantRole } from '@ketenlink/consent';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { TrajectoryStore } from '../application/ports/trajectory.store.port';
import type {
  ConsentEntry,
  ConsentSource,
  LegalTitle,
  ParticipationEntry,
  Trajectory,
  TrajectoryChange,
  TrajectoryState,
} from '../domain/trajectory';
import type { SealedIdentity } from '../application/ports/identity-cipher.port';

type Row = Record<string, unknown>;
const date = (v: unknown): string =>
  v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
const instant = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

/**
 * The trajectory aggregate in PostgreSQL: loads the whole state (optionally locking the
 * trajectory row, so that commands on one trajectory run one at a time) and writes the changes
 * a domain command returns. Plain SQL on the caller's transaction (docs/adr/0014).
 */
@Injectable()
export class SqlTrajectoryStore extends TrajectoryStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async insertTrajectory(tx: SqlExecutor, t: Trajectory): Promise<void> {
    await tx.query(
      `INSERT INTO trajectories (id, opened_at, opened_by_org, opened_by_role, opened_by_subject, region,
         case_lead_org)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        t.id,
        t.openedAt,
        t.openedBy.organisationId,
        t.openedBy.role,
        t.openedBy.subject,
        t.region ?? null,
        t.caseLead.organisationId,
      ],
    );
  }

  /** The state of one trajectory, or undefined. `lock`: hold its row until the tx ends. */
  async load(
    tx: SqlExecutor | undefined,
    id: string,
    opts: { lock?: boolean } = {},
  ): Promise<TrajectoryState | undefined> {
    const q = (sql: string, params: unknown[]) =>
      (tx ?? this.ds).query(sql, params) as Promise<Row[]>;
    const [t] = await q(
      `SELECT * FROM trajectories WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (!t) return undefined;
    const [participations, titles, consents, identity] = await Promise.all([
      q(`SELECT * FROM participations WHERE trajectory_id = $1 ORDER BY valid_from, id`, [id]),
      // Dates as text: node-postgres turns a `date` into local midnight, a day off east of UTC.
      q(
        `SELECT id, kind, start_date::text AS start_date, expected_end_date::text AS expected_end_date,
           actual_end_date::text AS actual_end_date, end_reason, conditions
         FROM legal_titles WHERE trajectory_id = $1 ORDER BY legal_titles.start_date, id`,
        [id],
      ),
      q(`SELECT * FROM consent_records WHERE trajectory_id = $1 ORDER BY recorded_at, id`, [id]),
      q(`SELECT recorded_by_org FROM client_identities WHERE trajectory_id = $1`, [id]),
    ]);
    return {
      trajectory: {
        id: String(t.id),
        openedAt: instant(t.opened_at),
        openedBy: {
          organisationId: String(t.opened_by_org),
          role: t.opened_by_role as Trajectory['openedBy']['role'],
          subject: String(t.opened_by_subject),
        },
        ...(t.region ? { region: String(t.region) } : {}),
        caseLead: { organisationId: String(t.case_lead_org) },
      },
      ...(identity[0] ? { identityHeldBy: String(identity[0].recorded_by_org) } : {}),
      participations: participations.map((p): ParticipationEntry => ({
        id: String(p.id),
        organisationId: String(p.organisation_id),
        role: p.role as ParticipantRole,
        from: instant(p.valid_from),
        ...(p.valid_until ? { until: instant(p.valid_until) } : {}),
      })),
      titles: titles.map((r): LegalTitle => ({
        id: String(r.id),
        kind: r.kind as LegalTitle['kind'],
        startDate: date(r.start_date),
        expectedEndDate: date(r.expected_end_date),
        conditions: r.conditions as LegalTitle['conditions'],
        ...(r.actual_end_date ? { actualEndDate: date(r.actual_end_date) } : {}),
        ...(r.end_reason ? { endReason: r.end_reason as LegalTitle['endReason'] } : {}),
      })),
      consents: consents.map((c): ConsentEntry => ({
        id: String(c.id),
        recipient: { kind: c.recipient_kind, id: c.recipient_id } as ConsentRecipient,
        categories: c.categories as DataCategory[],
        purpose: String(c.purpose),
        legalBasis: c.legal_basis as ConsentEntry['legalBasis'],
        validFrom: instant(c.valid_from),
        ...(c.valid_until ? { validUntil: instant(c.valid_until) } : {}),
        ...(c.revoked_at ? { revokedAt: instant(c.revoked_at) } : {}),
        onWordOf: c.on_word_of as ConsentSource,
        recordedAt: instant(c.recorded_at),
        recordedBy: {
          subject: String(c.recorded_by_subject),
          organisationId: String(c.recorded_by_org),
          ...(c.recorded_by_kind === 'client' ? { kind: 'client' as const } : {}),
        },
        ...(c.evidence_reference ? { evidenceReference: String(c.evidence_reference) } : {}),
        ...(c.covenant ? { covenant: String(c.covenant) } : {}),
      })),
    };
  }

  async apply(
    tx: SqlExecutor,
    trajectoryId: string,
    changes: readonly TrajectoryChange[],
  ): Promise<void> {
    for (const change of changes) {
      switch (change.kind) {
        case 'participation-added': {
          const p = change.participation;
          await tx.query(
            `INSERT INTO participations (id, trajectory_id, organisation_id, role, valid_from, valid_until)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [p.id, trajectoryId, p.organisationId, p.role, p.from, p.until ?? null],
          );
          break;
        }
        case 'participation-ended':
          await tx.query(
            `UPDATE participations SET valid_until = $3 WHERE id = $1 AND trajectory_id = $2`,
            [change.id, trajectoryId, change.until],
          );
          break;
        case 'title-added': {
          const t = change.title;
          await tx.query(
            `INSERT INTO legal_titles (id, trajectory_id, kind, start_date, expected_end_date, conditions)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [
              t.id,
              trajectoryId,
              t.kind,
              t.startDate,
              t.expectedEndDate,
              JSON.stringify(t.conditions),
            ],
          );
          break;
        }
        case 'title-updated': {
          const t = change.title;
          await tx.query(
            `UPDATE legal_titles SET expected_end_date = $3, conditions = $4, actual_end_date = $5,
               end_reason = $6 WHERE id = $1 AND trajectory_id = $2`,
            [
              t.id,
              trajectoryId,
              t.expectedEndDate,
              JSON.stringify(t.conditions),
              t.actualEndDate ?? null,
              t.endReason ?? null,
            ],
          );
          break;
        }
        case 'consent-added': {
          const c = change.consent;
          await tx.query(
            `INSERT INTO consent_records (id, trajectory_id, recipient_kind, recipient_id, categories,
               purpose, legal_basis, valid_from, valid_until, revoked_at, on_word_of, recorded_at,
               recorded_by_subject, recorded_by_org, recorded_by_kind, evidence_reference, covenant)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
            [
              c.id,
              trajectoryId,
              c.recipient.kind,
              c.recipient.id,
              c.categories,
              c.purpose,
              c.legalBasis,
              c.validFrom,
              c.validUntil ?? null,
              c.revokedAt ?? null,
              c.onWordOf,
              c.recordedAt,
              c.recordedBy.subject,
              c.recordedBy.organisationId,
              c.recordedBy.kind ?? 'organisation',
              c.evidenceReference ?? null,
              c.covenant ?? null,
            ],
          );
          break;
        }
        case 'case-lead-transferred':
          await tx.query(`UPDATE trajectories SET case_lead_org = $2 WHERE id = $1`, [
            trajectoryId,
            change.organisationId,
          ]);
          break;
        case 'consent-revoked':
          await tx.query(
            `UPDATE consent_records SET revoked_at = $3 WHERE id = $1 AND trajectory_id = $2`,
            [change.id, trajectoryId, change.revokedAt],
          );
          break;
      }
    }
  }

  async saveIdentity(
    tx: SqlExecutor,
    trajectoryId: string,
    sealed: SealedIdentity,
    by: { subject: string; organisationId: string; at: Date },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO client_identities (trajectory_id, key_id, iv, ciphertext, auth_tag, recorded_at,
         recorded_by_subject, recorded_by_org)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (trajectory_id) DO UPDATE SET key_id = EXCLUDED.key_id, iv = EXCLUDED.iv,
         ciphertext = EXCLUDED.ciphertext, auth_tag = EXCLUDED.auth_tag,
         recorded_at = EXCLUDED.recorded_at, recorded_by_subject = EXCLUDED.recorded_by_subject,
         recorded_by_org = EXCLUDED.recorded_by_org`,
      [
        trajectoryId,
        sealed.keyId,
        sealed.iv,
        sealed.ciphertext,
        sealed.authTag,
        by.at,
        by.subject,
        by.organisationId,
      ],
    );
  }

  async loadIdentity(trajectoryId: string): Promise<SealedIdentity | undefined> {
    const [r] = (await this.ds.query(
      `SELECT key_id, iv, ciphertext, auth_tag FROM client_identities WHERE trajectory_id = $1`,
      [trajectoryId],
    )) as Row[];
    if (!r) return undefined;
    return {
      keyId: String(r.key_id),
      iv: r.iv as Buffer,
      ciphertext: r.ciphertext as Buffer,
      authTag: r.auth_tag as Buffer,
    };
  }
}
