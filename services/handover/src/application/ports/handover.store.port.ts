import type { SqlExecutor } from '@ketenlink/messaging';
import type { Handover } from '../../domain/handover';

/**
 * Handovers in this service's database (docs/adr/0014-persistence-style.md); plain SQL in
 * infrastructure/handover.store.ts. `tx` is the command's transaction.
 */
export abstract class HandoverStore {
  abstract insert(tx: SqlExecutor, h: Handover): Promise<void>;
  abstract update(tx: SqlExecutor, h: Handover): Promise<void>;
  /** Row-locked read inside a command's transaction: commands on one handover queue. */
  abstract findForUpdate(tx: SqlExecutor, id: string): Promise<Handover | undefined>;
  abstract findById(id: string): Promise<Handover | undefined>;
  /** Whether an open handover of this trajectory to this receiver exists. */
  abstract hasOpen(tx: SqlExecutor, trajectoryId: string, receivingOrg: string): Promise<boolean>;
  /** Handovers the organisation sends or receives, newest first (at most 200). */
  abstract listFor(organisationId: string): Promise<Handover[]>;
  /** Unanswered requests past their deadline, locked, skipping rows another instance holds. */
  abstract lockOverdue(tx: SqlExecutor, now: Date, limit: number): Promise<Handover[]>;
}
