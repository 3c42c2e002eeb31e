import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import type { INestMicroservice } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { validatePayload } from '@ketenlink/contracts';
import { openTestDatabase, waitFor } from '@ketenlink/testing';
import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  MessagingTestTables1763900000001,
  openedEvent,
  testTopic,
} from '../../test-support/fixtures';
import { toKafkaRecord } from '../envelope/binary-mode';
import { createKafka, KafkajsAdmin, KafkajsConsumer } from '../kafka/kafkajs.adapter';
import { OutboxInbox1763900000000 } from '../outbox/outbox-inbox.migration';
import { deadLetterTopic } from '../topics/topics';
import { CloudEventsKafkaTransport } from './cloud-events.transport';
import { EventContext } from './event-context';
import { PermanentEventError } from './errors';
import { RethrowEventHandlerErrorsFilter } from './rethrow-errors.filter';
import { listDeadLetters, replayDeadLetter } from '../dead-letters/dead-letters';

const exporter = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
);

const kafka = createKafka('consumer-int-spec');
const admin = new KafkajsAdmin(kafka);
const group = `consumer-int-${randomUUID().slice(0, 8)}`;
const topic = testTopic('consume', 1); // one partition: "later events on the same partition"
let ds: DataSource;
let app: INestMicroservice;
let producer: Producer;
const handlerTraceIds: string[] = [];
let failNext = 0;
const rejectSubjects = new Set<string>();

@Controller()
class OpenedHandler {
  @EventPattern('nl.ketenlink.trajectory.opened.v1')
  async onOpened(
    @Payload() data: { trajectoryId: string },
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    handlerTraceIds.push(trace.getActiveSpan()?.spanContext().traceId ?? 'none');
    if (rejectSubjects.has(data.trajectoryId)) throw new PermanentEventError('not processable now');
    if (failNext > 0) {
      failNext--;
      throw new Error('transient hiccup in the handler');
    }
    await ctx
      .getTransaction()
      .query(`INSERT INTO test_effects (event_id, subject) VALUES ($1, $2)`, [
        ctx.getEvent().id,
        data.trajectoryId,
      ]);
  }
}

@Module({ controllers: [OpenedHandler] })
class TestConsumerModule {}

async function send(
  records: { key: string | null; value: Buffer | string; headers: Record<string, string> }[],
) {
  await producer.send({ topic: topic.name, acks: -1, messages: records });
}

async function effects(subject: string): Promise<number> {
  const [r] = await ds.query(`SELECT count(*)::int AS n FROM test_effects WHERE subject = $1`, [
    subject,
  ]);
  return r.n;
}

async function readDeadLetters(expected: number) {
  const got: { reason: string; key: string }[] = [];
  const reader = new KafkajsConsumer(kafka, `dlq-reader-${randomUUID()}`);
  await reader.run({
    topics: [deadLetterTopic(group)],
    onRecord: async (r) => {
      got.push({ reason: r.headers.dlq_reason?.toString() ?? '', key: r.key?.toString() ?? '' });
    },
  });
  await waitFor(() => got.length >= expected, { what: `${expected} dead letters` });
  await reader.disconnect();
  return got;
}

beforeAll(async () => {
  ds = await openTestDatabase({
    service: 'messaging',
    migrations: [OutboxInbox1763900000000, MessagingTestTables1763900000001],
  });
  await admin.ensureTopics([
    topic,
    { name: deadLetterTopic(group), partitions: 1, retentionMs: 3_600_000 },
  ]);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  app = await NestFactory.createMicroservice<MicroserviceOptions>(TestConsumerModule, {
    logger: false,
    strategy: new CloudEventsKafkaTransport({
      kafka,
      group,
      topics: [topic.name],
      validate: validatePayload,
      transaction: (work) => ds.transaction((m) => work(m)),
      retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
    }),
  });
  app.useGlobalFilters(new RethrowEventHandlerErrorsFilter());
  await app.listen();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await producer?.disconnect();
  await admin.disconnect();
  await ds?.destroy();
});

describe('idempotent, validating consumer through @EventPattern (real Kafka and PostgreSQL)', () => {
  it('gives a redelivered event exactly one effect', async () => {
    const e = openedEvent();
    const r = toKafkaRecord(e);
    await send([r, r, r]);
    await waitFor(async () => (await effects(e.subject)) === 1);
    const [inbox] = await ds.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [
      e.id,
    ]);
    expect(inbox.n).toBe(1);
    await new Promise((r2) => setTimeout(r2, 500));
    expect(await effects(e.subject)).toBe(1);
  });

  it('dead-letters malformed and schema-invalid events with the reason and goes on with the partition', async () => {
    const subject = randomUUID();
    const valid = openedEvent(subject);
    const invalid = toKafkaRecord({
      ...openedEvent(subject),
      data: { trajectoryId: subject, bsn: '111222333' },
    });
    await send([
      { key: subject, value: 'not even json', headers: { 'x-junk': '1' } },
      invalid,
      toKafkaRecord(valid),
    ]);
    await waitFor(async () => (await effects(subject)) === 1, {
      what: 'the valid event after two bad ones',
    });
    const dead = await readDeadLetters(2);
    expect(dead.map((d) => d.reason)).toEqual([
      expect.stringMatching(/^malformed: missing CloudEvents attributes/),
      expect.stringMatching(/^schema-invalid: /),
    ]);
    expect(dead.every((d) => d.key === subject)).toBe(true);
  });

  it('retries a failing handler with backoff and then succeeds, once', async () => {
    failNext = 2;
    const e = openedEvent();
    await send([toKafkaRecord(e)]);
    await waitFor(async () => (await effects(e.subject)) === 1);
    expect(failNext).toBe(0);
  });

  it('continues the producer trace: the consumer span is a child of the traceparent in the headers', async () => {
    const traceId = randomUUID().replace(/-/g, '');
    const parentSpanId = traceId.slice(0, 16);
    const e = openedEvent(randomUUID(), `00-${traceId}-${parentSpanId}-01`);
    await send([toKafkaRecord(e)]);
    await waitFor(async () => (await effects(e.subject)) === 1);
    expect(handlerTraceIds).toContain(traceId);
    const consumeSpan = exporter
      .getFinishedSpans()
      .find((s) => s.spanContext().traceId === traceId && s.name.startsWith('consume'));
    expect(consumeSpan?.parentSpanContext?.spanId).toBe(parentSpanId);
  });

  it('lets an operator list a dead letter (metadata only) and replay it once the cause is fixed', async () => {
    const e = openedEvent();
    rejectSubjects.add(e.subject);
    await send([toKafkaRecord(e)]);
    const letter = await waitFor(
      async () => (await listDeadLetters(kafka, group)).find((d) => d.key === e.subject),
      { what: 'the rejected event among the dead letters' },
    );
    expect(letter).toMatchObject({ eventId: e.id, eventType: e.type, originalTopic: topic.name });
    expect(letter.reason).toMatch(/^rejected: not processable now/);
    expect(JSON.stringify(letter)).not.toContain('org-zvh-test'); // payload stays out of the listing
    expect(await effects(e.subject)).toBe(0);

    rejectSubjects.delete(e.subject);
    await replayDeadLetter(kafka, group, letter.offset);
    await waitFor(async () => (await effects(e.subject)) === 1, {
      what: 'the replayed event processed',
    });
  });
});
