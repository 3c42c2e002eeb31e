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

export function databaseNameFor(service: string, test = false): string {
  const base = `ketenlink_${service.replace(/-/g, '_')}`;
  return test ? `${base}_test` : base;
}

export function databaseUrlFor(service: string, opts: DatabaseUrlOptions = {}): string {
  const env = opts.env ?? process.env;
  const test = opts.test ?? false;
  if (!test && env.DATABASE_URL) return env.DATABASE_URL;
  const base = (env.PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
  return `${base}/${databaseNameFor(service, test)}`;
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
