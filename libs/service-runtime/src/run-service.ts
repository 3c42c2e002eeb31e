import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { validatePayload } from '@ketenlink/contracts';
import { configureHttpEdge } from '@ketenlink/http';
import {
  CloudEventsKafkaTransport,
  type ConsumerState,
  contextTopics,
  deadLetterTopicSpec,
  kafkaClients,
  RethrowEventHandlerErrorsFilter,
} from '@ketenlink/messaging';
import {
  createLogger,
  type Logger,
  PinoNestLogger,
  ReadinessChecks,
  shutdownTelemetry,
} from '@ketenlink/observability';
import { createServiceDataSource, databaseUrlFor, migrate } from '@ketenlink/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { installShutdown, kafkaProbe, shutdownTimeoutMs } from './availability';

export interface ServiceDefinition {
  /** Service name: database `ketenlink_<name>`, CloudEvents source, OTel service.name. */
  readonly name: string;
  readonly title: string;
  readonly appModule: Type<unknown>;
  readonly defaultPort: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: Function[];
  /**
   * Consume events: one consumer group per service, routed to its @EventPattern handlers.
   * `partitionsConsumedConcurrently`: how many partitions' batches run at once (default 3;
   * each holds a database connection for its inbox transaction while it runs).
   */
  readonly consumer?: {
    readonly group: string;
    readonly topics: readonly string[];
    readonly partitionsConsumedConcurrently?: number;
  };
}

/**
 * The one way a service process starts (docs/architecture.md "Runtime"):
 *   `main.ts migrate` applies the migrations and exits;
 *   `main.ts` serves HTTP (validation, problem+json, OpenAPI, auth from the app module) and,
 *   when the service consumes, runs its Kafka consumer group through the CloudEvents transport.
 */
export async function runService(
  def: ServiceDefinition,
  argv = process.argv.slice(2),
): Promise<INestApplication | undefined> {
  const logger = createLogger(def.name);
  if (argv[0] === 'migrate') {
    const ds = createServiceDataSource({
      service: def.name,
      url: databaseUrlFor(def.name),
      entities: [],
      migrations: def.migrations,
    });
    const applied = await migrate(ds);
    await ds.destroy();
    logger.info({ applied }, `migrations applied: ${applied.length}`);
    await shutdownTelemetry();
    return undefined;
  }

  const app = await NestFactory.create(def.appModule, { bufferLogs: true });
  app.useLogger(new PinoNestLogger(logger));
  configureHttpEdge(app, { title: def.title, version: '1' });

  // HTTP first, Kafka never awaited: with Kafka down the service still starts, migrates and
  // takes commands (the outbox keeps them); the relay and the consumer connect when it is back.
  const port = Number(process.env.PORT ?? def.defaultPort);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  logger.info({ port }, `${def.name} listening`);

  const kafkaUp = kafkaProbe();
  const readiness = readinessChecksOf(app);
  readiness?.register('kafka', async () => ({ status: (await kafkaUp()) ? 'up' : 'down' }), {
    critical: false,
  });
  if (def.consumer) {
    // The transport connects in the background and keeps retrying while Kafka is away.
    const consumer = await connectEventConsumer(app, { name: def.name, ...def.consumer, logger });
    readiness?.register(
      'consumer',
      () => {
        const state = consumer.state();
        return { status: state === 'running' ? 'up' : 'down', state };
      },
      { critical: false },
    );
    await app.startAllMicroservices();
  }

  installShutdown(app, logger, {
    deadlineMs: shutdownTimeoutMs(),
    finally: shutdownTelemetry,
  });
  return app;
}

function readinessChecksOf(app: INestApplication): ReadinessChecks | undefined {
  try {
    return app.get(ReadinessChecks, { strict: false });
  } catch {
    return undefined; // the app serves no health endpoints
  }
}

/** What connectEventConsumer attached: the group id and where its consumer stands. */
export interface EventConsumerHandle {
  /** Kafka consumer group id (with KETENLINK_CONSUMER_GROUP_PREFIX). */
  readonly group: string;
  /** connecting | running | stopped | failed (ConsumerState): for readiness. */
  readonly state: () => ConsumerState;
}

/**
 * Attaches the service's Kafka consumer group (CloudEvents transport: validation, inbox in the
 * handler's transaction, dead letters) to an app; start it with `app.startAllMicroservices()`,
 * which returns at once: the consumer creates its topics and joins the group in the background,
 * retrying with back-off while Kafka is away (`state()` says `connecting` meanwhile).
 * A prefix (`KETENLINK_CONSUMER_GROUP_PREFIX`) lets a test run use its own groups; the inbox is
 * keyed by the logical name (`opts.group`), so a changed prefix still dedupes.
 * The adapter is KETENLINK_KAFKA_CLIENT (kafkajs | platformatic).
 */
export async function connectEventConsumer(
  app: INestApplication,
  opts: {
    readonly name: string;
    readonly group: string;
    readonly topics: readonly string[];
    readonly partitionsConsumedConcurrently?: number;
    readonly logger?: Logger;
  },
): Promise<EventConsumerHandle> {
  const group = `${process.env.KETENLINK_CONSUMER_GROUP_PREFIX ?? ''}${opts.group}`;
  const ds = app.get(DataSource);
  const transport = new CloudEventsKafkaTransport({
    clients: kafkaClients({ clientId: `${opts.name}-consumer` }),
    group,
    consumer: opts.group,
    topics: opts.topics,
    ensureTopics: [...contextTopics(), deadLetterTopicSpec(group)],
    validate: validatePayload,
    transaction: (work) => ds.transaction((m: EntityManager) => work(m)),
    ...(opts.partitionsConsumedConcurrently
      ? { partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently }
      : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  const consumer = app.connectMicroservice<MicroserviceOptions>(
    { strategy: transport },
    // Nest binds global filters to the handlers when it registers the listeners: register
    // the filter first (connectMicroservice without deferring registers at once, and the
    // filter was silently never applied). The app already ran the init hooks.
    { deferInitialization: true },
  ) as unknown as NestMicroservice;
  consumer.useGlobalFilters(new RethrowEventHandlerErrorsFilter());
  consumer.registerListeners();
  consumer.setIsInitialized(true);
  consumer.setIsInitHookCalled(true);
  return { group, state: () => transport.state };
}
