import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import type { Agreement, AgreementVersion, Signature, Termination } from '../domain/agreement';
import { ConcurrentChangeError } from '../domain/errors';
import { AgreementStore } from '../application/ports/agreement.store.port';

interface AgreementRow {
  id: string;
  trajectory_id: string;
  basis: Agreement['basis'];
  parties: Agreement['parties'];
  in_force: number | null;
  termination: (Omit<Termination, 'at'> & { at: string }) | null;
  revision: number;
}
interface VersionRow {
  agreement_id: string;
  version: number;
  terms: AgreementVersion['terms'];
  created_at: Date;
  created_by: AgreementVersion['createdBy'];
  reason: string | null;
  held_on: string | null;
  signatures: (Omit<Signature, 'at'> & { at: string })[];
  activated_at: Date | null;
}

const AGREEMENT_COLUMNS = `id::text, trajectory_id::text, basis, parties, in_force, termination, revision`;
const VERSION_COLUMNS = `agreement_id::text, version, terms, created_at, created_by, reason,
  to_char(held_on, 'YYYY-MM-DD') AS held_on, signatures, activated_at`;

/** Agreements and their versions, plain SQL (ADR 0014); `revision` is the optimistic lock. */
@Injectable()
export class SqlAgreementStore extends AgreementStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async insert(tx: SqlExecutor, a: Agreement): Promise<void> {
    await tx.query(
      `INSERT INTO agreements (id, trajectory_id, basis, parties, in_force, termination, revision)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        a.id,
        a.trajectoryId,
        a.basis,
        a.parties,
        a.inForce ?? null,
        a.termination ?? null,
        a.revision,
      ],
    );
    await this.writeVersions(tx, a);
  }

  async update(tx: SqlExecutor, a: Agreement, expectedRevision: number): Promise<void> {
    const rows = (await tx.query(
      `UPDATE agreements SET in_force = $3, termination = $4, revision = $5
        WHERE id = $1 AND revision = $2 RETURNING id`,
      [a.id, expectedRevision, a.inForce ?? null, a.termination ?? null, a.revision],
    )) as unknown[];
    // TypeORM's query answers UPDATE … RETURNING as [rows, count]
    const updated = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length;
    if (updated === 0) {
      const [current] = (await tx.query(`SELECT revision FROM agreements WHERE id = $1`, [
        a.id,
      ])) as {
        revision: number;
      }[];
      throw new ConcurrentChangeError(expectedRevision, current?.revision ?? -1);
    }
    await this.writeVersions(tx, a);
  }

  private async writeVersions(tx: SqlExecutor, a: Agreement): Promise<void> {
    for (const v of a.versions) {
      await tx.query(
        `INSERT INTO agreement_versions
           (agreement_id, version, terms, created_at, created_by, reason, held_on, signatures, activated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (agreement_id, version)
           DO UPDATE SET signatures = EXCLUDED.signatures, activated_at = EXCLUDED.activated_at`,
        [
          a.id,
          v.version,
          v.terms,
          v.createdAt,
          v.createdBy,
          v.reason ?? null,
          v.heldOn ?? null,
          JSON.stringify(v.signatures),
          v.activatedAt ?? null,
        ],
      );
    }
  }

  async findById(id: string, tx?: SqlExecutor): Promise<Agreement | undefined> {
    const [a] = await this.load(tx, `WHERE id = $1`, [id]);
    return a;
  }

  listByTrajectory(trajectoryId: string, tx?: SqlExecutor): Promise<Agreement[]> {
    return this.load(tx, `WHERE trajectory_id = $1 ORDER BY created_at DESC`, [trajectoryId]);
  }

  async openOf(trajectoryId: string, tx?: SqlExecutor): Promise<Agreement | undefined> {
    const [a] = await this.load(tx, `WHERE trajectory_id = $1 AND termination IS NULL`, [
      trajectoryId,
    ]);
    return a;
  }

  private async load(
    tx: SqlExecutor | undefined,
    where: string,
    params: unknown[],
  ): Promise<Agreement[]> {
    const db = tx ?? this.ds;
    const rows = (await db.query(
      `SELECT ${AGREEMENT_COLUMNS} FROM agreements ${where}`,
      params,
    )) as AgreementRow[];
    if (rows.length === 0) return [];
    const versions = (await db.query(
      `SELECT ${VERSION_COLUMNS} FROM agreement_versions WHERE agreement_id = ANY($1::uuid[]) ORDER BY version`,
      [rows.map((r) => r.id)],
    )) as VersionRow[];
    return rows.map((r) =>
      toAgreement(
        r,
        versions.filter((v) => v.agreement_id === r.id),
      ),
    );
  }
}

function toAgreement(r: AgreementRow, versions: VersionRow[]): Agreement {
  return {
    id: r.id,
    trajectoryId: r.trajectory_id,
    basis: r.basis,
    parties: r.parties,
    versions: versions.map((v): AgreementVersion => ({
      version: v.version,
      terms: v.terms,
      createdAt: v.created_at,
      createdBy: v.created_by,
      ...(v.reason ? { reason: v.reason } : {}),
      ...(v.held_on ? { heldOn: v.held_on } : {}),
      signatures: v.signatures.map((s) => ({ ...s, at: new Date(s.at) })),
      ...(v.activated_at ? { activatedAt: v.activated_at } : {}),
    })),
    ...(r.in_force !== null ? { inForce: r.in_force } : {}),
    ...(r.termination ? { termination: { ...r.termination, at: new Date(r.termination.at) } } : {}),
    revision: r.revision,
  };
}
