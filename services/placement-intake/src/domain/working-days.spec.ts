import { dutchPublicHolidays } from '../infrastructure/dutch-public-holidays';
import {
  addWorkingDays,
  amsterdamDate,
  answerDueOn,
  isPastDue,
  isWorkingDay,
} from './working-days';

/** R-IFZO-5D: answer within 5 working days, 10 when the file is incomplete. */
describe('working days (Europe/Amsterdam, Dutch public holidays from date-holidays)', () => {
  const nl = dutchPublicHolidays();

  it.each([
    ['2026-01-01', "New Year's Day"],
    ['2026-04-06', 'Easter Monday'],
    ['2026-04-27', "King's Day"],
    ['2025-04-26', "King's Day moved to Saturday 26 April because the 27th was a Sunday"],
    ['2026-05-14', 'Ascension Day'],
    ['2026-05-25', 'Whit Monday'],
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-26', 'Boxing Day'],
    ['2027-03-29', 'Easter Monday 2027'],
    ['2027-05-06', 'Ascension Day 2027'],
  ])('%s is a public holiday (%s)', (date) => {
    expect(nl(date)).toBe(true);
  });

  it.each([
    ['2026-05-05', 'Liberation Day (not a general day off; see ADR 0010)'],
    ['2030-05-05', 'Liberation Day in a lustrum year: still a working day here'],
    ['2026-04-03', 'Good Friday'],
    ['2026-12-31', "New Year's Eve"],
  ])('%s is not a public holiday (%s)', (date) => {
    expect(nl(date)).toBe(false);
  });

  it('weekends are not working days', () => {
    expect(isWorkingDay('2026-11-21', nl)).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-22', nl)).toBe(false); // Sunday
    expect(isWorkingDay('2026-11-23', nl)).toBe(true); // Monday
  });

  it.each([
    ['Monday + 5 = next Monday', '2026-11-23', 5, '2026-11-30'],
    ['Friday + 5 = next Friday', '2026-11-20', 5, '2026-11-27'],
    ['Saturday + 1 = Monday', '2026-11-21', 1, '2026-11-23'],
    ['Monday + 10 = two weeks later', '2026-11-23', 10, '2026-12-07'],
    ['across Christmas and Boxing Day (Fri/Sat) 2026', '2026-12-22', 5, '2026-12-30'],
    ['across Christmas and Boxing Day (Wed/Thu) 2024', '2024-12-23', 5, '2025-01-02'],
    ['across New Year 2027 (Friday)', '2026-12-29', 5, '2027-01-06'],
    ["across King's Day 2026 (Monday)", '2026-04-24', 5, '2026-05-04'],
    ["across King's Day 2027 (Tuesday)", '2027-04-26', 1, '2027-04-28'],
    ['across Easter Monday 2026', '2026-04-02', 5, '2026-04-10'],
    ['across Ascension Thursday 2026', '2026-05-12', 5, '2026-05-20'],
    ['across Whit Monday 2026', '2026-05-22', 5, '2026-06-01'],
    [
      '10 days across Easter Monday 2026 (Good Friday is a working day)',
      '2026-04-02',
      10,
      '2026-04-17',
    ],
    ["10 days across King's Day 2026", '2026-04-16', 10, '2026-05-01'],
    ['0 days = same date', '2026-11-23', 0, '2026-11-23'],
  ])('%s', (_what, from, n, expected) => {
    expect(addWorkingDays(from, n, nl)).toBe(expected);
  });

  it('uses the Amsterdam calendar date of the instant', () => {
    // 23:30 UTC on 31 December is already New Year's Day in Amsterdam (UTC+1).
    expect(amsterdamDate(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    // 22:30 UTC in summer (UTC+2) is already the next day.
    expect(amsterdamDate(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(amsterdamDate(new Date('2026-06-30T21:59:59Z'))).toBe('2026-06-30');
  });

  it('answer deadline: 5 working days for a complete file, 10 for an incomplete one', () => {
    const fridayEvening = new Date('2026-12-18T18:00:00+01:00');
    expect(answerDueOn(fridayEvening, true, nl)).toBe('2026-12-28'); // skips 25 and 26 December
    expect(answerDueOn(fridayEvening, false, nl)).toBe('2027-01-05'); // also skips 1 January
    // Sunday 23:30 UTC is Monday 00:30 in Amsterdam: counting starts from Monday.
    expect(answerDueOn(new Date('2026-11-22T23:30:00Z'), true, nl)).toBe('2026-11-30');
  });

  it('is past due only after the due date ends in Amsterdam', () => {
    expect(isPastDue('2026-11-30', new Date('2026-11-30T22:59:59Z'))).toBe(false); // 23:59:59 local
    expect(isPastDue('2026-11-30', new Date('2026-11-30T23:00:00Z'))).toBe(true); // 00:00 local
  });
});
