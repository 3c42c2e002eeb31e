/** How webhook deliveries are retried (ADR 0030): exponential back-off with "equal jitter". */
export interface RetrySchedule {
  /** Attempts in all, the first included; after the last failure the delivery is dead-lettered. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  maxAttempts: 12,
  baseDelayMs: 1_000,
  maxDelayMs: 10 * 60_000,
};

export type AfterFailure =
  { readonly kind: 'retry'; readonly delayMs: number } | { readonly kind: 'dead-letter' };

/**
 * After failed attempt number `attempts` (1 = the first): retry after base·2^(n−1), capped, of
 * which a random half (`random` in [0,1)) so that many deliveries failing together spread out;
 * or dead-letter when the budget is spent.
 */
export function afterFailure(
  attempts: number,
  schedule: RetrySchedule,
  random: number,
): AfterFailure {
  if (attempts >= schedule.maxAttempts) return { kind: 'dead-letter' };
  const ceiling = Math.min(schedule.maxDelayMs, schedule.baseDelayMs * 2 ** (attempts - 1));
  return { kind: 'retry', delayMs: Math.round(ceiling / 2 + (ceiling / 2) * random) };
}
