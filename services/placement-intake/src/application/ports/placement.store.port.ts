import type { SqlExecutor } from '@ketenlink/messaging';
import type { Placement } from '../../domain/placement';

/**
 * Placements in this service's database (docs/adr/0014-persistence-style.md). `tx` is the
 * transaction a command runs in (TypeORM's EntityManager inside `DataSource.transaction`, or a
 * consumer's inbox transaction); reads without `tx` use the pool. Implemented with plain SQL in
 * infrastructure/placement.store.ts.
 */
export abstract class PlacementStore {
  abstract insert(tx: SqlExecutor, p: Placement): Promise<void>;
  abstract update(tx: SqlExecutor, p: Placement): Promise<void>;
  /** Row-locked read inside a command's transaction: concurrent commands on one placement queue. */
  abstract findForUpdate(tx: SqlExecutor, id: string): Promise<Placement | undefined>;
  abstract findById(id: string): Promise<Placement | undefined>;
  /** Placements an organisation was asked for or referred, newest first (at most 200). */
  abstract listFor(organisationId: string): Promise<Placement[]>;
  /** Accepted placements not yet moved in, per location: they hold a place. */
  abstract reservedAt(tx: SqlExecutor, locationIds: string[]): Promise<Map<string, number>>;
  /** Residents of a location: placement id and move-in only (R-LOCATION: never the title). */
  abstract residentsOf(locationId: string): Promise<{ placementId: string; movedInAt: Date }[]>;
  /**
   * Candidates for the deadline sweep at `now` (`today` its Amsterdam date), locked, skipping
   * rows another instance holds, oldest request first.
   */
  abstract lockPossiblyOverdue(
    tx: SqlExecutor,
    today: string,
    now: Date,
    limit: number,
  ): Promise<Placement[]>;
}
