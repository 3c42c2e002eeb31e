/**
 * Where a service's database lives. One database per service (and one per service for tests),
 * named `ketenlink_<service>` / `ketenlink_<service>_test` (deploy/local/env.sh creates them).
 *
 * `DATABASE_URL` overrides everything (a deployment gives each service its own);
 * otherwise `PG_BASE_URL` (default postgres://postgres@127.0.0.1:5432) + the conventional name.
 */
export interface DatabaseUrlOptions {
  readonly test?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * `KETENLINK_TEST_DB_SUFFIX` (letters, digits, `_`) gives one checkout's tests databases of their
 * own (`ketenlink_<service>_<suffix>_test`), so two checkouts can run the int tier at once.
 */
export function databaseNameFor(
  service: string,
  test = false,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const base = `ketenlink_${service.replace(/-/g, '_')}`;
  if (!test) return base;
  const suffix = env.KETENLINK_TEST_DB_SUFFIX ?? '';
  if (suffix && !/^[a-z0-9_]+$/.test(suffix)) {
    throw new Error(`KETENLINK_TEST_DB_SUFFIX must match [a-z0-9_]+, got "${suffix}"`);
  }
  return suffix ? `${base}_${suffix}_test` : `${base}_test`;
}

export function databaseUrlFor(service: string, opts: DatabaseUrlOptions = {}): string {
  const env = opts.env ?? process.env;
  const test = opts.test ?? false;
  if (!test && env.DATABASE_URL) return env.DATABASE_URL;
  const base = (env.PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
  return `${base}/${databaseNameFor(service, test, env)}`;
}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export class NotATestDatabaseError extends Error {
  constructor(url: string) {
    super(
      `Refusing to run tests against database "${databaseNameOf(url)}": its name must end in "_test".`,
    );
  }
}

/** Tests call this before touching a database: a name that does not say "test" is refused. */
export function assertTestDatabase(url: string): void {
  if (!/_test$/.test(databaseNameOf(url))) throw new NotATestDatabaseError(url);
}
