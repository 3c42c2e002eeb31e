import { metrics, metricsRegistry } from '@ketenlink/observability';

/** What the messaging library reports (architecture §6); defaults to the process registry. */
export interface MessagingMetrics {
  outboxBacklog(rows: number, oldestAgeSeconds: number): void;
  published(topic: string, type: string): void;
  consumed(
    topic: string,
    group: string,
    type: string,
    outcome: 'processed' | 'duplicate' | 'ignored' | 'dead-lettered',
  ): void;
  deadLettered(group: string, reason: string): void;
  consumerLag(topic: string, partition: number, group: string, lag: number): void;
  /** An outbox row Kafka refused for good was parked (docs/adr/0012-outbox-leases-and-parking.md). */
  parked(topic: string, type: string): void;
  /** Rows deleted by retention (docs/data-retention.md), by table. */
  purged(table: string, rows: number): void;
}

export const noopMessagingMetrics: MessagingMetrics = {
  outboxBacklog: () => undefined,
  published: () => undefined,
  consumed: () => undefined,
  deadLettered: () => undefined,
  consumerLag: () => undefined,
  parked: () => undefined,
  purged: () => undefined,
};

const outboxParked = metricsRegistry.counter(
  'ketenlink_outbox_parked_total',
  'Outbox rows Kafka refused for good and the relay parked (their key waits)',
  ['topic', 'type'],
);
const retentionPurged = metricsRegistry.counter(
  'ketenlink_retention_purged_total',
  'Rows deleted by the retention purge',
  ['table'],
);

/** The platform metrics served on GET /metrics and exported through OpenTelemetry. */
export const registryMessagingMetrics: MessagingMetrics = {
  outboxBacklog: (rows, age) => {
    metrics.outboxBacklog.set(rows);
    metrics.outboxOldestAgeSeconds.set(age);
  },
  published: (topic, type) => metrics.eventsPublished.inc({ topic, type }),
  consumed: (topic, group, type, outcome) => {
    if (outcome === 'processed') metrics.eventsConsumed.inc({ group, topic, type });
  },
  deadLettered: (group, reason) => metrics.deadLetters.inc({ group, reason }),
  consumerLag: (topic, partition, group, lag) =>
    metrics.consumerLag.set({ group, topic, partition }, lag),
  parked: (topic, type) => outboxParked.inc({ topic, type }),
  purged: (table, rows) => retentionPurged.inc({ table }, rows),
};
