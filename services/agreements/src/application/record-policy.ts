import type { Provider } from '@nestjs/common';
import { dutchPublicHolidays } from '@ketenlink/dates';
import { DEFAULT_RECORD_POLICY, type RecordPolicy } from '../domain/records';

export const RECORD_POLICY = Symbol('agreements.record-policy');

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number > 0, got '${raw}'`);
  return n;
}

/**
 * The configurable times: AGREEMENTS_URGENT_ACK_MINUTES (default 240: an urgent notification
 * unacknowledged after 4 h raises notification.acknowledgement-overdue) and
 * AGREEMENTS_INSPECTORATE_WORKING_DAYS (default 3), Dutch holidays from libs/dates.
 */
export function recordPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): RecordPolicy {
  return {
    urgentAcknowledgementMinutes: positive(
      env,
      'AGREEMENTS_URGENT_ACK_MINUTES',
      DEFAULT_RECORD_POLICY.urgentAcknowledgementMinutes,
    ),
    inspectorateWorkingDays: positive(
      env,
      'AGREEMENTS_INSPECTORATE_WORKING_DAYS',
      DEFAULT_RECORD_POLICY.inspectorateWorkingDays,
    ),
    isHoliday: dutchPublicHolidays(),
  };
}

export const recordPolicyProvider: Provider = {
  provide: RECORD_POLICY,
  useFactory: () => recordPolicyFromEnv(),
};
