import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { ConsumerState, KafkaClients, ProducerPort, TopicSpec } from '../kafka/kafka.port';
import type { MessagingLogger } from '../logger';
import { registryMessagingMetrics, type MessagingMetrics } from '../metrics';
import type { TransactionRunner } from '../sql';
import { EventConsumer } from './event-consumer';
import { EventContext } from './event-context';
import { EventProcessor, type PayloadValidator, type RetryPolicy } from './event-processor';

export interface CloudEventsTransportOptions {
  /** The Kafka adapter (kafkaClients()). */
  readonly clients: KafkaClients;
  /** Kafka consumer group id: one per consuming service (prefixed per deployment, if at all). */
  readonly group: string;
  /** Logical consumer name, the inbox key (default `group`): without any deployment prefix. */
  readonly consumer?: string;
  readonly topics: readonly string[];
  /** Created if missing each time the consumer (re)connects (context topics, dead letters). */
  readonly ensureTopics?: readonly TopicSpec[];
  readonly transaction: TransactionRunner;
  readonly validate: PayloadValidator;
  readonly retry?: RetryPolicy;
  readonly partitionsConsumedConcurrently?: number;
  readonly metrics?: MessagingMetrics;
  readonly logger?: MessagingLogger;
}

/**
 * NestJS transport strategy for CloudEvents on Kafka (docs/adr/0001-kafka-client.md).
 * The stock Kafka transport auto-commits around the handler and runs no validation on consume
 * (nestjs/nest#5974, #10972); this one routes by CloudEvents `type` to `@EventPattern(type)`
 * handlers and gives every batch the inbox/validation/dead-letter treatment of EventProcessor.
 */
/**
 * `@EventPattern(ANY_EVENT_TYPE)` receives every event type that has no handler of its own
 * (e.g. a read model that records every event of a trajectory). Validation, inbox and
 * dead-lettering apply as for any handler.
 */
export const ANY_EVENT_TYPE = 'nl.ketenlink.*';

export class CloudEventsKafkaTransport extends Server implements CustomTransportStrategy {
  private runner: EventConsumer | undefined;
  private producer: ProducerPort | undefined;

  constructor(private readonly options: CloudEventsTransportOptions) {
    super();
  }

  /**
   * Where the consumer stands (for readiness): `connecting` until Kafka is reached and the group
   * joined (also while Kafka is away), `running`, `stopped` before listen/after close.
   */
  get state(): ConsumerState {
    return this.runner?.state ?? 'stopped';
  }

  /** Returns at once: the consumer connects in the background and keeps retrying (EventConsumer). */
  async listen(callback: () => void): Promise<void> {
    const o = this.options;
    const metrics: MessagingMetrics = o.metrics ?? registryMessagingMetrics;
    const producer = o.clients.producer();
    const processor = new EventProcessor({
      group: o.group,
      ...(o.consumer ? { consumer: o.consumer } : {}),
      validate: o.validate,
      transaction: o.transaction,
      deadLetters: producer,
      ...(o.retry ? { retry: o.retry } : {}),
      metrics,
      ...(o.logger ? { logger: o.logger } : {}),
      resolveHandler: (type) => {
        // A handler for the exact type wins; ANY_EVENT_TYPE catches every other valid event.
        const handler = this.getHandlerByPattern(type) ?? this.getHandlerByPattern(ANY_EVENT_TYPE);
        if (!handler) return undefined;
        return async (event, tx, position) => {
          const result = await handler(event.data, new EventContext([event, tx, position]));
          await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
        };
      },
    });
    this.runner = new EventConsumer({
      clients: o.clients,
      groupId: o.group,
      topics: o.topics,
      ...(o.ensureTopics ? { ensureTopics: o.ensureTopics } : {}),
      producer,
      partitionsConsumedConcurrently: o.partitionsConsumedConcurrently ?? 3,
      onBatch: async (batch) => {
        await processor.processBatch(batch);
      },
      onLag: (topic, partition, lag) => metrics.consumerLag(topic, partition, o.group, lag),
      ...(o.logger ? { logger: o.logger } : {}),
    });
    this.producer = producer;
    this.runner.start();
    callback();
  }

  async close(): Promise<void> {
    await this.runner?.stop();
    await this.producer?.disconnect();
  }

  on(): void {
    throw new Error('CloudEventsKafkaTransport does not support event listeners');
  }

  unwrap<T>(): T {
    return this.runner as T;
  }
}
