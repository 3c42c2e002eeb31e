import type { SqlExecutor } from '@ketenlink/messaging';
import type { Trajectory, TrajectoryChange, TrajectoryState } from '../../domain/trajectory';
import type { SealedIdentity } from './identity-cipher.port';

/**
 * The trajectory aggregate in this service's database (docs/adr/0014-persistence-style.md).
 * `tx` is the command's transaction (TypeORM's EntityManager inside `DataSource.transaction`,
 * or the consumer's inbox transaction). Implemented with plain SQL in
 * infrastructure/trajectory.store.ts.
 */
export abstract class TrajectoryStore {
  abstract insertTrajectory(tx: SqlExecutor, t: Trajectory): Promise<void>;

  /** The state of one trajectory, or undefined. `lock`: hold its row until `tx` ends. */
  abstract load(
    tx: SqlExecutor | undefined,
    id: string,
    opts?: { lock?: boolean },
  ): Promise<TrajectoryState | undefined>;

  /** Writes the changes a domain command returned. */
  abstract apply(
    tx: SqlExecutor,
    trajectoryId: string,
    changes: readonly TrajectoryChange[],
  ): Promise<void>;

  /** Stores (or replaces) the trajectory's sealed identity, with who recorded it. */
  abstract saveIdentity(
    tx: SqlExecutor,
    trajectoryId: string,
    sealed: SealedIdentity,
    by: { subject: string; organisationId: string; at: Date },
  ): Promise<void>;

  abstract loadIdentity(trajectoryId: string): Promise<SealedIdentity | undefined>;
}
