import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { enableNodeMetrics, metrics, metricsRegistry, MetricsRegistry } from './metrics';

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

describe('MetricsRegistry (prom-client)', () => {
  it('renders gauges and counters as Prometheus text', async () => {
    const registry = new MetricsRegistry();
    const backlog = registry.gauge('ketenlink_outbox_backlog', 'Outbox rows not yet published');
    const lag = registry.gauge('ketenlink_consumer_lag', 'Lag', ['group', 'topic', 'partition']);
    const deliveries = registry.counter('ketenlink_partner_deliveries_total', 'Deliveries', [
      'partner',
      'outcome',
    ]);
    backlog.set(3);
    lag.set({ group: 'g1', topic: 'ketenlink.placement.v1', partition: 0 }, 5);
    lag.set({ group: 'g1', topic: 'ketenlink.placement.v1', partition: 1 }, 7);
    deliveries.inc({ partner: 'reclassering', outcome: 'delivered' });
    deliveries.inc({ partner: 'reclassering', outcome: 'delivered' }, 2);

    expect(registry.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await registry.renderPrometheus()).toBe(
      [
        '# HELP ketenlink_outbox_backlog Outbox rows not yet published',
        '# TYPE ketenlink_outbox_backlog gauge',
        'ketenlink_outbox_backlog 3',
        '',
        '# HELP ketenlink_consumer_lag Lag',
        '# TYPE ketenlink_consumer_lag gauge',
        'ketenlink_consumer_lag{group="g1",topic="ketenlink.placement.v1",partition="0"} 5',
        'ketenlink_consumer_lag{group="g1",topic="ketenlink.placement.v1",partition="1"} 7',
        '',
        '# HELP ketenlink_partner_deliveries_total Deliveries',
        '# TYPE ketenlink_partner_deliveries_total counter',
        'ketenlink_partner_deliveries_total{partner="reclassering",outcome="delivered"} 3',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and help text, and formats special values', async () => {
    const registry = new MetricsRegistry();
    const g = registry.gauge('x', 'line one\nback\\slash', ['reason']);
    g.set({ reason: 'say "hi"\\\n' }, Number.NaN);
    g.set({ reason: 'inf' }, Infinity);
    const text = await registry.renderPrometheus();
    expect(text).toContain('# HELP x line one\\nback\\\\slash');
    expect(text).toContain('x{reason="say \\"hi\\"\\\\\\n"} Nan');
    expect(text).toContain('x{reason="inf"} +Inf');
  });

  it('removes a label set, rejects decreasing counters and bad names', async () => {
    const registry = new MetricsRegistry();
    const lag = registry.gauge('lag', 'Lag', ['partition']);
    lag.set({ partition: 0 }, 1);
    lag.remove({ partition: 0 });
    expect((await lag.get()).values).toEqual([]);
    const c = registry.counter('c_total', 'C');
    expect(() => c.inc(-1)).toThrow(/not possible to decrease/);
    expect(() => registry.gauge('bad-name', 'x')).toThrow(/invalid metric bad-name/);
    expect(() => registry.counter('lag', 'x', ['partition'])).toThrow(/already registered/);
    expect(() => registry.gauge('lag', 'Lag', ['topic'])).toThrow(/already registered/);
    expect(registry.gauge('lag', 'Lag', ['partition'])).toBe(lag);
    expect(() => lag.set({ topic: 't' } as never, 1)).toThrow(/label/);
  });

  it('serves callback gauges and leaves out the samples of ones that fail', async () => {
    const registry = new MetricsRegistry();
    registry.registerGauge('ketenlink_outbox_oldest_age_seconds', 'Age', async () => [
      { value: 12.5 },
    ]);
    registry.registerGauge('per_topic', 'Per topic', () => [
      { value: 1, labels: { topic: 'a' } },
      { value: 2, labels: { topic: 'b' } },
    ]);
    registry.registerGauge('broken', 'Fails', () => {
      throw new Error('db down');
    });
    const text = await registry.renderPrometheus();
    expect(text).toContain('ketenlink_outbox_oldest_age_seconds 12.5\n');
    expect(text).toContain('per_topic{topic="a"} 1\nper_topic{topic="b"} 2\n');
    expect(text).toContain('# TYPE broken gauge\n');
    expect(text).not.toMatch(/^broken /m);
    expect(() => registry.registerGauge('broken', 'Again', () => [])).toThrow(/already/);
  });

  it('feeds OpenTelemetry through observable instruments once bound', async () => {
    const registry = new MetricsRegistry();
    const published = registry.counter('ketenlink_events_published_total', 'Published', [
      'topic',
      'type',
    ]);
    published.inc({ topic: 't', type: 'nl.ketenlink.trajectory.opened.v1' }, 4);
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    registry.bindMeter(provider.getMeter('test'));
    const backlog = registry.gauge('ketenlink_outbox_backlog', 'Backlog'); // defined after binding
    backlog.set(9);
    registry.registerGauge('cb', 'Callback', () => [{ value: 3, labels: { k: 'v' } }]);

    const { resourceMetrics } = await reader.collect();
    const collected = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const byName = Object.fromEntries(collected.map((m) => [m.descriptor.name, m]));
    expect(byName['ketenlink_events_published_total'].dataPoints[0]).toMatchObject({
      value: 4,
      attributes: { topic: 't', type: 'nl.ketenlink.trajectory.opened.v1' },
    });
    expect(byName['ketenlink_outbox_backlog'].dataPoints[0].value).toBe(9);
    expect(byName['cb'].dataPoints[0]).toMatchObject({ value: 3, attributes: { k: 'v' } });
    await provider.shutdown();
  });

  it('adds the default Node.js metrics on request', async () => {
    const registry = new MetricsRegistry();
    enableNodeMetrics(registry);
    const text = await registry.renderPrometheus();
    expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  it('defines the platform metrics on the shared registry', async () => {
    metrics.deadLetters.inc({ group: 'partner-gateway', reason: 'schema-invalid' });
    metrics.consumerLag.set({ group: 'g', topic: 't', partition: 3 }, 2);
    const text = await metricsRegistry.renderPrometheus();
    expect(text).toContain(
      'ketenlink_dead_letters_total{group="partner-gateway",reason="schema-invalid"} 1',
    );
    expect(text).toContain('ketenlink_consumer_lag{group="g",topic="t",partition="3"} 2');
    metrics.deadLetters.reset();
    metrics.consumerLag.reset();
  });
});
