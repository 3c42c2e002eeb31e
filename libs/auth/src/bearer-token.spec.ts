import { extractBearerToken } from './bearer-token';
import { parseTtl } from './cli/parse-ttl';

describe('extractBearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def-_~+/=', 'abc.def-_~+/='],
  ])('takes the token from %p', (header, token) => {
    expect(extractBearerToken(header)).toEqual({ ok: true, token });
  });

  it('tells a missing header from a malformed one', () => {
    expect(extractBearerToken(undefined)).toEqual({ ok: false, missing: true });
    expect(extractBearerToken('')).toEqual({ ok: false, missing: true });
    for (const header of [
      'Basic dXNlcjpwdw==',
      'Bearer',
      'Bearer a b',
      'Bearerabc',
      'Bearer "x"',
    ]) {
      expect(extractBearerToken(header)).toEqual({ ok: false, missing: false });
    }
    expect(extractBearerToken(['Bearer a', 'Bearer b'])).toEqual({ ok: false, missing: false });
  });
});

describe('parseTtl', () => {
  it.each([
    ['3600', 3600],
    ['90s', 90],
    ['30m', 1800],
    ['1h', 3600],
    ['7d', 604800],
    ['-5m', -300],
    ['0', 0],
  ])('%p → %p seconds', (input, seconds) => expect(parseTtl(input)).toBe(seconds));

  it.each(['', 'soon', '1w', '1.5h', undefined])('refuses %p', (input) =>
    expect(parseTtl(input)).toBeUndefined(),
  );
});
