import type { LoggerService, LogLevel } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { hostname } from 'node:os';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino replaces with "[REDACTED]". A safety net, not a design: client data never belongs in
 * logs in the first place (architecture §4; the TypeORM logger and the HTTP edge log names and
 * codes, never values), and these paths only catch the obvious places (top level and one level
 * down), not arbitrary nesting. Covered: identity, the free-text and case fields of requests,
 * request bodies, and what database errors carry (statement parameters, driver detail).
 */
const CLIENT_FIELDS = [
  'bsn',
  'name',
  'dateOfBirth',
  'notes',
  'medication',
  'description',
  'conditions',
  'crucialInformation',
  'needs',
  'purpose',
  'reasonText',
  'body',
  'parameters',
  'driverError',
];
const ERROR_FIELDS = ['parameters', 'query', 'detail', 'where', 'driverError'];

export const REDACT_PATHS: readonly string[] = [
  ...CLIENT_FIELDS,
  ...CLIENT_FIELDS.map((f) => `*.${f}`),
  ...ERROR_FIELDS.map((f) => `err.${f}`),
  ...ERROR_FIELDS.map((f) => `params[*].${f}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
];

export interface CreateLoggerOptions {
  /** Defaults to env LOG_LEVEL, then "info". */
  level?: string;
  /** Defaults to stdout. Tests pass a stream to capture lines. */
  destination?: DestinationStream;
}

/** `trace_id` / `span_id` of the active span, or nothing outside a span. */
function traceFields(): Record<string, string> {
  const sc = trace.getActiveSpan()?.spanContext();
  if (!sc || !trace.isSpanContextValid(sc)) return {};
  return { trace_id: sc.traceId, span_id: sc.spanId };
}

/**
 * A pino logger writing one JSON object per line with `service`, ISO `time`, `level` as a
 * label, and the active span's `trace_id` and `span_id`.
 */
export function createLogger(serviceName: string, options: CreateLoggerOptions = {}): Logger {
  const pinoOptions: pino.LoggerOptions = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service: serviceName, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceFields,
    redact: { paths: [...REDACT_PATHS], censor: '[REDACTED]' },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

const STACK = /\n\s+at /;
const looksLikeStack = (value: unknown): value is string =>
  typeof value === 'string' && STACK.test(value);

const NEST_TO_PINO: ReadonlyArray<[LogLevel, Level]> = [
  ['verbose', 'trace'],
  ['debug', 'debug'],
  ['log', 'info'],
  ['warn', 'warn'],
  ['error', 'error'],
  ['fatal', 'fatal'],
];

/**
 * Routes Nest's own logging (and `new Logger(ctx)` in application code) through pino:
 * `app.useLogger(new PinoNestLogger(logger))`, ideally with `bufferLogs: true` on create.
 * Nest's trailing string argument becomes `context`; a stack string becomes `stack`.
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest passes the enabled levels; pino has a threshold, so use the most verbose one. */
  setLogLevels(levels: LogLevel[]): void {
    const lowest = NEST_TO_PINO.find(([nest]) => levels.includes(nest));
    this.logger.level = lowest ? lowest[1] : 'silent';
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    const last = rest.at(-1);
    if (typeof last === 'string' && !looksLikeStack(last)) {
      fields.context = last;
      rest.pop();
    }
    const stackIndex = rest.findIndex(looksLikeStack);
    if (stackIndex >= 0) fields.stack = rest.splice(stackIndex, 1)[0];
    if (rest.length > 0) fields.params = rest;

    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...(message as Record<string, unknown>), ...fields });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
