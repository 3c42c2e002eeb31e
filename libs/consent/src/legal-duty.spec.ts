import { startOfDay } from '@ketenlink/dates';
import { legalDutyUntilOf } from './legal-duty';

describe('legalDutyUntilOf (R-TITLE-END)', () => {
  it('is undefined without titles or while any title is in force', () => {
    expect(legalDutyUntilOf([])).toBeUndefined();
    expect(legalDutyUntilOf([undefined])).toBeUndefined();
    expect(legalDutyUntilOf(['2026-05-01', undefined])).toBeUndefined();
  });

  it('is the start (Amsterdam) of the day the last title ended', () => {
    expect(legalDutyUntilOf(['2026-06-01', '2026-05-01'])).toEqual(startOfDay('2026-06-01'));
    expect(legalDutyUntilOf(['2026-06-01'])?.toISOString()).toBe('2026-05-31T22:00:00.000Z');
  });
});
