import { toProblem } from './problem-details.filter';
import { databaseUnavailableCode } from './database-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('database unavailable → 503', () => {
  it.each([
    [
      'admin shutdown (pg_ctl restart -m fast)',
      withCode('terminating connection due to administrator command', '57P01'),
      '57P01',
    ],
    ['starting up', withCode('the database system is starting up', '57P03'), '57P03'],
    ['connection failure class 08', withCode('connection failure', '08006'), '08006'],
    ['refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'ECONNREFUSED'],
    ['terminated', new Error('Connection terminated unexpectedly'), 'connection-lost'],
    ['pool timeout', new Error('timeout exceeded when trying to connect'), 'connection-lost'],
    [
      'TypeORM QueryFailedError wrapping the driver error',
      Object.assign(new Error('query failed'), { driverError: withCode('x', '57P01') }),
      '57P01',
    ],
    [
      'AggregateError of two refused addresses',
      new AggregateError([withCode('a', 'ECONNREFUSED'), withCode('b', 'ECONNREFUSED')], ''),
      'ECONNREFUSED',
    ],
  ])('recognises %s', (_what, err, code) => {
    expect(databaseUnavailableCode(err)).toBe(code);
    const problem = toProblem(err);
    expect(problem).toMatchObject({
      status: 503,
      type: 'https://ketenlink.nl/problems/service-unavailable',
    });
    expect(JSON.stringify(problem)).not.toMatch(/5432|57P|ECONN|administrator/);
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "x"', '42601')],
    ['a plain bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('leaves %s a 500', (_what, err) => {
    expect(databaseUnavailableCode(err)).toBeUndefined();
    expect(toProblem(err).status).toBe(500);
  });
});
