import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Registry,
  type LabelValues as PromLabelValues,
  type Metric,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client';

/**
 * The platform's metrics on prom-client (docs/adr/0007-observability.md): one process-wide
 * {@link MetricsRegistry} (a prom-client `Registry`) served as Prometheus text on `GET /metrics`
 * and, once {@link MetricsRegistry.bindMeter} has been called (startTelemetry does this when an
 * OTel metrics exporter is configured), also fed to OpenTelemetry through observable
 * instruments that read the same values.
 *
 * Gauges and counters are prom-client's own: `gauge.set(value)`, `gauge.set(labels, value)`,
 * `counter.inc(labels)`, `counter.inc(labels, by)`, `remove(labels)`, `reset()`.
 *
 * Label values must be low-cardinality operational facts (topic, partition, group, partner,
 * outcome, reason code): never client data, never a trajectory id.
 */

export { Counter, Gauge };
export type LabelValues<L extends string> = PromLabelValues<L>;

export interface Sample {
  labels: Record<string, string | number>;
  value: number;
}

export type MetricKind = 'gauge' | 'counter';

/** A gauge whose samples are computed when read (on scrape / OTel collection). */
export type GaugeCallback = () =>
  | Array<{ value: number; labels?: Record<string, string | number> }>
  | Promise<Array<{ value: number; labels?: Record<string, string | number> }>>;

/** A gauge computed on read; a callback that fails leaves the gauge without samples. */
class CallbackGauge extends Gauge<string> {
  #callback: GaugeCallback | undefined;

  static create(name: string, help: string, callback: GaugeCallback): CallbackGauge {
    const gauge = new CallbackGauge({ name, help, registers: [] });
    gauge.#callback = callback;
    return gauge;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<string>>> {
    let observed: Awaited<ReturnType<GaugeCallback>> = [];
    try {
      observed = (await this.#callback?.()) ?? [];
    } catch {
      observed = [];
    }
    const base = await super.get();
    return {
      ...base,
      values: observed.map(({ value, labels }) => ({ value, labels: labels ?? {} })),
    };
  }
}

type AnyMetric = Metric<string>;

export class MetricsRegistry extends Registry {
  /** `kind:label,label` per name, to tell a repeated definition from a conflicting one. */
  private readonly shapes = new Map<string, string>();
  private meter: Meter | undefined;

  /** A gauge; defining the same one twice (same labels) returns the first definition. */
  gauge<const L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
  ): Gauge<L> {
    return this.define(name, `gauge:${labelNames.join()}`, () => {
      return new Gauge<L>({ name, help, labelNames, registers: [this] });
    });
  }

  /** A counter (name ends in `_total`); same rule for repeated definitions. */
  counter<const L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
  ): Counter<L> {
    return this.define(name, `counter:${labelNames.join()}`, () => {
      return new Counter<L>({ name, help, labelNames, registers: [this] });
    });
  }

  /**
   * A gauge computed on read, e.g. `SELECT count(*)` over the outbox. The callback runs on
   * every scrape and OTel collection: keep it cheap, and let it throw rather than hang.
   */
  registerGauge(name: string, help: string, callback: GaugeCallback): void {
    this.define(name, 'callback-gauge', () => {
      const gauge = CallbackGauge.create(name, help, callback);
      this.registerMetric(gauge);
      return gauge;
    });
  }

  /** Prometheus text exposition format 0.0.4 (`this.contentType`). */
  renderPrometheus(): Promise<string> {
    return this.metrics();
  }

  override registerMetric<T extends string>(metric: Metric<T>): void {
    super.registerMetric(metric);
    if (this.meter) this.observe(metric);
  }

  /**
   * Also report every gauge and counter (present and future) to OpenTelemetry through
   * observable instruments reading this registry. Called by startTelemetry; call at most once.
   */
  bindMeter(meter: Meter): void {
    if (this.meter) return;
    this.meter = meter;
    for (const metric of this.getMetricsAsArray()) this.observe(metric as unknown as AnyMetric);
  }

