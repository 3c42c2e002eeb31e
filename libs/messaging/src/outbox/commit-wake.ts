import type { SqlExecutor } from '../sql';

/**
 * Wakes a relay of this process once a transaction that appended to the outbox commits, instead
 * of a NOTIFY (docs/adr/0041-in-process-relay-wake.md). A NOTIFY makes PostgreSQL take one
 * cluster-wide lock from before the commit record until after its flush, so notifying
 * transactions commit one after the other and never group-commit: measured +1.3 ms p50 and
 * +14 ms p95 on the writer's COMMIT (docs/benchmarks.md "What one round trip and one commit cost
 * here"). When the writer's own process runs the relay, an in-process call after the commit says
 * the same thing without that cost.
 *
 * The writer stays ORM-free: the edge that owns the transactions (the TypeORM DataSource, see
 * `wakeRelayAfterCommit` in `typeorm-commit-wake.ts`) registers here how to run a callback after
 * one of its transactions commits. A transaction no registration recognises (a pg client, a
 * process without a relay, a CLI) gets the NOTIFY as before; relays of other processes still
 * LISTEN and still poll, so rows of any writer are published either way.
 */
export interface CommitWake {
  /**
   * Runs `wake` once the transaction behind `tx` has committed (not on a rollback); false when
   * `tx` is not a transaction of this registration, and nothing is registered then.
   */
  afterCommit(tx: SqlExecutor, wake: () => void): boolean;
  /** Wakes the local relay. */
  readonly wake: () => void;
}

const registrations = new Set<CommitWake>();

/** Registers a local relay's wake-up for the transactions `reg` recognises; returns the undo. */
export function registerCommitWake(reg: CommitWake): () => void {
  registrations.add(reg);
  return () => {
    registrations.delete(reg);
  };
}

/** True when a local relay will be woken after `tx` commits (the writer then sends no NOTIFY). */
export function wakeLocalRelayAfterCommit(tx: SqlExecutor): boolean {
  for (const reg of registrations) {
    try {
      if (reg.afterCommit(tx, reg.wake)) return true;
    } catch {
      // Not a transaction this registration can hook: the writer notifies (never fails for it).
    }
  }
  return false;
}
