import { addWorkingDays, calendarDate, type IsPublicHoliday } from '@ketenlink/dates';

/**
 * R-IFZO-5D on Europe/Amsterdam calendar dates ('YYYY-MM-DD'). Calendar and working-day
 * arithmetic come from @ketenlink/dates (docs/adr/0015); which dates are public holidays comes
 * in as a predicate (the application injects the Dutch calendar of `date-holidays`).
 */

/** R-IFZO-5D: 5 working days for a complete file, 10 for an incomplete one. */
export const ANSWER_WORKING_DAYS = { complete: 5, incomplete: 10 } as const;

/** Last Amsterdam date on which the provider must answer a request received at `receivedAt`. */
export function answerDueOn(
  receivedAt: Date,
  complete: boolean,
  isHoliday: IsPublicHoliday,
): string {
  const days = complete ? ANSWER_WORKING_DAYS.complete : ANSWER_WORKING_DAYS.incomplete;
  return addWorkingDays(calendarDate(receivedAt), days, isHoliday);
}

/** The deadline has passed once the Amsterdam date at `now` is after the due date. */
export function isPastDue(dueOn: string, now: Date): boolean {
  return calendarDate(now) > dueOn;
}