  private define<M>(name: string, shape: string, create: () => M): M {
    const existing = this.shapes.get(name);
    if (existing !== undefined) {
      if (existing === shape && shape !== 'callback-gauge') return this.getSingleMetric(name) as M;
      throw new Error(`metric ${name} is already registered differently`);
    }
    let metric: M;
    try {
      metric = create();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`invalid metric ${name}: ${message}`);
    }
    this.shapes.set(name, shape);
    return metric;
  }

  private observe<T extends string>(metric: Metric<T>): void {
    // By class, not by `type`: prom-client registers a metric before its constructor sets it.
    const kind = metric instanceof Counter ? 'counter' : metric instanceof Gauge ? 'gauge' : null;
    if (!kind) return; // histograms, summaries: Prometheus only
    const { name, help } = metric as unknown as { name: string; help: string };
    const meter = this.meter!;
    const options = { description: help };
    const instrument =
      kind === 'counter'
        ? meter.createObservableCounter(name, options)
        : meter.createObservableGauge(name, options);
    instrument.addCallback(async (result: ObservableResult<Attributes>) => {
      const { values } = await metric.get();
      for (const sample of values) {
        if ('metricName' in sample && sample.metricName) continue;
        result.observe(sample.value, sample.labels as Attributes);
      }
    });
  }
}

/** The process-wide registry served by HealthModule's `GET /metrics`. */
export const metricsRegistry = new MetricsRegistry();

let nodeMetricsOn = false;

/**
 * prom-client's default Node.js metrics (`process_*`, `nodejs_*`: RSS, heap, event-loop lag,
 * GC) on the process registry. startTelemetry turns them on for services; idempotent.
 */
export function enableNodeMetrics(registry: MetricsRegistry = metricsRegistry): void {
  if (registry === metricsRegistry) {
    if (nodeMetricsOn) return;
    nodeMetricsOn = true;
  }
  collectDefaultMetrics({ register: registry });
}

/**
 * The platform's shared metrics (architecture §6). Names, help texts and labels are what
 * dashboards read: metrics-names.spec.ts holds them fixed.
 */
export const metrics = {
  /** Outbox rows not yet published. */
  outboxBacklog: metricsRegistry.gauge(
    'ketenlink_outbox_backlog',
    'Outbox rows not yet published to Kafka',
  ),
  /** Age in seconds of the oldest unpublished outbox row (0 when empty). */
  outboxOldestAgeSeconds: metricsRegistry.gauge(
    'ketenlink_outbox_oldest_age_seconds',
    'Age in seconds of the oldest unpublished outbox row',
  ),
  /** High watermark minus committed offset, per consumer group, topic and partition. */
  consumerLag: metricsRegistry.gauge(
    'ketenlink_consumer_lag',
    'Messages not yet consumed (high watermark - committed offset)',
    ['group', 'topic', 'partition'],
  ),
  /** Events sent to a dead-letter topic, by consumer group and reason code. */
  deadLetters: metricsRegistry.counter(
    'ketenlink_dead_letters_total',
    'Events sent to a dead-letter topic',
    ['group', 'reason'],
  ),
  /** Events published by the outbox relay, by topic and CloudEvents type. */
  eventsPublished: metricsRegistry.counter(
    'ketenlink_events_published_total',
    'Events published to Kafka',
    ['topic', 'type'],
  ),
  /** Events whose effect was committed by a consumer, by group, topic and CloudEvents type. */
  eventsConsumed: metricsRegistry.counter(
    'ketenlink_events_consumed_total',
    'Events consumed and committed',
    ['group', 'topic', 'type'],
  ),
  /** Partner deliveries (topic or webhook), by partner and outcome. */
  partnerDeliveries: metricsRegistry.counter(
    'ketenlink_partner_deliveries_total',
    'Deliveries to partners by outcome',
    ['partner', 'outcome'],
  ),
};
