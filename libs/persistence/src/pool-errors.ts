import { createLogger } from '@ketenlink/observability';
import type { Client, Pool, PoolClient } from 'pg';

/** How a lost connection is logged: the error's code and message only. */
export type ConnectionErrorLog = (fields: { code?: string; err: string }, msg: string) => void;

/**
 * What may be logged of a connection-level pg error: its SQLSTATE or errno code and message
 * (`terminating connection due to administrator command`, `connect ECONNREFUSED …`). Never the
 * error object itself: it carries the client (connection parameters, buffers, the last query)
 * and Node prints all of that when an `error` event goes unhandled.
 */
export function connectionErrorFields(err: unknown): { code?: string; err: string } {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return { ...(typeof code === 'string' ? { code } : {}), err: message.slice(0, 200) };
}

export function defaultConnectionErrorLog(service: string): ConnectionErrorLog {
  let logger: ReturnType<typeof createLogger> | undefined;
  return (fields, msg) => {
    logger ??= createLogger(service);
    logger.warn(fields, msg);
  };
}

/**
 * Makes a raw pg Pool survive PostgreSQL going away (restart, failover, admin shutdown): an idle
 * client's error and a checked-out client's error are logged instead of crashing the process
 * (`Unhandled 'error' event`). The broken client is not reused (pg-pool drops clients that are no
 * longer queryable on release); the pool opens new connections on demand once PostgreSQL is back.
 */
export function guardPool<P extends Pool>(pool: P, log: ConnectionErrorLog): P {
  pool.on('error', (err: Error) =>
    log(connectionErrorFields(err), 'postgres: idle connection lost; reconnecting on demand'),
  );
  pool.on('connect', (client: PoolClient) => {
    client.on('error', (err: Error) =>
      log(connectionErrorFields(err), 'postgres: connection lost while in use'),
    );
  });
  return pool;
}

/** The same for a lone client (a LISTEN connection). */
export function guardClient<C extends Client>(client: C, log: ConnectionErrorLog): C {
  client.on('error', (err: Error) => log(connectionErrorFields(err), 'postgres: connection lost'));
  return client;
}
