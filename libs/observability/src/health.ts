import {
  Controller,
  Get,
  Header,
  Inject,
  Injectable,
  Logger,
  Module,
  Res,
  ServiceUnavailableException,
  SetMetadata,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
} from '@nestjs/common';
import {
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { metricsRegistry, type MetricsRegistry } from './metrics';

/**
 * Metadata key marking a route as public (no bearer token). `@ketenlink/auth`'s `@Public()`
 * sets the same key; its global guard skips routes carrying it. Defined here too so this
 * library does not depend on libs/auth.
 */
export const PUBLIC_ROUTE_KEY = 'ketenlink:public';

/** Marks a route or controller public for the platform's global auth guard. */
const PublicRoute = (): ClassDecorator & MethodDecorator => SetMetadata(PUBLIC_ROUTE_KEY, true);

export const HEALTH_MODULE_OPTIONS = 'KETENLINK_HEALTH_MODULE_OPTIONS';

/** Safe, operational facts a check may report (never a reason, address or client data). */
export type CheckData = Record<string, string | number | boolean>;

/**
 * A readiness check: resolves when the dependency is usable, throws (or rejects) when not.
 * It may resolve with `{ status: 'down', ...data }` to report down with a state of its own
 * (e.g. `{ status: 'down', state: 'connecting' }`), or with data to show next to `up`.
 */
export type HealthCheck = () => Promise<unknown> | unknown;

export interface HealthModuleOptions {
  /**
   * Checks the service cannot take commands without, e.g. `{ postgres: () => ds.query('select 1') }`.
   * One down → readiness 503.
   */
  checks?: Record<string, HealthCheck>;
  /**
   * Checks whose failure degrades the service but leaves it ready (Kafka, the consumer: the
   * outbox keeps every command until Kafka is back). Down → `degraded`, readiness stays 200.
   */
  degradingChecks?: Record<string, HealthCheck>;
  /** Per-check timeout for readiness; default 2000 ms. */
  timeoutMs?: number;
  /** Registry served on GET /metrics; default the process-wide `metricsRegistry`. */
  registry?: MetricsRegistry;
}

export interface HealthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => HealthModuleOptions | Promise<HealthModuleOptions>;
}

/** The readiness body: terminus' HealthCheckResult (status ok | degraded | error | shutting_down). */
export type ReadinessReport = HealthCheckResult;

export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

/**
 * Checks added at run time (the service runtime adds `kafka` and `consumer`, which it owns),
 * next to the ones given to `HealthModule.forRoot`.
 */
@Injectable()
export class ReadinessChecks {
  readonly critical = new Map<string, HealthCheck>();
  readonly degrading = new Map<string, HealthCheck>();

  constructor(@Inject(HEALTH_MODULE_OPTIONS) options: HealthModuleOptions) {
    for (const [name, check] of Object.entries(options.checks ?? {}))
      this.critical.set(name, check);
    for (const [name, check] of Object.entries(options.degradingChecks ?? {}))
      this.degrading.set(name, check);
  }

  /** `critical`: down makes readiness 503; otherwise down only degrades (200). */
  register(name: string, check: HealthCheck, opts: { critical: boolean }): void {
    (opts.critical ? this.critical : this.degrading).set(name, check);
  }
}

type Outcome = { up: true; data: CheckData } | { up: false; data: CheckData; reason?: string };

