/**
 * The one thing the messaging library needs from a transaction: run SQL with parameters.
 * A TypeORM EntityManager and a pg PoolClient both fit, so the library stays ORM-free.
 */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Runs `work` in one database transaction and commits it, or rolls back when it throws. */
export type TransactionRunner = <T>(work: (tx: SqlExecutor) => Promise<T>) => Promise<T>;

export const OUTBOX_CHANNEL = 'ketenlink_outbox';
