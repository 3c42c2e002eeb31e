import { dutchPublicHolidays } from '@ketenlink/dates';
import { answerDueOn, isPastDue } from './answer-deadline';

/**
 * R-IFZO-5D: answer within 5 working days, 10 when the file is incomplete. Calendar dates,
 * holidays and working-day counting: libs/dates (its specs cover every holiday and DST case).
 */
describe('answer deadline (Europe/Amsterdam working days)', () => {
  const nl = dutchPublicHolidays();

  it('5 working days for a complete file, 10 for an incomplete one', () => {
    const fridayEvening = new Date('2026-12-18T18:00:00+01:00');
    expect(answerDueOn(fridayEvening, true, nl)).toBe('2026-12-28'); // skips 25 and 26 December
    expect(answerDueOn(fridayEvening, false, nl)).toBe('2027-01-05'); // also skips 1 January
    // Sunday 23:30 UTC is Monday 00:30 in Amsterdam: counting starts from Monday.
    expect(answerDueOn(new Date('2026-11-22T23:30:00Z'), true, nl)).toBe('2026-11-30');
  });

  it('counts from the Amsterdam date in summer time too', () => {
    // Thursday 22:30 UTC in July is Friday 00:30 in Amsterdam (UTC+2): Friday + 5 = next Friday.
    expect(answerDueOn(new Date('2026-07-09T22:30:00Z'), true, nl)).toBe('2026-07-17');
    expect(answerDueOn(new Date('2026-07-09T21:30:00Z'), true, nl)).toBe('2026-07-16');
  });

  it('uses the holiday calendar it is given', () => {
    const none = () => false;
    expect(answerDueOn(new Date('2026-12-22T12:00:00Z'), true, none)).toBe('2026-12-29');
    expect(answerDueOn(new Date('2026-12-22T12:00:00Z'), true, nl)).toBe('2026-12-30');
  });

  it('is past due only after the due date ends in Amsterdam', () => {
    expect(isPastDue('2026-11-30', new Date('2026-11-30T22:59:59Z'))).toBe(false); // 23:59:59 local
    expect(isPastDue('2026-11-30', new Date('2026-11-30T23:00:00Z'))).toBe(true); // 00:00 local
    expect(isPastDue('2026-07-31', new Date('2026-07-31T21:59:59Z'))).toBe(false); // summer
    expect(isPastDue('2026-07-31', new Date('2026-07-31T22:00:00Z'))).toBe(true);
  });
});
