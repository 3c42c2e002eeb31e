import { intervalFromEnv } from '@ketenlink/service-runtime';

/** Configuration of the handover service, read once from the environment. */
export const HANDOVER_CONFIG = Symbol('ketenlink.handover.config');

export interface HandoverConfig {
  /** How long a receiver has to accept or decline before handover.overdue. */
  readonly responseWithinMs: number;
  /** How often the overdue sweep runs; 0 turns the timer off (tests drive the sweep). */
  readonly sweepIntervalMs: number;
}

const HOUR = 3_600_000;

export function handoverConfigFromEnv(env: NodeJS.ProcessEnv = process.env): HandoverConfig {
  const hours = intervalFromEnv('HANDOVER_RESPONSE_WITHIN_HOURS', 5 * 24, env);
  if (hours === 0) throw new Error('HANDOVER_RESPONSE_WITHIN_HOURS must be > 0');
  return {
    responseWithinMs: hours * HOUR,
    sweepIntervalMs: intervalFromEnv('HANDOVER_OVERDUE_SWEEP_INTERVAL_MS', 60_000, env),
  };
}
