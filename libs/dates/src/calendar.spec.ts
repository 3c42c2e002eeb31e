import {
  addDays,
  addMonths,
  daysBetween,
  calendarDate,
  isIsoDate,
  nextDate,
  previousDate,
  startOfDay,
  weekday,
} from './calendar';

describe('calendar dates in Europe/Amsterdam', () => {
  it.each([
    ['2026-01-15', '2026-01-14T23:00:00.000Z'], // winter time, UTC+1
    ['2026-07-15', '2026-07-14T22:00:00.000Z'], // summer time, UTC+2
    ['2026-03-29', '2026-03-28T23:00:00.000Z'], // the day clocks go forward (02:00 → 03:00)
    ['2026-03-30', '2026-03-29T22:00:00.000Z'], // the first whole summer-time day
    ['2026-10-25', '2026-10-24T22:00:00.000Z'], // the day clocks go back (03:00 → 02:00)
    ['2026-10-26', '2026-10-25T23:00:00.000Z'], // the first whole winter-time day
    ['2024-02-29', '2024-02-28T23:00:00.000Z'], // a leap day
  ])('%s starts at %s', (date, instant) => {
    expect(startOfDay(date).toISOString()).toBe(instant);
    expect(calendarDate(startOfDay(date))).toBe(date);
  });

  it('the days the clocks change are 23 and 25 hours long', () => {
    const hours = (d: string) =>
      (startOfDay(nextDate(d)).getTime() - startOfDay(d).getTime()) / 36e5;
    expect(hours('2026-03-29')).toBe(23);
    expect(hours('2026-10-25')).toBe(25);
    expect(hours('2026-06-01')).toBe(24);
  });

  it.each([
    ['2026-06-30T22:30:00Z', '2026-07-01'], // summer: 00:30 local
    ['2026-06-30T21:59:59Z', '2026-06-30'],
    ['2026-12-31T22:59:59Z', '2026-12-31'], // winter: 23:59:59 local
    ['2026-12-31T23:30:00Z', '2027-01-01'],
    ['2026-03-29T00:59:59Z', '2026-03-29'], // 01:59:59 CET, just before the jump
    ['2026-03-29T01:00:00Z', '2026-03-29'], // 03:00 CEST
    ['2026-03-29T21:59:59Z', '2026-03-29'], // 23:59:59 CEST (UTC+2 already)
    ['2026-03-29T22:00:00Z', '2026-03-30'],
    ['2026-10-25T00:30:00Z', '2026-10-25'], // 02:30 CEST, the first time
    ['2026-10-25T01:30:00Z', '2026-10-25'], // 02:30 CET, the second time
    ['2026-10-25T22:59:59Z', '2026-10-25'], // 23:59:59 CET (UTC+1 again)
    ['2026-10-25T23:00:00Z', '2026-10-26'],
  ])('the Amsterdam date at %s is %s', (instant, date) => {
    expect(calendarDate(new Date(instant))).toBe(date);
  });

  it('validates real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-02-30')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-1-01')).toBe(false);
    expect(isIsoDate('2025-01-01T00:00:00Z')).toBe(false);
    expect(isIsoDate('20250101')).toBe(false);
    expect(isIsoDate(20250101)).toBe(false);
    expect(() => startOfDay('2025-02-30')).toThrow(RangeError);
    expect(() => calendarDate(new Date('nonsense'))).toThrow(RangeError);
  });

  it('steps over month, year and leap-year ends, and across the clock changes', () => {
    expect(nextDate('2025-12-31')).toBe('2026-01-01');
    expect(previousDate('2024-03-01')).toBe('2024-02-29');
    expect(previousDate('2025-03-01')).toBe('2025-02-28');
    expect(nextDate('2026-03-28')).toBe('2026-03-29');
    expect(nextDate('2026-03-29')).toBe('2026-03-30');
    expect(nextDate('2026-10-25')).toBe('2026-10-26');
    expect(addDays('2026-03-01', 30)).toBe('2026-03-31');
    expect(addDays('2026-10-31', -7)).toBe('2026-10-24');
  });

  it('adds months (clamped to a shorter month) and counts days between dates', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-03-12', 6)).toBe('2026-09-12');
    expect(addMonths('2026-03-12', -3)).toBe('2025-12-12');
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-10-26', '2026-10-24')).toBe(-2);
  });

  it('knows the weekday (1 = Monday, 7 = Sunday)', () => {
    expect(weekday('2026-11-23')).toBe(1);
    expect(weekday('2026-11-21')).toBe(6);
    expect(weekday('2026-11-22')).toBe(7);
  });
});
