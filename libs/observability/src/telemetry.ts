/**
 * Process-wide OpenTelemetry set-up. MUST run before `@nestjs/platform-express`, `express`
 * and `pg` are first required, or their auto-instrumentation silently does nothing. In a
 * service, put it in its own file and make that the FIRST import of main.ts:
 *
 *   // src/telemetry.ts
 *   import { startTelemetry } from '@ketenlink/observability';
 *   startTelemetry({ serviceName: 'trajectory' });
 *
 *   // src/main.ts
 *   import './telemetry'; // first line
 *   import { NestFactory } from '@nestjs/core';
 *
 * (Importing `@ketenlink/observability` itself is safe: it loads `@nestjs/common` and pino,
 * neither of which is instrumented; it never loads express, platform-express or pg.)
 */
import {
  diag,
  DiagLogLevel,
  metrics as otelMetrics,
  propagation,
  type DiagLogger,
} from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  ConsoleMetricExporter,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { createLogger } from './logger';
import { enableNodeMetrics, metricsRegistry } from './metrics';
import { createPropagator } from './trace-context';

export const TRACES_EXPORTERS = ['zipkin', 'otlp', 'console', 'none'] as const;
export type TracesExporterName = (typeof TRACES_EXPORTERS)[number];
export const METRICS_EXPORTERS = ['otlp', 'console', 'none'] as const;
export type MetricsExporterName = (typeof METRICS_EXPORTERS)[number];

export const DEFAULT_ZIPKIN_URL = 'http://127.0.0.1:9411';
const ZIPKIN_SPANS_PATH = '/api/v2/spans';

/** Incoming requests not worth a trace (probes and scrapes). */
const UNTRACED_PATHS = /^\/(health\/|metrics(\?|$))/;

export interface TelemetryOptions {
  serviceName: string;
  serviceVersion?: string;
}

export interface TelemetryConfig {
  tracesExporter: TracesExporterName;
  metricsExporter: MetricsExporterName;
  /** Full span endpoint, when tracesExporter is zipkin. */
  zipkinEndpoint?: string;
}

/**
 * Reads the exporter choice from the environment:
 * - KETENLINK_TRACES_EXPORTER: zipkin (default) | otlp | console | none
 * - ZIPKIN_URL: Zipkin base URL, default http://127.0.0.1:9411 (/api/v2/spans is appended)
 * - KETENLINK_METRICS_EXPORTER: otlp | console | none; default otlp when traces go to OTLP,
 *   else none (GET /metrics serves the values either way)
 * - OTLP endpoints and headers: the standard OTEL_EXPORTER_OTLP_* variables.
 * An unknown value throws: a misconfigured service should not start silently untraced.
 */
export function resolveTelemetryConfig(env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  const tracesExporter = pick(env, 'KETENLINK_TRACES_EXPORTER', TRACES_EXPORTERS, 'zipkin');
  const metricsExporter = pick(
    env,
    'KETENLINK_METRICS_EXPORTER',
    METRICS_EXPORTERS,
    tracesExporter === 'otlp' ? 'otlp' : 'none',
  );
  const config: TelemetryConfig = { tracesExporter, metricsExporter };
  if (tracesExporter === 'zipkin') {
    const base = (env.ZIPKIN_URL?.trim() || DEFAULT_ZIPKIN_URL).replace(/\/+$/, '');
    config.zipkinEndpoint = base.endsWith(ZIPKIN_SPANS_PATH) ? base : base + ZIPKIN_SPANS_PATH;
  }
  return config;
}

