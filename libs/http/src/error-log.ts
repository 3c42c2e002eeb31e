/**
 * What the edge logs about an unexpected error (a 5xx): enough to find the bug, nothing of the
 * request. Database errors (TypeORM's QueryFailedError, pg's DatabaseError) carry the statement's
 * parameters and a driver message and detail that echo values, so only their SQLSTATE code,
 * constraint, table and column are kept, with the stack frames. A SyntaxError's message quotes
 * its input; it loses the message too. Other errors keep their stack (our own messages).
 */
export function describeErrorForLog(error: unknown): string {
  if (!(error instanceof Error))
    return typeof error === 'string' ? 'non-Error thrown' : String(typeof error);
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const db = databaseFields(error);
  if (db) return [`${error.name} ${db}`, ...frames].join('\n');
  if (error instanceof SyntaxError) return [error.name, ...frames].join('\n');
  return error.stack ?? `${error.name}: ${error.message}`;
}

const NAMING_FIELDS = ['code', 'constraint', 'table', 'column', 'schema', 'routine'] as const;

function databaseFields(error: Error): string | undefined {
  const e = error as Error & { driverError?: unknown; severity?: unknown; query?: unknown };
  const isDb =
    e.name === 'QueryFailedError' ||
    e.name === 'DatabaseError' ||
    e.driverError !== undefined ||
    (typeof e.severity === 'string' && typeof (e as { code?: unknown }).code === 'string');
  if (!isDb) return undefined;
  const source = (e.driverError ?? e) as Record<string, unknown>;
  return NAMING_FIELDS.filter((k) => typeof source[k] === 'string' && source[k])
    .map((k) => `${k}=${String(source[k])}`)
    .join(' ');
}
