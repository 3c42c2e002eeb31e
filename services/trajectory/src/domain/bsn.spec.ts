import fc from 'fast-check';
import { isValidBsn } from './bsn';

describe('BSN elfproef', () => {
  it.each(['111222333', '123456782', '999999990', '012345672'])('accepts %s', (bsn) => {
    expect(isValidBsn(bsn)).toBe(true);
  });

  it.each([
    ['one digit off', '123456781'],
    ['two digits swapped', '213456782'],
    ['all zeros', '000000000'],
    ['eight digits', '12345672'],
    ['ten digits', '1234567820'],
    ['letters', '12345678a'],
    ['spaces', '123 456 782'],
    ['empty', ''],
  ])('refuses %s', (_why, bsn) => {
    expect(isValidBsn(bsn)).toBe(false);
  });

  it('refuses non-strings', () => {
    expect(isValidBsn(123456782)).toBe(false);
    expect(isValidBsn(undefined)).toBe(false);
  });

  it('any single-digit change of a valid number fails the check', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const base = '123456782';
        const d = (Number(base[pos]) + delta) % 10;
        const changed = base.slice(0, pos) + String(d) + base.slice(pos + 1);
        return !isValidBsn(changed);
      }),
    );
  });
});
