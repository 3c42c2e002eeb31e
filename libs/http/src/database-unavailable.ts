import { problemType, statusTitle, type ProblemDetails } from './problem-details';

/** Seconds a caller should wait before sending a command again while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * SQLSTATEs and errnos that mean "the database is not reachable right now", not "this request is
 * wrong": admin/crash shutdown and start-up (57P01–57P03), connection exceptions (class 08), too
 * many connections (53300), and the socket errors of a server that is down or restarting.
 */
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** Connection failures pg and pg-pool report without a code. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /is not queryable/i,
  /Client was closed and is not queryable/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

function codeOf(err: object): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The SQLSTATE or errno (or `connection-lost`) when `exception` — or what it wraps (TypeORM's
 * `driverError`, `cause`, an AggregateError's `errors`) — says PostgreSQL is unreachable.
 */
export function databaseUnavailableCode(exception: unknown, depth = 0): string | undefined {
  if (!exception || typeof exception !== 'object' || depth > 4) return undefined;
  const code = codeOf(exception);
  if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return code;
  const message = (exception as { message?: unknown }).message;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) {
    return code ?? 'connection-lost';
  }
  const inner = exception as { driverError?: unknown; cause?: unknown; errors?: unknown };
  for (const next of [
    inner.driverError,
    inner.cause,
    ...(Array.isArray(inner.errors) ? inner.errors : []),
  ]) {
    const found = databaseUnavailableCode(next, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * 503 problem+json for a request that failed because PostgreSQL is down or restarting: nothing
 * was changed (the transaction did not commit), so the caller may send it again after
 * `Retry-After`. The detail says nothing about the database.
 */
export function databaseUnavailableProblem(): ProblemDetails {
  return {
    type: problemType('service-unavailable'),
    title: statusTitle(503),
    status: 503,
    detail:
      'The service cannot reach its database right now. Nothing was changed; try again later.',
  };
}
