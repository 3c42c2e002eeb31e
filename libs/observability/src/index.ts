// Public API of @ketenlink/observability (docs/adr/0007-observability.md).
export {
  startTelemetry,
  shutdownTelemetry,
  resolveTelemetryConfig,
  DEFAULT_ZIPKIN_URL,
  TRACES_EXPORTERS,
  METRICS_EXPORTERS,
} from './telemetry';
export type {
  TelemetryOptions,
  TelemetryConfig,
  TelemetryHandle,
  TracesExporterName,
  MetricsExporterName,
} from './telemetry';

export {
  TRACEPARENT,
  TRACESTATE,
  TRACER_NAME,
  createPropagator,
  ensureGlobalPropagator,
  currentTraceparent,
  currentTraceIds,
  contextFromTraceparent,
  withSpan,
  SpanKind,
  SpanStatusCode,
} from './trace-context';
export type { WithSpanOptions, Context, Span, Link, Attributes } from './trace-context';

export {
  MetricsRegistry,
  Gauge,
  Counter,
  metricsRegistry,
  metrics,
  enableNodeMetrics,
} from './metrics';
export type { LabelValues, Sample, MetricKind, GaugeCallback } from './metrics';

export { createLogger, PinoNestLogger, REDACT_PATHS } from './logger';
export type { Logger, CreateLoggerOptions } from './logger';

export {
  HealthModule,
  HealthController,
  PUBLIC_ROUTE_KEY,
  HEALTH_MODULE_OPTIONS,
  DEFAULT_READINESS_TIMEOUT_MS,
  ReadinessChecks,
  runCheck,
} from './health';
export type {
  HealthCheck,
  HealthModuleOptions,
  HealthModuleAsyncOptions,
  ReadinessReport,
  CheckData,
} from './health';

export { setupTestTracing } from './testing';
export { captureAllLogs, type LogCapture } from './log-capture';
export type { TestTracing } from './testing';
