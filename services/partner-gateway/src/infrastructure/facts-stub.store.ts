import { Injectable } from '@nestjs/common';
import type { DataCategory } from '@ketenlink/contracts';
import type { ConsentRecord, ParticipantRole, Participation } from '@ketenlink/consent';
import type { TrajectoryFacts } from '@ketenlink/disclosure';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { GatewayFacts } from '../application/ports/facts.port';

type Data = Record<string, unknown>;

interface ConsentRow {
  consent_id: string;
  recipient_kind: 'organisation' | 'class';
  recipient_id: string;
  categories: DataCategory[];
  purpose: string;
  legal_basis: ConsentRecord['legalBasis'];
  valid_from: Date;
  valid_until: Date | null;
  revoked_at: Date | null;
}

const asRecord = (r: ConsentRow): ConsentRecord => ({
  id: r.consent_id,
  recipient:
    r.recipient_kind === 'organisation'
      ? { kind: 'organisation', id: r.recipient_id }
      : { kind: 'class', id: 'relatives' },
  categories: r.categories,
  purpose: r.purpose,
  legalBasis: r.legal_basis,
  validFrom: r.valid_from,
  ...(r.valid_until ? { validUntil: r.valid_until } : {}),
  ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}),
});

/**
 * Stand-in for @ketenlink/trajectory-facts (same port shape): the participations, consent
 * records and registered organisations projected from the trajectory topic.
 */
@Injectable()
export class StubTrajectoryFacts extends GatewayFacts {
  constructor(private readonly ds: DataSource) {
    super();
  }

  private q(tx?: SqlExecutor): SqlExecutor {
    return tx ?? (this.ds as unknown as SqlExecutor);
  }

  async factsOf(trajectoryId: string, tx?: SqlExecutor): Promise<TrajectoryFacts | undefined> {
    const db = this.q(tx);
    const known = (await db.query(`SELECT 1 FROM gw_trajectories WHERE trajectory_id = $1`, [
      trajectoryId,
    ])) as unknown[];
    if (known.length === 0) return undefined;
    const parts = (await db.query(
      `SELECT organisation_id, role, from_at, until_at FROM gw_participations WHERE trajectory_id = $1`,
      [trajectoryId],
    )) as {
      organisation_id: string;
      role: ParticipantRole;
      from_at: Date;
      until_at: Date | null;
    }[];
    const consents = (await db.query(`SELECT * FROM gw_consents WHERE trajectory_id = $1`, [
      trajectoryId,
    ])) as ConsentRow[];
    const participations: Participation[] = parts.map((p) => ({
      organisationId: p.organisation_id,
      role: p.role,
      from: p.from_at,
      ...(p.until_at ? { until: p.until_at } : {}),
    }));
    return { trajectoryId, participations, consents: consents.map(asRecord) };
  }

  async consentOf(consentId: string, tx?: SqlExecutor): Promise<ConsentRecord | undefined> {
    const rows = (await this.q(tx).query(`SELECT * FROM gw_consents WHERE consent_id = $1`, [
      consentId,
    ])) as ConsentRow[];
    return rows[0] ? asRecord(rows[0]) : undefined;
  }

  async isRegisteredOrganisation(organisationId: string, tx?: SqlExecutor): Promise<boolean> {
    const rows = (await this.q(tx).query(`SELECT 1 FROM gw_organisations WHERE id = $1`, [
      organisationId,
    ])) as unknown[];
    return rows.length > 0;
  }

  async project(tx: SqlExecutor, event: { id: string; type: string; data: unknown }) {
    const d = event.data as Data;
    switch (event.type) {
      case 'nl.ketenlink.organisation.registered.v1':
        await tx.query(
          `INSERT INTO gw_organisations (id, kind) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`,
          [d.organisationId, d.kind],
        );
        return;
      case 'nl.ketenlink.trajectory.opened.v1':
        await tx.query(
          `INSERT INTO gw_trajectories (trajectory_id) VALUES ($1) ON CONFLICT DO NOTHING`,
          [d.trajectoryId],
        );
        return;
      case 'nl.ketenlink.trajectory.participant-joined.v1':
        await tx.query(
          `INSERT INTO gw_participations (trajectory_id, organisation_id, role, from_at, until_at, source_event_id)
           VALUES ($1, $2, $3, ($4::date)::timestamp AT TIME ZONE 'Europe/Amsterdam',
                   (($5::date) + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam', $6)
           ON CONFLICT (source_event_id) DO NOTHING`,
          [d.trajectoryId, d.organisationId, d.role, d.from, d.until ?? null, event.id],
        );
        return;
      case 'nl.ketenlink.trajectory.participant-left.v1':
        await tx.query(
          `UPDATE gw_participations SET until_at = LEAST(COALESCE(until_at, $4::timestamptz), $4::timestamptz)
            WHERE trajectory_id = $1 AND organisation_id = $2 AND role = $3`,
          [d.trajectoryId, d.organisationId, d.role, d.at],
        );
        return;
      case 'nl.ketenlink.consent.granted.v1': {
        const r = d.recipient as { kind: string; id: string };
        await tx.query(
          `INSERT INTO gw_consents (consent_id, trajectory_id, recipient_kind, recipient_id,
             categories, purpose, legal_basis, valid_from, valid_until)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (consent_id) DO NOTHING`,
          [
            d.consentId,
            d.trajectoryId,
            r.kind,
            r.id,
            d.categories,
            d.purpose,
            d.legalBasis,
            d.validFrom,
            d.validUntil ?? null,
          ],
        );
        return;
      }
      case 'nl.ketenlink.consent.revoked.v1':
        await tx.query(
          `UPDATE gw_consents SET revoked_at = COALESCE(revoked_at, $2) WHERE consent_id = $1`,
          [d.consentId, d.revokedAt],
        );
        return;
      default:
        return;
    }
  }
}
