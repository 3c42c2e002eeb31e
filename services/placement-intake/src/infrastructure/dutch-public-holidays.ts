import Holidays from 'date-holidays';
import type { IsPublicHoliday } from '../domain/working-days';

/**
 * Dutch public holidays from the maintained `date-holidays` library (docs/adr/0010). Only its
 * type `public` counts as a day off: New Year, Easter Monday, King's Day (26 April when the 27th
 * is a Sunday), Ascension, Whit Monday, Christmas and Boxing Day. Good Friday and Liberation Day
 * (5 May) are typed `school` there and are working days here: Liberation Day is a day off only
 * every fifth year and only under some collective agreements, so a deadline never skips it.
 * Easter Sunday and Whit Sunday fall on a Sunday anyway.
 */
export function dutchPublicHolidays(): IsPublicHoliday {
  const holidays = new Holidays('NL');
  const byYear = new Map<number, Set<string>>();
  return (isoDate: string): boolean => {
    const year = Number(isoDate.slice(0, 4));
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
    return dates.has(isoDate);
  };
}
