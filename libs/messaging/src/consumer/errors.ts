/** Thrown by a handler when the event can never be processed: it goes straight to dead letters. */
export class PermanentEventError extends Error {
  override readonly name = 'PermanentEventError';
}

const TRANSIENT_PG_CODES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);

/**
 * Infrastructure trouble (database or broker away, serialisation conflict): retrying later will
 * succeed, so such an event must never be dead-lettered; the partition waits instead.
 */
export function isTransientInfrastructureError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || TRANSIENT_PG_CODES.has(code) || TRANSIENT_NODE_CODES.has(code))
      return true;
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error|KafkaJSConnectionError|KafkaJSNumberOfRetriesExceeded/i.test(
    `${err.name} ${err.message}`,
  );
}
