import { brokersFromEnv } from './kafkajs.adapter';
import { kafkajsClients } from './kafkajs.clients';
import type { IncomingBatch, IncomingRecord, KafkaClientName, KafkaClients } from './kafka.port';
import { platformaticClients } from './platformatic.adapter';

/** The adapter used when KETENLINK_KAFKA_CLIENT is not set (docs/adr/0013-kafka-port-and-client.md). */
export const DEFAULT_KAFKA_CLIENT: KafkaClientName = 'kafkajs';

export function kafkaClientFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaClientName {
  const v = env.KETENLINK_KAFKA_CLIENT?.trim();
  if (!v) return DEFAULT_KAFKA_CLIENT;
  if (v === 'kafkajs' || v === 'platformatic') return v;
  throw new Error(
    `KETENLINK_KAFKA_CLIENT must be kafkajs or platformatic, not ${JSON.stringify(v)}`,
  );
}

export interface KafkaClientsOptions {
  /** Kafka client.id (the service and role, e.g. `trajectory-consumer`). */
  readonly clientId: string;
  /** Default: KAFKA_BROKERS. */
  readonly brokers?: readonly string[];
  /** Default: KETENLINK_KAFKA_CLIENT, else DEFAULT_KAFKA_CLIENT. */
  readonly client?: KafkaClientName;
}

/** The one way to get Kafka clients: producer, consumer, admin and reader of one adapter. */
export function kafkaClients(options: KafkaClientsOptions): KafkaClients {
  const brokers = [...(options.brokers ?? brokersFromEnv())];
  const client = options.client ?? kafkaClientFromEnv();
  return client === 'platformatic'
    ? platformaticClients(options.clientId, brokers)
    : kafkajsClients(options.clientId, brokers);
}

/** For readers that look at one record at a time: `onBatch: eachRecord(async (r) => …)`. */
export function eachRecord(
  fn: (record: IncomingRecord) => Promise<void>,
): (batch: IncomingBatch) => Promise<void> {
  return async (batch) => {
    for (const r of batch.records) await fn(r);
  };
}
