import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { connectTimeoutMs, defaultConnectionErrorLog, guardPool } from '@ketenlink/persistence';
import { Pool } from 'pg';
import { kafkaClients } from '../kafka/kafka-clients';
import type { MessagingLogger } from '../logger';
import type { MessagingMetrics } from '../metrics';
import { EventEmitter } from '../outbox/event-emitter';
import { OutboxRelay } from '../outbox/outbox-relay';

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
  private pool: Pool | undefined;
  private stopped = false;

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
    const log = defaultConnectionErrorLog(this.options.source);
    this.pool = guardPool(
      new Pool({
        connectionString: this.options.databaseUrl,
        max: 3,
        connectionTimeoutMillis: connectTimeoutMs(),
      }),
      log,
    );
    this.relay = new OutboxRelay({
      pool: this.pool,
      listenUrl: this.options.databaseUrl,
      producer: kafkaClients({ clientId: `${this.options.source}-outbox-relay` }).producer(),
      ...(this.options.metrics ? { metrics: this.options.metrics } : {}),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    });
    // Kafka may be down: the service must still start and take commands (the outbox keeps
    // them), so the relay connects in the background, trying again until it is running.
    void this.startRelay(this.relay);
  }

  private async startRelay(relay: OutboxRelay): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await relay.start();
        return;
      } catch (err) {
        this.options.logger?.warn(
          { err: String(err), attempt },
          'outbox relay could not start (Kafka unreachable?); trying again',
        );
        await relay.stop().catch(() => undefined);
        await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * attempt)).unref());
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.relay?.stop();
    // A client held by a batch stuck on Kafka never comes back, and pool.end() waits for it:
    // give the pool a moment, then go (the process exits; its transaction dies with it).
    const ended = this.pool?.end().catch(() => undefined);
    await Promise.race([ended, new Promise((r) => setTimeout(r, 1000).unref())]);
  }
}
