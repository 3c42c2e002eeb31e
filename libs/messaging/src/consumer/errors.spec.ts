import { isTransientInfrastructureError } from './errors';

describe('isTransientInfrastructureError', () => {
  it('treats connection loss and database shutdown as transient', () => {
    expect(
      isTransientInfrastructureError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(
      isTransientInfrastructureError(Object.assign(new Error('admin shutdown'), { code: '57P01' })),
    ).toBe(true);
    expect(
      isTransientInfrastructureError(Object.assign(new Error('conn'), { code: '08006' })),
    ).toBe(true);
    expect(isTransientInfrastructureError(new Error('Connection terminated unexpectedly'))).toBe(
      true,
    );
  });

  it('treats bugs and constraint violations as permanent', () => {
    expect(isTransientInfrastructureError(new TypeError('x is undefined'))).toBe(false);
    expect(isTransientInfrastructureError(Object.assign(new Error('dup'), { code: '23505' }))).toBe(
      false,
    );
    expect(isTransientInfrastructureError('not an error')).toBe(false);
  });
});
