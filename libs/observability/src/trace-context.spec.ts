import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  contextFromTraceparent,
  currentTraceIds,
  currentTraceparent,
  withSpan,
} from './trace-context';
import { setupTestTracing, type TestTracing } from './testing';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/;

describe('trace context helpers', () => {
  let tracing: TestTracing;

  beforeAll(() => {
    tracing = setupTestTracing();
  });
  afterEach(() => tracing.reset());
  afterAll(() => tracing.shutdown());

  it('has no traceparent outside a span', () => {
    expect(currentTraceparent()).toBeUndefined();
    expect(currentTraceIds()).toBeUndefined();
  });

  it('round-trips a traceparent: the child in a fresh context continues the trace', async () => {
    let traceparent: string | undefined;
    let originalTraceId = '';
    let originalSpanId = '';
    await withSpan('http command', { kind: SpanKind.SERVER }, async (span) => {
      traceparent = currentTraceparent();
      originalTraceId = span.spanContext().traceId;
      originalSpanId = span.spanContext().spanId;
    });
    expect(traceparent).toMatch(TRACEPARENT);
    expect(traceparent).toBe(`00-${originalTraceId}-${originalSpanId}-01`);

    // Later, elsewhere (outbox relay, consumer): nothing active, only the stored string.
    await context.with(ROOT_CONTEXT, async () => {
      expect(trace.getActiveSpan()).toBeUndefined();
      await withSpan(
        'consume',
        { kind: SpanKind.CONSUMER, parent: contextFromTraceparent(traceparent) },
        async () => {
          expect(currentTraceIds()?.traceId).toBe(originalTraceId);
        },
      );
    });

    const child = tracing.spans().find((s) => s.name === 'consume')!;
    expect(child.spanContext().traceId).toBe(originalTraceId);
    expect(child.parentSpanContext?.spanId).toBe(originalSpanId);
    expect(child.parentSpanContext?.isRemote).toBe(true);
    expect(child.kind).toBe(SpanKind.CONSUMER);
  });

  it('nests under the active span when no parent is given', async () => {
    await withSpan('outer', {}, async () => {
      await withSpan('inner', { attributes: { 'messaging.system': 'kafka' } }, async () => {});
    });
    const [inner, outer] = tracing.spans();
    expect(inner.name).toBe('inner');
    expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(inner.attributes['messaging.system']).toBe('kafka');
    expect(outer.status.code).toBe(SpanStatusCode.OK);
  });

  it('records the exception, sets ERROR status, ends the span and rethrows', async () => {
    const failure = new Error('broker unavailable');
    await expect(
      withSpan('publish', { kind: SpanKind.PRODUCER }, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);

    const [span] = tracing.spans();
    expect(span.name).toBe('publish');
    expect(span.ended).toBe(true);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'broker unavailable' });
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(span.events[0].attributes?.['exception.message']).toBe('broker unavailable');
  });

  it('passes links through', async () => {
    let linked = trace.wrapSpanContext({ traceId: '', spanId: '', traceFlags: 0 }).spanContext();
    await withSpan('origin', {}, async (span) => {
      linked = span.spanContext();
    });
    await withSpan('batch', { links: [{ context: linked }], parent: ROOT_CONTEXT }, async () => {});
    const batch = tracing.spans().find((s) => s.name === 'batch')!;
    expect(batch.links[0].context.spanId).toBe(linked.spanId);
    expect(batch.parentSpanContext).toBeUndefined();
  });

  it.each([undefined, '', 'garbage', '00-00000000000000000000000000000000-0000000000000000-01'])(
    'treats a missing or invalid traceparent (%p) as no parent',
    (value) => {
      const ctx = contextFromTraceparent(value);
      expect(trace.getSpanContext(ctx)).toBeUndefined();
      expect(currentTraceparent(ctx)).toBeUndefined();
    },
  );

  it('ignores the active span when building a context from a traceparent', async () => {
    const remote = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await withSpan('unrelated', {}, async () => {
      const ctx = contextFromTraceparent(remote);
      expect(currentTraceparent(ctx)).toBe(remote);
    });
  });
});