function pick<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new Error(`${name}=${raw} is not one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

function createSpanExporter(config: TelemetryConfig): SpanExporter | undefined {
  switch (config.tracesExporter) {
    case 'zipkin':
      return new ZipkinExporter({ url: config.zipkinEndpoint });
    case 'otlp':
      return new OTLPTraceExporter();
    case 'console':
      return new ConsoleSpanExporter();
    case 'none':
      return undefined;
  }
}

function createMetricExporter(config: TelemetryConfig): PushMetricExporter | undefined {
  switch (config.metricsExporter) {
    case 'otlp':
      return new OTLPMetricExporter();
    case 'console':
      return new ConsoleMetricExporter();
    case 'none':
      return undefined;
  }
}

export interface TelemetryHandle extends TelemetryConfig {
  shutdown(): Promise<void>;
}

let running: { sdk: NodeSDK; handle: TelemetryHandle } | undefined;

/**
 * Starts tracing (W3C propagation, http/express/pg instrumentation, a batch span processor
 * to the configured exporter) and, if configured, OTLP/console metrics fed from
 * `metricsRegistry`. Idempotent: a second call returns the first handle.
 *
 * Kafka is deliberately not auto-instrumented: @ketenlink/messaging carries the context in
 * the CloudEvents `traceparent` stored with the outbox row (docs/adr/0007-observability.md).
 */
export function startTelemetry(options: TelemetryOptions): TelemetryHandle {
  if (running) return running.handle;
  const config = resolveTelemetryConfig();

  if (!process.env.OTEL_LOG_LEVEL) {
    // OTel's own warnings (export failures, modules loaded too early) as JSON log lines.
    diag.setLogger(diagLogger(options.serviceName), {
      logLevel: DiagLogLevel.WARN,
      suppressOverrideMessage: true,
    });
  }

  warnIfInstrumentedModulesLoaded();

  const spanExporter = createSpanExporter(config);
  const metricExporter = createMetricExporter(config);
  const exportIntervalMillis = Number(process.env.OTEL_METRIC_EXPORT_INTERVAL) || 60_000;

  // Our module already registered the same W3C propagator on load; let the SDK own it.
  propagation.disable();

  // Loaded here, not at module load: it pulls in every exporter (gRPC included, ~150 ms), which
  // unit tests importing this library for the trace helpers should not pay for.
  type SdkNode = typeof import('@opentelemetry/sdk-node');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NodeSDK } = require('@opentelemetry/sdk-node') as SdkNode;
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    resource: defaultResource().merge(
      resourceFromAttributes(
        options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {},
      ),
    ),
    textMapPropagator: createPropagator(),
    spanProcessors: spanExporter ? [new BatchSpanProcessor(spanExporter)] : [],
    metricReaders: metricExporter
      ? [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis })]
      : [],
    // No OTel log pipeline: logs go to stdout as JSON (createLogger) and carry the trace ids.
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? ''),
        requireParentforOutgoingSpans: true,
      }),
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      // Statement text only (parameterised, so no values); no spans for relay polling
      // that runs outside any trace.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  enableNodeMetrics(); // prom-client's process_* and nodejs_* metrics on GET /metrics

  if (metricExporter) {
    metricsRegistry.bindMeter(otelMetrics.getMeter('@ketenlink/observability'));
  }

  const handle: TelemetryHandle = { ...config, shutdown: () => shutdownTelemetry() };
  running = { sdk, handle };
  return handle;
}

/**
 * Flushes pending spans and metrics and stops the SDK. Call on SIGTERM after the Nest app
 * has closed. Bounded by `timeoutMs` (default 5 s) so an unreachable collector cannot eat
 * the whole termination grace period. No-op when telemetry was never started.
 */
export async function shutdownTelemetry(timeoutMs = 5_000): Promise<void> {
  const current = running;
  if (!current) return;
  running = undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      current.sdk.shutdown(),
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          diag.warn(`telemetry shutdown did not finish within ${timeoutMs} ms`);
          resolve();
        }, timeoutMs);
        timer.unref();
      }),
    ]);
  } catch (error: unknown) {
    diag.error('telemetry shutdown failed', error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * OTel's own "module loaded before instrumentation" check only works in a REPL, so check
 * here: express or pg already loaded means their spans will be missing.
 */
function warnIfInstrumentedModulesLoaded(): void {
  if (typeof require === 'undefined' || !require.cache) return;
  for (const name of ['express', 'pg']) {
    try {
      if (require.cache[require.resolve(name)]) {
        diag.warn(
          `${name} was loaded before startTelemetry(): its spans will be missing. ` +
            'Make the telemetry file the first import of main.ts.',
        );
      }
    } catch {
      // not installed: nothing to instrument
    }
  }
}

function diagLogger(serviceName: string): DiagLogger {
  const logger = createLogger(serviceName).child({ component: 'opentelemetry' });
  const write =
    (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') =>
    (message: string, ...args: unknown[]) =>
      args.length ? logger[level]({ args }, message) : logger[level](message);
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    verbose: write('trace'),
  };
}
