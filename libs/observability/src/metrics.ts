import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';

/**
 * A small in-process metrics registry. It is the source of truth for the values served as
 * Prometheus text on `GET /metrics` and, once {@link MetricsRegistry.bindMeter} has been
 * called (startTelemetry does this when an OTel metrics exporter is configured), it also
 * feeds OpenTelemetry through observable instruments that read the same values.
 *
 * Label values must be low-cardinality operational facts (topic, partition, group, partner,
 * outcome, reason code): never client data, never a trajectory id.
 */

export type LabelValues<L extends string> = { readonly [K in L]: string | number };
/** No labels declared: the labels argument may be left out. Otherwise it is required. */
type LabelArgs<L extends string> = [L] extends [never]
  ? [labels?: LabelValues<L>]
  : [labels: LabelValues<L>];
type CounterArgs<L extends string> = [L] extends [never]
  ? [labels?: LabelValues<L>, by?: number]
  : [labels: LabelValues<L>, by?: number];

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export type MetricKind = 'gauge' | 'counter';

/** A gauge whose samples are computed when read (on scrape / OTel collection). */
export type GaugeCallback = () =>
  | Array<{ value: number; labels?: Record<string, string | number> }>
  | Promise<Array<{ value: number; labels?: Record<string, string | number> }>>;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly kind: MetricKind;
  readonly labelNames: readonly string[];
  collect(): Promise<Sample[]> | Sample[];
}

abstract class StoredMetric<L extends string> implements Metric {
  abstract readonly kind: MetricKind;
  protected readonly values = new Map<string, Sample>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
  ) {}

  protected entry(labels: LabelValues<L> | undefined): Sample {
    const normalised: Record<string, string> = {};
    for (const label of this.labelNames) {
      normalised[label] = String(labels?.[label] ?? '');
    }
    const key = JSON.stringify(this.labelNames.map((l) => normalised[l]));
    let sample = this.values.get(key);
    if (!sample) {
      sample = { labels: normalised, value: 0 };
      this.values.set(key, sample);
    }
    return sample;
  }

  /** Forget one label set (e.g. the lag of a partition no longer assigned). */
  remove(...[labels]: LabelArgs<L>): void {
    const key = JSON.stringify(this.labelNames.map((l) => String(labels?.[l] ?? '')));
    this.values.delete(key);
  }

  /** Forget all label sets. */
  reset(): void {
    this.values.clear();
  }

  collect(): Sample[] {
    return [...this.values.values()].map((s) => ({ labels: { ...s.labels }, value: s.value }));
  }
}

export class Gauge<L extends string = never> extends StoredMetric<L> {
  readonly kind = 'gauge' as const;

  set(value: number, ...[labels]: LabelArgs<L>): void {
    this.entry(labels).value = value;
  }

  /** Current value for a label set (0 when never set). */
  get(...[labels]: LabelArgs<L>): number {
    return this.entry(labels).value;
  }
}

export class Counter<L extends string = never> extends StoredMetric<L> {
  readonly kind = 'counter' as const;

  /** Adds `by` (default 1, must be >= 0) to the counter for the given labels. */
  inc(...args: CounterArgs<L>): void {
    const [labels, by = 1] = args as [LabelValues<L> | undefined, number | undefined];
    if (!(by >= 0)) throw new RangeError(`counter ${this.name} can only increase (got ${by})`);
    this.entry(labels).value += by;
  }

  get(...[labels]: LabelArgs<L>): number {
    return this.entry(labels).value;
  }
}

class CallbackGauge implements Metric {
  readonly kind = 'gauge' as const;
  readonly labelNames: readonly string[] = [];
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly callback: GaugeCallback,
  ) {}

  async collect(): Promise<Sample[]> {
    const observed = await this.callback();
    return observed.map(({ value, labels }) => ({
      value,
      labels: Object.fromEntries(Object.entries(labels ?? {}).map(([k, v]) => [k, String(v)])),
    }));
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();
  private meter: Meter | undefined;

  gauge<const L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
  ): Gauge<L> {
    return this.add(new Gauge<L>(name, help, labelNames), Gauge);
  }

  counter<const L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
  ): Counter<L> {
    return this.add(new Counter<L>(name, help, labelNames), Counter);
  }

  /**
   * A gauge computed on read, e.g. `SELECT count(*)` over the outbox. The callback runs on
   * every scrape and OTel collection: keep it cheap, and let it throw rather than hang.
   */
  registerGauge(name: string, help: string, callback: GaugeCallback): void {
    this.add(new CallbackGauge(name, help, callback), CallbackGauge);
  }

  /** Current samples of every metric (callback gauges that fail are left out). */
  async snapshot(): Promise<Array<{ metric: Metric; samples: Sample[] }>> {
    return Promise.all(
      [...this.metrics.values()].map(async (metric) => {
        try {
          return { metric, samples: await metric.collect() };
        } catch {
          return { metric, samples: [] };
        }
      }),
    );
  }

  /** Prometheus text exposition format 0.0.4. */
  async renderPrometheus(): Promise<string> {
    const lines: string[] = [];
    for (const { metric, samples } of await this.snapshot()) {
      lines.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`);
      lines.push(`# TYPE ${metric.name} ${metric.kind}`);
      for (const sample of samples) {
        lines.push(`${metric.name}${renderLabels(sample.labels)} ${formatValue(sample.value)}`);
      }
    }
    return lines.length ? `${lines.join('\n')}\n` : '';
  }

  /**
   * Also report every metric (present and future) to OpenTelemetry through observable
   * instruments reading this registry. Called by startTelemetry; call at most once.
   */
  bindMeter(meter: Meter): void {
    if (this.meter) return;
    this.meter = meter;
    for (const metric of this.metrics.values()) this.observe(metric);
  }

  private add<M extends Metric>(metric: M, type: abstract new (...args: never[]) => M): M {
    if (!METRIC_NAME.test(metric.name)) throw new Error(`invalid metric name: ${metric.name}`);
    for (const label of metric.labelNames) {
      if (!LABEL_NAME.test(label)) throw new Error(`invalid label name ${label} on ${metric.name}`);
    }
    const existing = this.metrics.get(metric.name);
    if (existing) {
      // Defining the same metric twice (same type and labels) returns the first definition.
      if (
        existing instanceof type &&
        existing.labelNames.join() === metric.labelNames.join() &&
        !(existing instanceof CallbackGauge)
      ) {
        return existing;
      }
      throw new Error(`metric ${metric.name} is already registered differently`);
    }
    this.metrics.set(metric.name, metric);
    if (this.meter) this.observe(metric);
    return metric;
  }

  private observe(metric: Metric): void {
    const meter = this.meter!;
    const options = { description: metric.help };
    const instrument =
      metric.kind === 'counter'
        ? meter.createObservableCounter(metric.name, options)
        : meter.createObservableGauge(metric.name, options);
    instrument.addCallback(async (result: ObservableResult<Attributes>) => {
      for (const sample of await metric.collect()) result.observe(sample.value, sample.labels);
    });
  }
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function renderLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** The process-wide registry served by HealthModule's `GET /metrics`. */
export const metricsRegistry = new MetricsRegistry();

/** The platform's shared metrics (architecture §6). */
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
