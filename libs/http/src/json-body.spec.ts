import {
  checkJsonContentType,
  findForbiddenValues,
  jsonDepthExceeds,
  parseJsonBody,
} from './json-body';
import { ProblemException } from './problem.exception';

const problemOf = (work: () => unknown): ProblemException => {
  try {
    work();
  } catch (err) {
    if (err instanceof ProblemException) return err;
    throw err;
  }
  throw new Error('expected a problem');
};

describe('checkJsonContentType', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset="UTF-8"',
  ])('accepts %s', (ct) => expect(checkJsonContentType(ct)).toBeUndefined());
  it.each([
    undefined,
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/jsonx',
  ])('refuses %s with 415', (ct) => expect(checkJsonContentType(ct)?.getStatus()).toBe(415));
});

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 2)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[\\"[[["}', 1)).toBe(false);
  });
  it('scans 50,000 levels linearly without recursion', () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    expect(jsonDepthExceeds(deep, 32)).toBe(true);
  });
});

describe('parseJsonBody', () => {
  it('parses a normal body', () => {
    expect(parseJsonBody(Buffer.from('{"a":[1,"x"]}'))).toEqual({ a: [1, 'x'] });
  });
  it('refuses a body nested deeper than the maximum with 400 before JSON.parse', () => {
    const parse = jest.spyOn(JSON, 'parse');
    const p = problemOf(() => parseJsonBody(Buffer.from('['.repeat(50_000) + ']'.repeat(50_000))));
    expect(p.problem).toMatchObject({ status: 400, type: expect.stringMatching(/json-too-deep$/) });
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
  });
  it('refuses invalid UTF-8 and UTF-16 bytes with 400', () => {
    expect(problemOf(() => parseJsonBody(Buffer.from([0x7b, 0xff, 0x7d]))).getStatus()).toBe(400);
    const utf16 = Buffer.from('\ufeff{"a":"b"}', 'utf16le');
    expect(problemOf(() => parseJsonBody(utf16)).getStatus()).toBe(400);
  });
});

describe('findForbiddenValues', () => {
  it('names every NUL, lone surrogate, null and prototype key by JSON pointer', () => {
    const body = JSON.parse(
      '{"notes":"a\\u0000b","conditions":[{"description":"x\\ud800"}],"medication":"\\udc00",' +
        '"until":null,"__proto__":{"admin":true},"nested":{"constructor":{},"prototype":1},' +
        '"a/b~c":null,"ok":"\\ud83d\\ude00"}',
    );
    expect(findForbiddenValues(body)).toEqual([
      { pointer: '/notes', message: 'must not contain NUL (U+0000)' },
      {
        pointer: '/conditions/0/description',
        message: 'must not contain a lone surrogate (invalid Unicode)',
      },
      { pointer: '/medication', message: 'must not contain a lone surrogate (invalid Unicode)' },
      { pointer: '/until', message: 'must not be null (leave the field out instead)' },
      { pointer: '/__proto__', message: 'property __proto__ should not exist' },
      { pointer: '/nested/constructor', message: 'property constructor should not exist' },
      { pointer: '/nested/prototype', message: 'property prototype should not exist' },
      { pointer: '/a~1b~0c', message: 'must not be null (leave the field out instead)' },
    ]);
  });
  it('reports at most 20 findings and counts the rest', () => {
    const findings = findForbiddenValues(Array.from({ length: 1000 }, () => null));
    expect(findings).toHaveLength(21);
    expect(findings[20]).toEqual({ pointer: '', message: 'and 980 more finding(s)' });
  });
});
