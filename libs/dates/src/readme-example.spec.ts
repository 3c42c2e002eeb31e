import { addWorkingDays, calendarDate, isIsoDate, startOfDay } from './index';

/** The examples in libs/dates/README.md, so the README cannot drift from the code. */
describe('README examples', () => {
  it('hold', () => {
    expect(calendarDate(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(startOfDay('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(addWorkingDays('2026-04-24', 5)).toBe('2026-05-04');
    const ownCalendar = (d: string) => d === '2026-04-28';
    expect(addWorkingDays('2026-04-24', 5, ownCalendar)).toBe('2026-05-04');
  });
});
