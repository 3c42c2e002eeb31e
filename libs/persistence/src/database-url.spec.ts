import { assertTestDatabase, databaseUrlFor, NotATestDatabaseError } from './database-url';

describe('database urls', () => {
  it('derives one database per service, and a separate one for tests', () => {
    expect(databaseUrlFor('placement-intake', { env: {} })).toBe(
      'postgres://postgres@127.0.0.1:5432/ketenlink_placement_intake',
    );
    expect(
      databaseUrlFor('trajectory', { test: true, env: { PG_BASE_URL: 'postgres://u@h:1/' } }),
    ).toBe('postgres://u@h:1/ketenlink_trajectory_test');
  });

  it('lets DATABASE_URL override the production database but never the test one', () => {
    const env = { DATABASE_URL: 'postgres://x@y/prod' };
    expect(databaseUrlFor('trajectory', { env })).toBe('postgres://x@y/prod');
    expect(databaseUrlFor('trajectory', { env, test: true })).toMatch(/ketenlink_trajectory_test$/);
  });

  it('refuses a database whose name does not say it is for tests', () => {
    expect(() => assertTestDatabase('postgres://p@h/ketenlink_trajectory')).toThrow(
      NotATestDatabaseError,
    );
    expect(() => assertTestDatabase('postgres://p@h/test_ketenlink')).toThrow(
      NotATestDatabaseError,
    );
    expect(() => assertTestDatabase('postgres://p@h/ketenlink_trajectory_test')).not.toThrow();
  });
});
