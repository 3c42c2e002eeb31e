import { startOfDay } from '@ketenlink/dates';

/**
 * R-TITLE-END: when every recorded legal title has ended, the instant the last one ended
 * (00:00 Europe/Amsterdam on its end date) — PolicyInput.legalDutyUntil; from then on the
 * title-bound legal duty (probation's supervision defaults) no longer applies. Undefined while a
 * title is in force or none is recorded. A title past its expected end without a recorded end
 * still counts as in force. `endDates`: each title's actual end date ('YYYY-MM-DD'), undefined
 * while it has not ended. The trajectory service and every projection of its titles
 * (@ketenlink/trajectory-facts) compute the end of the duty with this one function.
 */
export function legalDutyUntilOf(endDates: readonly (string | undefined)[]): Date | undefined {
  if (endDates.length === 0 || endDates.some((d) => d === undefined)) return undefined;
  const last = [...(endDates as readonly string[])].sort()[endDates.length - 1] as string;
  return startOfDay(last);
}
