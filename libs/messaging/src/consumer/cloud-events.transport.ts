import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { Kafka } from 'kafkajs';
import { KafkajsConsumer, KafkajsProducer } from '../kafka/kafkajs.adapter';
import type { ConsumerPort, ProducerPort } from '../kafka/kafka.port';
import type { MessagingLogger } from '../logger';
import { registryMessagingMetrics, type MessagingMetrics } from '../metrics';
import type { TransactionRunner } from '../sql';
import { EventContext } from './event-context';
import { EventProcessor, type PayloadValidator, type RetryPolicy } from './event-processor';

export interface CloudEventsTransportOptions {
  readonly kafka: Kafka;
  /** Consumer group: one per consuming service (and per projection when it must rebuild alone). */
  readonly group: string;
  readonly topics: readonly string[];
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
 * handlers and gives every record the inbox/validation/dead-letter treatment of EventProcessor.
 */
/**
 * `@EventPattern(ANY_EVENT_TYPE)` receives every event type that has no handler of its own
 * (e.g. a read model that records every event of a trajectory). Validation, inbox and
 * dead-lettering apply as for any handler.
 */
export const ANY_EVENT_TYPE = 'nl.ketenlink.*';

export class CloudEventsKafkaTransport extends Server implements CustomTransportStrategy {
  private consumer: ConsumerPort | undefined;
  private producer: ProducerPort | undefined;

  constructor(private readonly options: CloudEventsTransportOptions) {
    super();
  }

  async listen(callback: () => void): Promise<void> {
    const o = this.options;
    const metrics: MessagingMetrics = o.metrics ?? registryMessagingMetrics;
    this.producer = new KafkajsProducer(o.kafka);
    await this.producer.connect();
    const processor = new EventProcessor({
      group: o.group,
      validate: o.validate,
      transaction: o.transaction,
      deadLetters: this.producer,
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
    this.consumer = new KafkajsConsumer(o.kafka, o.group);
    await this.consumer.run({
      topics: o.topics,
      fromBeginning: true,
      partitionsConsumedConcurrently: o.partitionsConsumedConcurrently ?? 3,
      onRecord: async (record) => {
        await processor.process(record);
      },
      onLag: (topic, partition, lag) => metrics.consumerLag(topic, partition, o.group, lag),
    });
    callback();
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  on(): void {
    throw new Error('CloudEventsKafkaTransport does not support event listeners');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}
