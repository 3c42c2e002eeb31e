import { calendarDate, isIsoDate, nextDate, previousDate, startOfDay } from './dates';

describe('calendar dates in Europe/Amsterdam', () => {
  it.each([
    ['2026-01-15', '2026-01-14T23:00:00.000Z'], // winter time, UTC+1
    ['2026-07-15', '2026-07-14T22:00:00.000Z'], // summer time, UTC+2
    ['2026-03-29', '2026-03-28T23:00:00.000Z'], // the day clocks go forward (02:00)
    ['2026-10-25', '2026-10-24T22:00:00.000Z'], // the day clocks go back (03:00)
  ])('%s starts at %s', (date, instant) => {
    expect(startOfDay(date).toISOString()).toBe(instant);
    expect(calendarDate(startOfDay(date))).toBe(date);
  });

  it('the calendar date of an instant is the Dutch one', () => {
    expect(calendarDate(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(calendarDate(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31');
  });

  it('validates real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-1-01')).toBe(false);
    expect(isIsoDate(20250101)).toBe(false);
  });

  it('steps over month and year ends', () => {
    expect(nextDate('2025-12-31')).toBe('2026-01-01');
    expect(previousDate('2024-03-01')).toBe('2024-02-29');
  });
});
