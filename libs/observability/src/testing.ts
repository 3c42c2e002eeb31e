import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { ensureGlobalPropagator } from './trace-context';

export interface TestTracing {
  exporter: InMemorySpanExporter;
  provider: BasicTracerProvider;
  /** Spans ended so far. */
  spans(): ReadableSpan[];
  /** Forget the recorded spans. */
  reset(): void;
  /** Unregister everything again (afterAll). */
  shutdown(): Promise<void>;
}

/**
 * For unit tests (this library's and others'): a real tracer provider recording ended spans
 * in memory, an AsyncLocalStorage context manager and the W3C propagator, registered
 * globally, without starting the Node SDK or any instrumentation.
 */
export function setupTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.disable();
  trace.setGlobalTracerProvider(provider);
  context.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  ensureGlobalPropagator();
  return {
    exporter,
    provider,
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
