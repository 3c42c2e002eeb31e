import Holidays from 'date-holidays';
import { addDays, weekday } from './calendar';

/** Whether a calendar date (`YYYY-MM-DD`) is a public holiday. */
export type IsPublicHoliday = (date: string) => boolean;

/**
 * Dutch public holidays from the maintained `date-holidays` library (docs/adr/0010, 0015). Only
 * its type `public` counts as a day off: New Year, Easter Monday, King's Day (26 April when the
 * 27th is a Sunday), Ascension, Whit Monday, Christmas and Boxing Day. Good Friday and
 * Liberation Day (5 May) are typed `school` there and are working days here: Liberation Day is a
 * day off only every fifth year and only under some collective agreements, so a deadline never
 * skips it. Easter Sunday and Whit Sunday fall on a Sunday anyway.
 */
export function dutchPublicHolidays(): IsPublicHoliday {
  const holidays = new Holidays('NL');
  const byYear = new Map<number, Set<string>>();
  return (date: string): boolean => {
    const year = Number(date.slice(0, 4));
    let dates = byYear.get(year);
    if (!dates) {
      dates = new Set(
        holidays
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
      byYear.set(year, dates);
    }
    return dates.has(date);
  };
}

/** The process-wide Dutch holiday predicate (cached per year). */
export const isDutchPublicHoliday: IsPublicHoliday = dutchPublicHolidays();

/** Monday to Friday and not a public holiday. */
export function isWorkingDay(
  date: string,
  isHoliday: IsPublicHoliday = isDutchPublicHoliday,
): boolean {
  return weekday(date) <= 5 && !isHoliday(date);
}

/**
 * The date `n` working days after `date` (the start day itself does not count, whatever it
 * is): Friday + 5 → next Friday; Saturday + 1 → Monday.
 */
export function addWorkingDays(
  date: string,
  n: number,
  isHoliday: IsPublicHoliday = isDutchPublicHoliday,
): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be >= 0, got ${n}`);
  let current = date;
  for (let left = n; left > 0;) {
    current = addDays(current, 1);
    if (isWorkingDay(current, isHoliday)) left--;
  }
  return current;
}
