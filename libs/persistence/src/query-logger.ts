import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's logger for every service: never a parameter, never a driver message or detail
 * (PostgreSQL echoes values in both: `invalid input syntax for type uuid: "…"`,
 * `Key (x)=(…) already exists`). A failed query logs what its statement is (verb and first
 * table), the SQLSTATE code, constraint, table and column; that is enough to find the bug and
 * carries no client data. Goes through Nest's Logger, so through pino in a running service.
 */
export type QueryLogKind = 'error' | 'warn' | 'migration' | 'schema' | 'info';

export class SafeQueryLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('TypeORM');

  /** What to log at all (TypeORM leaves the filtering to a custom logger). */
  constructor(private readonly enabled: ReadonlySet<QueryLogKind> = new Set(['error', 'warn'])) {}

  logQuery(): void {
    // Statements are not logged at any level: their parameters are client data.
  }

  logQueryError(error: string | Error, query: string): void {
    if (!this.enabled.has('error')) return;
    this.logger.error({ msg: 'query failed', statement: statementName(query), ...pgFields(error) });
  }

  logQuerySlow(time: number, query: string): void {
    if (!this.enabled.has('warn')) return;
    this.logger.warn({ msg: 'slow query', statement: statementName(query), durationMs: time });
  }

  logSchemaBuild(message: string): void {
    if (this.enabled.has('schema')) this.logger.debug(message);
  }

  logMigration(message: string): void {
    if (this.enabled.has('migration')) this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    // TypeORM's own notices (no statement text): a string only, never an object.
    const text = typeof message === 'string' ? message : 'typeorm notice';
    if (level === 'warn' && this.enabled.has('warn')) this.logger.warn(text);
    else if (level !== 'warn' && this.enabled.has('info')) this.logger.log(text);
  }
}

const IDENT = String.raw`(?:"[^"]+"|[\w.]+)`;
const STATEMENT = new RegExp(
  String.raw`^\s*(?:WITH\b.*?\)\s*)?(INSERT\s+INTO|UPDATE|DELETE\s+FROM|SELECT\b.*?\bFROM|` +
    String.raw`CREATE\s+\w+(?:\s+\w+)?|ALTER\s+TABLE|DROP\s+\w+|TRUNCATE|LOCK\s+TABLE)\s+(?:ONLY\s+)?(${IDENT})`,
  'is',
);

/** `INSERT INTO outbox`, `SELECT … FROM placements`, or the first word: a name for the statement. */
export function statementName(query: string): string {
  const match = STATEMENT.exec(query.slice(0, 2000));
  if (match) {
    const verb = match[1]!.toUpperCase().replace(/\s+/g, ' ');
    const head = verb.startsWith('SELECT') ? 'SELECT … FROM' : verb;
    return `${head} ${match[2]!.replace(/"/g, '')}`;
  }
  return (/^\s*(\w+)/.exec(query)?.[1] ?? 'statement').toUpperCase();
}

/** The fields of a pg DatabaseError that name things, never values. */
export function pgFields(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof error !== 'object' || error === null) return out;
  const source = ((error as { driverError?: unknown }).driverError ?? error) as Record<
    string,
    unknown
  >;
  for (const key of ['code', 'constraint', 'table', 'column', 'schema', 'routine'] as const) {
    const value = source[key];
    if (typeof value === 'string' && value) out[key] = value;
  }
  out.error =
    (error as { name?: unknown }).name === 'QueryFailedError' ? 'QueryFailedError' : 'Error';
  return out;
}
