import { CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { ConsumerState, KafkaClients, ProducerPort, TopicSpec } from '../kafka/kafka.port';
import type { MessagingLogger } from '../logger';
import { registryMessagingMetrics, type MessagingMetrics } from '../metrics';
import type { TransactionRunner } from '../sql';
import { EventConsumer } from './event-consumer';
import { EventContext } from './event-context';
import {
  type EventHandlerFn,
  EventProcessor,
  type PayloadValidator,
  type RetryPolicy,
} from './event-processor';

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

/**
 * `@EventPattern(type, { [HANDLER_ORDER]: -1 })`: where a handler runs among the handlers of the
 * same type (lower first, default 0; equal: registration order). A shared projection the
 * service's own handlers read (e.g. @ketenlink/trajectory-facts) runs first this way.
 */
export const HANDLER_ORDER = 'ketenlinkHandlerOrder';

const orderOf = (h: MessageHandler): number => {
  const v = (h.extras as Record<string, unknown> | undefined)?.[HANDLER_ORDER];
  return typeof v === 'number' ? v : 0;
};

export class CloudEventsKafkaTransport extends Server implements CustomTransportStrategy {
  private runner: EventConsumer | undefined;
  private producer: ProducerPort | undefined;
  /** Every `@EventPattern` handler per event type, in registration order. */
  private readonly eventHandlers = new Map<string, MessageHandler[]>();

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

  /**
   * Several controllers may handle the same event type (e.g. a shared projection such as
   * @ketenlink/trajectory-facts beside the service's own handler). Nest would chain them and
   * run them concurrently (forkJoin); here they are kept apart and run one after the other,
   * by HANDLER_ORDER and then in registration order, in the same inbox transaction
   * (`handlerFor`).
   */
  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    extras: Record<string, any> = {},
  ): void {
    if (!isEventHandler) {
      super.addHandler(pattern, callback, isEventHandler, extras);
      return;
    }
    const key = this.normalizePattern(pattern as string);
    const handlers = this.eventHandlers.get(key) ?? [];
    callback.isEventHandler = true;
    callback.extras = extras;
    handlers.push(callback);
    // Stable: equal order keeps registration order.
    handlers.sort((a, b) => orderOf(a) - orderOf(b));
    this.eventHandlers.set(key, handlers);
    // Nest's own map keeps the first (so getHandlers() lists the type); no chaining through it.
    if (handlers.length === 1) this.messageHandlers.set(key, callback);
  }

  /**
   * What the consumer runs for one event type: every handler of that exact type (HANDLER_ORDER,
   * then registration order), each awaited before the next, all with the same transaction (a failure
   * in any rolls back the effects of all); otherwise the ANY_EVENT_TYPE handlers; otherwise none.
   */
  handlerFor(type: string): EventHandlerFn | undefined {
    const handlers = this.eventHandlers.get(type) ?? this.eventHandlers.get(ANY_EVENT_TYPE);
    if (!handlers?.length) return undefined;
    return async (event, tx, position, scope) => {
      for (const handler of handlers) {
        const result = await handler(event.data, new EventContext([event, tx, position, scope]));
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      }
    };
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
      // The handlers for the exact type win; ANY_EVENT_TYPE catches every other valid event.
      resolveHandler: (type) => this.handlerFor(type),
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
