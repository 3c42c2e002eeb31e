import { DateTime } from 'luxon';

/**
 * Calendar dates in the Netherlands (docs/adr/0015-dates.md). A calendar date is a
 * `YYYY-MM-DD` string; it starts at 00:00 Europe/Amsterdam. Time-zone rules (CET/CEST and the
 * days the clocks change) come from luxon over the platform's IANA database: nothing here
 * computes an offset by hand.
 */
export const DUTCH_TIME_ZONE = 'Europe/Amsterdam';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as a plain date (no zone): day arithmetic never meets a DST change. */
function plain(date: string): DateTime {
  const d = DateTime.fromISO(date, { zone: 'utc' });
  if (!ISO_DATE.test(date) || !d.isValid) throw new RangeError(`not a calendar date: ${date}`);
  return d;
}

/** A real calendar date in `YYYY-MM-DD` form (2025-02-30 is not). */
export function isIsoDate(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    ISO_DATE.test(value) &&
    DateTime.fromISO(value, { zone: 'utc' }).isValid
  );
}

/** 00:00 Europe/Amsterdam on `date`, as an instant. */
export function startOfDay(date: string): Date {
  plain(date);
  return DateTime.fromISO(date, { zone: DUTCH_TIME_ZONE }).toJSDate();
}

/** The Amsterdam calendar date of an instant (23:30Z on 31 December is already 1 January). */
export function calendarDate(instant: Date): string {
  const d = DateTime.fromJSDate(instant, { zone: DUTCH_TIME_ZONE });
  if (!d.isValid) throw new RangeError('not a valid instant');
  return d.toISODate()!;
}

/** The calendar date `days` (may be negative) after `date`. */
export function addDays(date: string, days: number): string {
  return plain(date).plus({ days }).toISODate()!;
}

/**
 * The calendar date `months` (may be negative) after `date`; the day is clamped to the end of a
 * shorter month (31 January + 1 month = 28 or 29 February).
 */
export function addMonths(date: string, months: number): string {
  return plain(date).plus({ months }).toISODate()!;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(plain(to).diff(plain(from), 'days').days);
}

/** The calendar date after `date`. */
export function nextDate(date: string): string {
  return addDays(date, 1);
}

/** The calendar date before `date`. */
export function previousDate(date: string): string {
  return addDays(date, -1);
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function weekday(date: string): number {
  return plain(date).weekday;
}
