import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Pool } from 'pg';
import { createKafka, KafkajsProducer } from '../kafka/kafkajs.adapter';
import type { MessagingLogger } from '../logger';
import type { MessagingMetrics } from '../metrics';
import { EventEmitter } from '../outbox/event-emitter';
import { OutboxRelay } from '../outbox/outbox-relay';
import { RetentionPurger } from '../retention/retention';

export interface MessagingModuleOptions {
  /** CloudEvents `source`: the service name. */
  readonly source: string;
  /** Bounded context of the service's aggregates (outbox `aggregatetype`). */
  readonly aggregateType: string;
  readonly databaseUrl: string;
  /** Run the outbox relay in this process (default true). */
  readonly relay?: boolean;
  readonly metrics?: MessagingMetrics;
  readonly logger?: MessagingLogger;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** Provides the EventEmitter and runs the outbox relay for the service's lifetime. */
@Global()
@Module({})
export class MessagingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private relay: OutboxRelay | undefined;
  private retention: RetentionPurger | undefined;
  private pool: Pool | undefined;

  constructor(@Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions) {}

  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: EventEmitter,
          useValue: new EventEmitter(options.source, options.aggregateType),
        },
      ],
      exports: [EventEmitter],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.relay === false) return;
    this.pool = new Pool({ connectionString: this.options.databaseUrl, max: 3 });
    this.relay = new OutboxRelay({
      pool: this.pool,
      listenUrl: this.options.databaseUrl,
      producer: new KafkajsProducer(createKafka(`${this.options.source}-outbox-relay`)),
      ...(this.options.metrics ? { metrics: this.options.metrics } : {}),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    });
    await this.relay.start();
    // Outbox and inbox retention (docs/data-retention.md), in the process that runs the relay.
    this.retention = new RetentionPurger({
      pool: this.pool,
      ...(this.options.metrics ? { metrics: this.options.metrics } : {}),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    });
    this.retention.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.retention?.stop();
    await this.relay?.stop();
    await this.pool?.end();
  }
}
