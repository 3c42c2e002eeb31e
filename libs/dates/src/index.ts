// Public API of @ketenlink/dates: Europe/Amsterdam calendar dates and Dutch working days
// (docs/adr/0015-dates.md). Pure functions; domain code may import this library.
export {
  DUTCH_TIME_ZONE,
  isIsoDate,
  startOfDay,
  calendarDate,
  addDays,
  addMonths,
  daysBetween,
  nextDate,
  previousDate,
  weekday,
} from './calendar';
export {
  dutchPublicHolidays,
  isDutchPublicHoliday,
  isWorkingDay,
  addWorkingDays,
} from './working-days';
export type { IsPublicHoliday } from './working-days';
