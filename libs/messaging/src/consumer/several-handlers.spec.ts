import 'reflect-metadata';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import { buildCloudEvent } from '../envelope/cloud-event';
import { toKafkaRecord } from '../envelope/binary-mode';
import type { KafkaClients, ProducerPort } from '../kafka/kafka.port';
import type { SqlExecutor } from '../sql';
import { ANY_EVENT_TYPE, CloudEventsKafkaTransport, HANDLER_ORDER } from './cloud-events.transport';
import { EventContext } from './event-context';
import { EventProcessor } from './event-processor';

/**
 * Several controllers handling the same event type (a shared projection beside a service's own
 * handler): all run, one after the other in registration order, in the one inbox transaction.
 * Nest's own chaining ran them concurrently; a failing one must roll back the others' effects.
 */
const TYPE = 'nl.ketenlink.title.changed.v1';
const OTHER = 'nl.ketenlink.title.ended.v1';
const steps: string[] = [];
const failing = new Set<string>();

/** A manager that records what was written through it (the inbox transaction stands in). */
class RecordingManager {
  readonly writes: string[] = [];
  async query(sql: string): Promise<unknown[]> {
    this.writes.push(sql.startsWith('INSERT INTO inbox') ? 'inbox' : sql);
    return sql.startsWith('INSERT INTO inbox') ? [{ event_id: 'x' }] : [];
  }
}

@Controller()
class SharedProjection {
  // Registered last (below), asks to run first.
  @EventPattern(TYPE, { [HANDLER_ORDER]: -1 })
  async onChanged(@Payload() data: { titleId: string }, @Ctx() ctx: EventContext): Promise<void> {
    steps.push('projection:start');
    await new Promise((r) => setImmediate(r)); // a real await: a concurrent sibling would start now
    await ctx.getTransaction().query('projection');
    steps.push('projection:done');
    if (failing.has(data.titleId)) throw new Error('projection failed');
  }
}

@Controller()
class ServiceOwnHandler {
  @EventPattern(TYPE)
  async onChanged(@Ctx() ctx: EventContext): Promise<void> {
    steps.push('own:start');
    await ctx.getTransaction().query('own');
    steps.push('own:done');
  }

  @EventPattern(ANY_EVENT_TYPE)
  async onAny(@Ctx() ctx: EventContext): Promise<void> {
    steps.push('any');
    await ctx.getTransaction().query('any');
  }
}

@Controller()
class LaterHandler {
  @EventPattern(TYPE)
  async onChanged(@Ctx() ctx: EventContext): Promise<void> {
    steps.push('later');
    await ctx.getTransaction().query('later');
  }
}

@Module({ controllers: [ServiceOwnHandler, LaterHandler, SharedProjection] })
class TwoControllersModule {}

let app: INestMicroservice;
let transport: CloudEventsKafkaTransport;
const deadLetters: ProducerPort = {
  connect: async () => undefined,
  disconnect: async () => undefined,
  send: async () => undefined,
} as unknown as ProducerPort;

beforeAll(async () => {
  transport = new CloudEventsKafkaTransport({
    clients: {} as KafkaClients, // never reached: the app is initialised, not listening
    group: 'several-handlers',
    topics: [],
    transaction: async () => undefined as never,
    validate: () => ({ ok: true }),
  });
  app = await NestFactory.createMicroservice<MicroserviceOptions>(TwoControllersModule, {
    logger: false,
    strategy: transport,
  });
  await app.init();
});

afterAll(async () => {
  await app?.close();
});

function processor(managers: RecordingManager[]) {
  return new EventProcessor({
    group: 'several-handlers',
    resolveHandler: (type) => transport.handlerFor(type),
    validate: () => ({ ok: true }),
    transaction: async (work) => {
      const m = new RecordingManager();
      const out = await work(m as unknown as SqlExecutor);
      managers.push(m); // committed
      return out;
    },
    deadLetters,
    retry: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1 },
  });
}

const record = (type: string, titleId: string) => ({
  topic: 'ketenlink.trajectory.v1',
  partition: 0,
  offset: '1',
  ...toKafkaRecord(
    buildCloudEvent({ type, source: 'test', subject: titleId, dataschema: 'x', data: { titleId } }),
  ),
  key: Buffer.from(titleId),
});

beforeEach(() => {
  steps.length = 0;
});

describe('several @EventPattern handlers for one event type', () => {
  it('runs all of them, by HANDLER_ORDER then registration order, one after the other, in one transaction', async () => {
    const committed: RecordingManager[] = [];
    expect(await processor(committed).process(record(TYPE, 't-1'))).toBe('processed');
    expect(steps).toEqual([
      'projection:start',
      'projection:done',
      'own:start',
      'own:done',
      'later',
    ]);
    expect(committed.map((m) => m.writes)).toEqual([['inbox', 'projection', 'own', 'later']]);
  });

  it('a failure in one commits nothing of the others (the transaction fails as a whole)', async () => {
    failing.add('t-2');
    const committed: RecordingManager[] = [];
    expect(await processor(committed).process(record(TYPE, 't-2'))).toBe('dead-lettered');
    expect(committed).toEqual([]);
    expect(steps).toEqual(['projection:start', 'projection:done']);
  });

  it('a type without handlers of its own still goes to the ANY_EVENT_TYPE handler', async () => {
    const committed: RecordingManager[] = [];
    expect(await processor(committed).process(record(OTHER, 't-3'))).toBe('processed');
    expect(steps).toEqual(['any']);
    expect(transport.handlerFor(TYPE)).toBeDefined();
  });
});
