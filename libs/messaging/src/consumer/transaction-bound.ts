import type { SqlExecutor } from '../sql';

const HIDDEN = new Set<PropertyKey>(['connection', 'queryRunner', 'dataSource']);

/** Library-internal (not exported from the package): the manager behind a handler's proxy. */
const TARGET = Symbol('transaction-bound target');

/**
 * The manager behind `tx` when it is a handler's transaction-bound proxy, else `tx`: for the
 * library's own commit hook (outbox/typeorm-commit-wake.ts), never handed to a handler.
 */
export function unbound(tx: SqlExecutor): SqlExecutor {
  return ((tx as { [TARGET]?: SqlExecutor })[TARGET] ?? tx) as SqlExecutor;
}

/**
 * What a handler gets instead of the data source: the inbox transaction's manager, usable only
 * while the handler runs. Its way out of the transaction (`connection`, the data source, and
 * `queryRunner`) is hidden, and once the handler returned every use throws (a revoked proxy),
 * so an effect cannot be written outside the inbox transaction — not later, not elsewhere.
 * Methods run on the real manager, so the ORM itself still works as usual.
 */
export function transactionBound<T extends SqlExecutor>(
  manager: T,
): { manager: T; revoke: () => void } {
  const { proxy, revoke } = Proxy.revocable(manager, {
    get(target, prop) {
      if (prop === TARGET) return target;
      if (HIDDEN.has(prop)) {
        throw new Error(
          `an event handler cannot reach the data source (${String(prop)}): write through the ` +
            'manager it gets, inside the inbox transaction',
        );
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return { manager: proxy, revoke };
}
