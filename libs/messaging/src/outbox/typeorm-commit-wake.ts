import type {
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { unbound } from '../consumer/transaction-bound';
import type { SqlExecutor } from '../sql';
import { registerCommitWake } from './commit-wake';

/**
 * The TypeORM edge of the in-process relay wake-up (commit-wake.ts): `tx` is one of `ds`'s
 * transaction managers when its query runner belongs to `ds` and has a transaction open; the
 * wake-up runs from TypeORM's `afterTransactionCommit` of the outermost transaction (a savepoint's
 * RELEASE is not a commit), and is dropped on the outermost rollback. Returns the undo.
 */
export function wakeRelayAfterCommit(ds: DataSource, wake: () => void): () => void {
  const waiting = new WeakMap<QueryRunner, () => void>();
  const subscriber: EntitySubscriberInterface = {
    afterTransactionCommit(event: TransactionCommitEvent): void {
      const qr = event.queryRunner;
      if (qr.isTransactionActive) return; // a savepoint released: the transaction goes on
      const fn = waiting.get(qr);
      waiting.delete(qr);
      fn?.();
    },
    afterTransactionRollback(event: TransactionRollbackEvent): void {
      if (!event.queryRunner.isTransactionActive) waiting.delete(event.queryRunner);
    },
  };
  // TypeORM's broadcaster reads `ds.subscribers` at every event, so one added now takes part.
  ds.subscribers.push(subscriber);
  const unregister = registerCommitWake({
    wake,
    afterCommit(tx: SqlExecutor, fn: () => void): boolean {
      // A handler's manager is a proxy that hides its query runner from the handler.
      const qr = (unbound(tx) as { queryRunner?: QueryRunner }).queryRunner;
      if (!qr || qr.connection !== ds || !qr.isTransactionActive) return false;
      waiting.set(qr, fn);
      return true;
    },
  });
  return () => {
    unregister();
    const i = ds.subscribers.indexOf(subscriber);
    if (i >= 0) ds.subscribers.splice(i, 1);
  };
}
