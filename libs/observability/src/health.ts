import {
  Controller,
  Get,
  Header,
  Inject,
  Logger,
  Module,
  Res,
  SetMetadata,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
} from '@nestjs/common';
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

/** A readiness check: resolves when the dependency is usable, throws (or rejects) when not. */
export type HealthCheck = () => Promise<unknown>;

export interface HealthModuleOptions {
  /** Readiness checks by name, e.g. `{ postgres: () => dataSource.query('select 1') }`. */
  checks?: Record<string, HealthCheck>;
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

export type CheckStatus = 'up' | 'down';

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, CheckStatus>;
}

export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

/**
 * Runs all checks in parallel, each bounded by `timeoutMs`. Reasons for failures are returned
 * separately: they are logged, never put in the (unauthenticated) response.
 */
export async function runReadinessChecks(
  checks: Record<string, HealthCheck>,
  timeoutMs: number = DEFAULT_READINESS_TIMEOUT_MS,
): Promise<{ report: ReadinessReport; failures: Record<string, string> }> {
  const failures: Record<string, string> = {};
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckStatus]> => {
      try {
        await withTimeout(check, timeoutMs);
        return [name, 'up'];
      } catch (error: unknown) {
        failures[name] = error instanceof Error ? error.message : String(error);
        return [name, 'down'];
      }
    }),
  );
  const checksOut = Object.fromEntries(entries);
  const ok = entries.every(([, status]) => status === 'up');
  return { report: { status: ok ? 'ok' : 'unavailable', checks: checksOut }, failures };
}

async function withTimeout(check: HealthCheck, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // Promise.resolve().then(): a check that throws synchronously counts as failed, too.
    await Promise.race([Promise.resolve().then(check), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The bit of the platform response object the controller needs (Express or Fastify). */
interface StatusSettable {
  status(code: number): unknown;
}

@PublicRoute()
@Controller()
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(@Inject(HEALTH_MODULE_OPTIONS) private readonly options: HealthModuleOptions) {}

  /** Liveness: the process serves HTTP. No dependency is checked. */
  @Get('health/live')
  @PublicRoute()
  @Header('Cache-Control', 'no-store')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 200 when every check passes in time, else 503 naming the failed checks. */
  @Get('health/ready')
  @PublicRoute()
  @Header('Cache-Control', 'no-store')
  async ready(@Res({ passthrough: true }) res: StatusSettable): Promise<ReadinessReport> {
    const { report, failures } = await runReadinessChecks(
      this.options.checks ?? {},
      this.options.timeoutMs,
    );
    for (const [name, reason] of Object.entries(failures)) {
      this.logger.warn(`readiness check ${name} failed: ${reason}`);
    }
    res.status(report.status === 'ok' ? 200 : 503);
    return report;
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

/**
 * `GET /health/live`, `GET /health/ready`, `GET /metrics`, all public. If the app sets a
 * global prefix, exclude these: `app.setGlobalPrefix('api', { exclude: ['health/(.*)', 'metrics'] })`.
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: HEALTH_MODULE_OPTIONS, useValue: options }],
    };
  }

  /** For checks that need injected dependencies (a DataSource, a Kafka admin, …). */
  static forRootAsync(options: HealthModuleAsyncOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: options.imports ?? [],
      controllers: [HealthController],
      providers: [
        {
          provide: HEALTH_MODULE_OPTIONS,
          inject: options.inject ?? [],
          useFactory: options.useFactory as (
            ...args: unknown[]
          ) => HealthModuleOptions | Promise<HealthModuleOptions>,
        },
      ],
    };
  }
}
