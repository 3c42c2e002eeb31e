import {
  addWorkingDays,
  dutchPublicHolidays,
  isDutchPublicHoliday,
  isWorkingDay,
} from './working-days';

describe('Dutch public holidays (date-holidays, type public only)', () => {
  it.each([
    ['2026-01-01', "New Year's Day"],
    ['2026-04-06', 'Easter Monday'],
    ['2027-03-29', 'Easter Monday 2027'],
    ['2026-04-27', "King's Day"],
    ['2025-04-26', "King's Day moved to Saturday 26 April because the 27th was a Sunday"],
    ['2031-04-26', "King's Day 2031 (27 April is a Sunday again)"],
    ['2026-05-14', 'Ascension Day'],
    ['2027-05-06', 'Ascension Day 2027'],
    ['2026-05-25', 'Whit Monday'],
    ['2027-05-17', 'Whit Monday 2027'],
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-26', 'Boxing Day'],
  ])('%s is a public holiday (%s)', (date) => {
    expect(isDutchPublicHoliday(date)).toBe(true);
  });

  it.each([
    ['2025-04-27', "27 April 2025, a Sunday: King's Day moved to the 26th"],
    ['2026-05-05', 'Liberation Day (not a general day off; see ADR 0010)'],
    ['2025-05-05', 'Liberation Day in a lustrum year: still a working day here'],
    ['2030-05-05', 'Liberation Day in a lustrum year: still a working day here'],
    ['2026-04-03', 'Good Friday'],
    ['2026-12-31', "New Year's Eve"],
    ['2026-11-23', 'an ordinary Monday'],
  ])('%s is not a public holiday (%s)', (date) => {
    expect(isDutchPublicHoliday(date)).toBe(false);
  });

  it('a fresh predicate answers the same as the shared one', () => {
    const nl = dutchPublicHolidays();
    for (const d of ['2026-04-06', '2026-04-27', '2026-05-05', '2026-11-23']) {
      expect(nl(d)).toBe(isDutchPublicHoliday(d));
    }
  });
});

describe('working days', () => {
  it('weekends and public holidays are not working days', () => {
    expect(isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-22')).toBe(false); // Sunday
    expect(isWorkingDay('2026-11-23')).toBe(true); // Monday
    expect(isWorkingDay('2026-04-06')).toBe(false); // Easter Monday
    expect(isWorkingDay('2026-11-23', (d) => d === '2026-11-23')).toBe(false); // own calendar
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
    ['across Liberation Day 2025 (a working day here)', '2025-05-02', 1, '2025-05-05'],
    ['across the clocks going forward 2026', '2026-03-27', 1, '2026-03-30'],
    ['across the clocks going back 2026', '2026-10-23', 1, '2026-10-26'],
    ['10 days across Easter Monday 2026 (Good Friday works)', '2026-04-02', 10, '2026-04-17'],
    ["10 days across King's Day 2026", '2026-04-16', 10, '2026-05-01'],
    ['0 days = same date', '2026-11-23', 0, '2026-11-23'],
  ])('%s', (_what, from, n, expected) => {
    expect(addWorkingDays(from, n)).toBe(expected);
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-11-23', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-11-23', 1.5)).toThrow(RangeError);
  });
});
