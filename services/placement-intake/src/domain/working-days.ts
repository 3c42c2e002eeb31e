/**
 * Working days for R-IFZO-5D, on Europe/Amsterdam calendar dates ('YYYY-MM-DD'). Plain
 * TypeScript: which dates are public holidays comes in as a predicate (the infrastructure
 * answers it from the maintained `date-holidays` library, never from a hand-written list).
 */
export type IsPublicHoliday = (isoDate: string) => boolean;

export const PLACEMENT_TIME_ZONE = 'Europe/Amsterdam';

const amsterdamDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: PLACEMENT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Amsterdam at an instant (23:30Z on 31 Dec is already 1 Jan there). */
export function amsterdamDate(instant: Date): string {
  return amsterdamDay.format(instant);
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(isoDate: string, isHoliday: IsPublicHoliday): boolean {
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isHoliday(isoDate);
}

/**
 * The date `n` working days after `isoDate` (the start day itself does not count, whatever it
 * is): Friday + 5 → next Friday; Saturday + 1 → Monday.
 */
export function addWorkingDays(isoDate: string, n: number, isHoliday: IsPublicHoliday): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be >= 0, got ${n}`);
  let date = isoDate;
  for (let left = n; left > 0;) {
    date = addDays(date, 1);
    if (isWorkingDay(date, isHoliday)) left--;
  }
  return date;
}

/** R-IFZO-5D: 5 working days for a complete file, 10 for an incomplete one. */
export const ANSWER_WORKING_DAYS = { complete: 5, incomplete: 10 } as const;

/** Last Amsterdam date on which the provider must answer a request received at `receivedAt`. */
export function answerDueOn(
  receivedAt: Date,
  complete: boolean,
  isHoliday: IsPublicHoliday,
): string {
  const days = complete ? ANSWER_WORKING_DAYS.complete : ANSWER_WORKING_DAYS.incomplete;
  return addWorkingDays(amsterdamDate(receivedAt), days, isHoliday);
}

/** The deadline has passed once the Amsterdam date at `now` is after the due date. */
export function isPastDue(dueOn: string, now: Date): boolean {
  return amsterdamDate(now) > dueOn;
}
