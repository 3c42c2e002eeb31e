import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';

/** W3C trace context header / CloudEvents extension name. */
export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

/** Name of the tracer used by {@link withSpan}. */
export const TRACER_NAME = '@ketenlink/observability';

// The messaging helpers always speak W3C trace context, whatever OTEL_PROPAGATORS says:
// the CloudEvents `traceparent` extension is W3C by definition.
const w3c = new W3CTraceContextPropagator();

/** The propagator the platform uses everywhere: W3C trace context + W3C baggage. */
export function createPropagator(): CompositePropagator {
  return new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
}

/**
 * Registers the W3C propagator globally unless one is registered already. Runs when this
 * module is loaded, so HTTP helpers that use `propagation.inject/extract` behave the same in
 * unit tests (no SDK) as in a running service. `startTelemetry` registers the same propagator.
 */
export function ensureGlobalPropagator(): void {
  if (propagation.fields().length === 0) {
    propagation.setGlobalPropagator(createPropagator());
  }
}
ensureGlobalPropagator();

/**
 * The W3C `traceparent` of the active span (e.g. to store with an outbox row or to put in a
 * CloudEvent), or undefined when there is no valid span context.
 */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier[TRACEPARENT];
}

/**
 * A context whose remote parent is the given `traceparent` (and optional `tracestate`).
 * Starts from ROOT_CONTEXT, so nothing of the caller's active span leaks in; returns
 * ROOT_CONTEXT for a missing or malformed value (a new trace will start).
 */
export function contextFromTraceparent(traceparent?: string | null, tracestate?: string): Context {
  if (!traceparent) return ROOT_CONTEXT;
  const carrier: Record<string, string> = { [TRACEPARENT]: traceparent };
  if (tracestate) carrier[TRACESTATE] = tracestate;
  return w3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

export interface WithSpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Parent context; defaults to the active context. Use {@link contextFromTraceparent}. */
  parent?: Context;
  links?: Link[];
}

/**
 * Runs `fn` inside a new active span. On success the span gets status OK; on a thrown error
 * the exception is recorded, the status set to ERROR, and the error rethrown. The span is
 * always ended.
 */
export async function withSpan<T>(
  name: string,
  options: WithSpanOptions,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = trace.getTracer(TRACER_NAME).startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      attributes: options.attributes,
      links: options.links,
    },
    parent,
  );
  try {
    const result = await context.with(trace.setSpan(parent, span), () => fn(span));
    span.setStatus({ code: SpanStatusCode.OK });
    return result;
  } catch (error: unknown) {
    const err = error instanceof Error ? error : new Error(String(error));
    span.recordException(err);
    span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    throw error;
  } finally {
    span.end();
  }
}

/** Trace and span id of the active span, if any (for logs, audit records, problem details). */
export function currentTraceIds(
  ctx: Context = context.active(),
): { traceId: string; spanId: string } | undefined {
  const sc = trace.getSpanContext(ctx);
  if (!sc || !trace.isSpanContextValid(sc)) return undefined;
  return { traceId: sc.traceId, spanId: sc.spanId };
}

export { SpanKind, SpanStatusCode };
export type { Context, Span, Link, Attributes };
