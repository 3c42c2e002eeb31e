import {
  Global,
  Inject,
  Module,
  Optional,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { connectTimeoutMs, defaultConnectionErrorLog, guardPool } from '@ketenlink/persistence';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { kafkaClients } from '../kafka/kafka-clients';
import type { MessagingLogger } from '../logger';
import type { MessagingMetrics } from '../metrics';
import { EventEmitter } from '../outbox/event-emitter';
import { OutboxRelay } from '../outbox/outbox-relay';
import { wakeRelayAfterCommit } from '../outbox/typeorm-commit-wake';
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
  private unwake: (() => void) | undefined;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    /** The service's DataSource (DatabaseModule), on the same database as `databaseUrl`. */
    @Optional() @Inject(DataSource) private readonly ds?: DataSource,
  ) {}

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
    // Kafka may be down: start() returns at once and the relay connects in the background
    // with back-off (the outbox keeps the commands meanwhile).
    await this.relay.start();
    // The service's own transactions wake this relay after their commit instead of a NOTIFY
    // (docs/adr/0041-in-process-relay-wake.md); other writers' NOTIFYs still reach it.
    const relay = this.relay;
    const sameDatabase =
      (this.ds?.options as { url?: string } | undefined)?.url === this.options.databaseUrl;
    if (this.ds && sameDatabase) this.unwake = wakeRelayAfterCommit(this.ds, () => relay.wakeUp());
    // Outbox and inbox retention (docs/data-retention.md), in the process that runs the relay.
    this.retention = new RetentionPurger({
      pool: this.pool,
      ...(this.options.metrics ? { metrics: this.options.metrics } : {}),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    });
    this.retention.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.unwake?.();
    await this.retention?.stop();
    await this.relay?.stop();
    // A client held by a batch stuck on Kafka never comes back, and pool.end() waits for it:
    // give the pool a moment, then go (the process exits; its transaction dies with it).
    const ended = this.pool?.end().catch(() => undefined);
    await Promise.race([ended, new Promise((r) => setTimeout(r, 1000).unref())]);
  }
}
