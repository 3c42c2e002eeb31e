import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { validatePayload } from '@ketenlink/contracts';
import { configureHttpEdge } from '@ketenlink/http';
import {
  CloudEventsKafkaTransport,
  contextTopics,
  createKafka,
  deadLetterTopicSpec,
  KafkajsAdmin,
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
import { installShutdown, kafkaProbe, shutdownTimeoutMs, type ConsumerState } from './availability';

export interface ServiceDefinition {
  /** Service name: database `ketenlink_<name>`, CloudEvents source, OTel service.name. */
  readonly name: string;
  readonly title: string;
  readonly appModule: Type<unknown>;
  readonly defaultPort: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: Function[];
  /** Consume events: one consumer group per service, routed to its @EventPattern handlers. */
  readonly consumer?: { readonly group: string; readonly topics: readonly string[] };
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
  let consumerState: ConsumerState = 'waiting-for-kafka';
  let stopping = false;
  const readiness = readinessChecksOf(app);
  readiness?.register('kafka', async () => ({ status: (await kafkaUp()) ? 'up' : 'down' }), {
    critical: false,
  });
  if (def.consumer) {
    const consumer = def.consumer;
    readiness?.register(
      'consumer',
      () => ({ status: consumerState === 'running' ? 'up' : 'down', state: consumerState }),
      { critical: false },
    );
    void (async () => {
      for (let attempt = 1; !stopping; attempt++) {
        try {
          if (!(await kafkaUp())) throw new Error('Kafka unreachable');
          consumerState = 'starting';
          await connectEventConsumer(app, { name: def.name, ...consumer, logger });
          break;
        } catch (err) {
          consumerState = 'waiting-for-kafka';
          if (attempt === 1 || attempt % 30 === 0)
            logger.warn({ err: String(err), attempt }, 'consumer waits for Kafka');
          await new Promise((r) => setTimeout(r, 1000).unref());
        }
      }
      if (stopping) return;
      await app.startAllMicroservices();
      if (!stopping) consumerState = 'running';
      logger.info({ group: consumer.group }, 'consumer running');
    })().catch((err: unknown) => logger.error({ err: String(err) }, 'consumer failed to start'));
  }

  installShutdown(app, logger, {
    deadlineMs: shutdownTimeoutMs(),
    onStopping: () => {
      stopping = true;
      consumerState = 'stopped';
    },
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

/**
 * Attaches the service's Kafka consumer group (CloudEvents transport: validation, inbox in the
 * handler's transaction, dead letters) to an app; start it with `app.startAllMicroservices()`.
 * A prefix (`KETENLINK_CONSUMER_GROUP_PREFIX`) lets a test run use its own groups.
 */
export async function connectEventConsumer(
  app: INestApplication,
  opts: {
    readonly name: string;
    readonly group: string;
    readonly topics: readonly string[];
    readonly logger?: Logger;
  },
): Promise<string> {
  const group = `${process.env.KETENLINK_CONSUMER_GROUP_PREFIX ?? ''}${opts.group}`;
  const kafka = createKafka(`${opts.name}-consumer`);
  const admin = new KafkajsAdmin(kafka);
  await admin.ensureTopics([...contextTopics(), deadLetterTopicSpec(group)]);
  await admin.disconnect();
  const ds = app.get(DataSource);
  const consumer = app.connectMicroservice<MicroserviceOptions>(
    {
      strategy: new CloudEventsKafkaTransport({
        kafka,
        group,
        topics: opts.topics,
        validate: validatePayload,
        transaction: (work) => ds.transaction((m: EntityManager) => work(m)),
        ...(opts.logger ? { logger: opts.logger } : {}),
      }),
    },
    // Nest binds global filters to the handlers when it registers the listeners: register
    // the filter first (connectMicroservice without deferring registers at once, and the
    // filter was silently never applied). The app already ran the init hooks.
    { deferInitialization: true },
  ) as unknown as NestMicroservice;
  consumer.useGlobalFilters(new RethrowEventHandlerErrorsFilter());
  consumer.registerListeners();
  consumer.setIsInitialized(true);
  consumer.setIsInitHookCalled(true);
  return group;
}