/** Runs one check bounded by `timeoutMs`; the reason of a failure is returned, for the log only. */
export async function runCheck(check: HealthCheck, timeoutMs: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // Promise.resolve().then(): a check that throws synchronously counts as failed, too.
    const value = await Promise.race([Promise.resolve().then(check), timeout]);
    const data = safeData(value);
    if (data.status === 'down') {
      delete data.status;
      return { up: false, data };
    }
    delete data.status;
    return { up: true, data };
  } catch (error: unknown) {
    return { up: false, data: {}, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Only flat primitive fields of a plain object a check chose to report. */
function safeData(value: unknown): CheckData {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return {};
  const out: CheckData = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** The bit of the platform response object the controller needs (Express or Fastify). */
interface StatusSettable {
  status(code: number): unknown;
}

async function terminusResult(run: () => Promise<HealthCheckResult>): Promise<HealthCheckResult> {
  try {
    return await run();
  } catch (error: unknown) {
    // terminus throws 503 with the result for `error` and `shutting_down`.
    if (error instanceof ServiceUnavailableException) {
      return error.getResponse() as HealthCheckResult;
    }
    throw error;
  }
}

@PublicRoute()
@Controller()
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(
    @Inject(HEALTH_MODULE_OPTIONS) private readonly options: HealthModuleOptions,
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ReadinessChecks) private readonly readiness: ReadinessChecks,
  ) {}

  /** Liveness: the process serves HTTP. No dependency is checked; 200 even while shutting down. */
  @Get('health/live')
  @PublicRoute()
  @Header('Cache-Control', 'no-store')
  async live(): Promise<HealthCheckResult> {
    return terminusResult(() => this.health.check([]));
  }

  /**
   * Readiness (docs/adr/0017-availability-and-shutdown.md): 200 `ok` when every check passes;
   * 200 `degraded` when only degrading checks (Kafka, consumer) fail; 503 `error` when a critical
   * check (PostgreSQL) fails; 503 `shutting_down` once shutdown began. Reasons go to the log.
   */
  @Get('health/ready')
  @PublicRoute()
  @Header('Cache-Control', 'no-store')
  async ready(@Res({ passthrough: true }) res: StatusSettable): Promise<ReadinessReport> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
    const indicator =
      (name: string, check: HealthCheck, critical: boolean) =>
      async (): Promise<HealthIndicatorResult> => {
        const session = this.indicators.check(name);
        const outcome = await runCheck(check, timeoutMs);
        if (outcome.up) return session.up(outcome.data);
        if (outcome.reason) this.logger.warn(`readiness check ${name} failed: ${outcome.reason}`);
        if (critical) return session.down(outcome.data);
        return session.degraded({ state: 'down', ...outcome.data });
      };
    const result = await terminusResult(() =>
      this.health.check([
        ...[...this.readiness.critical].map(([n, c]) => indicator(n, c, true)),
        ...[...this.readiness.degrading].map(([n, c]) => indicator(n, c, false)),
      ]),
    );
    res.status(result.status === 'ok' || result.status === 'degraded' ? 200 : 503);
    return result;
  }

  /** Current metric values in Prometheus text format (operational values only). */
  @Get('metrics')
  @PublicRoute()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    return (this.options.registry ?? metricsRegistry).renderPrometheus();
  }
}

const TERMINUS = TerminusModule.forRoot({ logger: false });

/**
 * `GET /health/live`, `GET /health/ready`, `GET /metrics`, all public, on @nestjs/terminus.
 * If the app sets a global prefix, exclude these:
 * `app.setGlobalPrefix('api', { exclude: ['health/(.*)', 'metrics'] })`.
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    return {
      module: HealthModule,
      imports: [TERMINUS],
      controllers: [HealthController],
      providers: [{ provide: HEALTH_MODULE_OPTIONS, useValue: options }, ReadinessChecks],
      exports: [ReadinessChecks],
    };
  }

  /** For checks that need injected dependencies (a DataSource, a Kafka admin, …). */
  static forRootAsync(options: HealthModuleAsyncOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [...(options.imports ?? []), TERMINUS],
      controllers: [HealthController],
      providers: [
        {
          provide: HEALTH_MODULE_OPTIONS,
          inject: options.inject ?? [],
          useFactory: options.useFactory as (
            ...args: unknown[]
          ) => HealthModuleOptions | Promise<HealthModuleOptions>,
        },
        ReadinessChecks,
      ],
      exports: [ReadinessChecks],
    };
  }
}
