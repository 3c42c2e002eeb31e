import type { Trajectory } from './trajectory';

/** Persistence port; the transaction handle is opaque to the domain. */
export interface TrajectoryRepository<Tx = unknown> {
  insert(tx: Tx, trajectory: Trajectory): Promise<void>;
  findById(id: string): Promise<Trajectory | undefined>;
}
