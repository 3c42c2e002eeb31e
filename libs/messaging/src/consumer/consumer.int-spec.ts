import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
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
import type { DataSource } from 'typeorm';
import {
  MessagingTestTables1763900000001,
  openedEvent,
  testTopic,
} from '../../test-support/fixtures';
import { toKafkaRecord } from '../envelope/binary-mode';
import { brokersFromEnv } from '../kafka/kafkajs.adapter';
import { eachRecord, kafkaClients } from '../kafka/kafka-clients';
import type { KafkaClientName, KafkaClients, ProducerPort } from '../kafka/kafka.port';
import { OutboxInbox1763900000000 } from '../outbox/outbox-inbox.migration';
import { deadLetterTopic } from '../topics/topics';
import { CloudEventsKafkaTransport } from './cloud-events.transport';
import { EventConsumer } from './event-consumer';
import { EventContext } from './event-context';
import { PermanentEventError } from './errors';
import { RethrowEventHandlerErrorsFilter } from './rethrow-errors.filter';
import { listDeadLetters, replayDeadLetter } from '../dead-letters/dead-letters';
import type { SqlExecutor } from '../sql';

const exporter = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
);

let ds: DataSource;
const handlerTraceIds: string[] = [];
let failNext = 0;
const rejectSubjects = new Set<string>();
/** Subjects whose handler tries to leave the inbox transaction. */
const escapeSubjects = new Set<string>();
let stashed: SqlExecutor | undefined;

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
    if (escapeSubjects.has(data.trajectoryId)) {
      // Reaching for the data source behind the manager fails (and dead-letters the event).
      void (ctx.getTransaction() as unknown as { connection: unknown }).connection;
    }
    stashed = ctx.getTransaction();
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

async function effects(subject: string): Promise<number> {
  const [r] = await ds.query(`SELECT count(*)::int AS n FROM test_effects WHERE subject = $1`, [
    subject,
  ]);
  return r.n;
}

beforeAll(async () => {
  ds = await openTestDatabase({
    service: 'messaging',
    migrations: [OutboxInbox1763900000000, MessagingTestTables1763900000001],
  });
}, 60_000);

afterAll(async () => {
  await ds?.destroy();
});

describe.each<KafkaClientName>(['kafkajs', 'platformatic'])(
  'consumer on the %s adapter',
  (client) => {
    const kafka: KafkaClients = kafkaClients({ clientId: `consumer-int-${client}`, client });
    const admin = kafka.admin();
    const name = `consumer-int-${client}`;
    // The deployment prefix is in the Kafka group id only; the inbox is keyed by `name`.
    const group = `p${randomUUID().slice(0, 8)}-${name}`;
    const topic = testTopic('consume', 1); // one partition: "later events on the same partition"
    let app: INestMicroservice;
    let transport: CloudEventsKafkaTransport;
    let producer: ProducerPort;

    async function send(
      records: { key: string | null; value: Buffer | string; headers: Record<string, string> }[],
    ) {
      await producer.send(
        records.map((r) => ({
          topic: topic.name,
          key: r.key ?? '',
          value: Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value),
          headers: r.headers,
        })),
        { timeoutMs: 20_000 },
      );
    }

    async function readDeadLetters(expected: number, key: string) {
      const got: { reason: string; key: string }[] = [];
      const reader = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
      await reader.run({
        topics: [deadLetterTopic(group)],
        onBatch: eachRecord(async (r) => {
          if (r.key?.toString() !== key) return;
          got.push({
            reason: r.headers.dlq_reason?.toString() ?? '',
            key: r.key?.toString() ?? '',
          });
        }),
      });
      await waitFor(() => got.length >= expected, { what: `${expected} dead letters` });
      await reader.disconnect();
      return got;
    }

    beforeAll(async () => {
      await admin.ensureTopics([
        topic,
        { name: deadLetterTopic(group), partitions: 1, retentionMs: 3_600_000 },
      ]);
      producer = kafka.producer();
      await producer.connect();
      transport = new CloudEventsKafkaTransport({
        clients: kafka,
        group,
        consumer: name,
        topics: [topic.name],
        validate: validatePayload,
        transaction: (work) => ds.transaction((m) => work(m)),
        retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
      });
      app = await NestFactory.createMicroservice<MicroserviceOptions>(TestConsumerModule, {
        logger: false,
        strategy: transport,
      });
      app.useGlobalFilters(new RethrowEventHandlerErrorsFilter());
      await app.listen();
      await waitFor(() => transport.state === 'running', {
        timeoutMs: 60_000,
        what: 'group joined',
      });
    }, 90_000);

    afterAll(async () => {
      await app?.close();
      expect(transport.state).toBe('stopped');
      await producer?.disconnect();
      await admin.deleteTopics([topic.name, deadLetterTopic(group)]).catch(() => undefined);
      await admin.disconnect();
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
        // One partition, in order: once a later event took effect, all three copies were handled.
        const marker = openedEvent();
        await send([toKafkaRecord(marker)]);
        await waitFor(async () => (await effects(marker.subject)) === 1, { what: 'the marker' });
        expect(await effects(e.subject)).toBe(1);
      });

      it('keys the inbox by the logical consumer name, not the deployment group id', async () => {
        const e = openedEvent();
        await send([toKafkaRecord(e)]);
        await waitFor(async () => (await effects(e.subject)) === 1);
        const rows = await ds.query(`SELECT consumer_group FROM inbox WHERE event_id = $1`, [e.id]);
        expect(rows).toEqual([{ consumer_group: name }]);
      });

      it('gives a handler no way out of the inbox transaction', async () => {
        const e = openedEvent();
        escapeSubjects.add(e.subject);
        await send([toKafkaRecord(e)]);
        const dead = await waitFor(
          async () => (await listDeadLetters(kafka, group)).find((d) => d.key === e.subject),
          { what: 'the escaping handler dead-lettered', timeoutMs: 60_000 },
        );
        expect(dead.reason).toMatch(/cannot reach the data source/);
        expect(await effects(e.subject)).toBe(0);
        // The manager a handler kept is dead after its handler returned.
        const ok = openedEvent();
        await send([toKafkaRecord(ok)]);
        await waitFor(async () => (await effects(ok.subject)) === 1);
        expect(() => stashed!.query('SELECT 1')).toThrow(/revoked/);
      });

      it('handles a batch in one go: many records, each once, offsets committed', async () => {
        const events = Array.from({ length: 300 }, () => openedEvent());
        await send(events.map(toKafkaRecord));
        await waitFor(
          async () => {
            const [r] = await ds.query(
              `SELECT count(DISTINCT subject)::int AS n, count(*)::int AS total FROM test_effects WHERE subject = ANY($1)`,
              [events.map((e) => e.subject)],
            );
            return r.n === 300 && r.total === 300;
          },
          { what: '300 effects', timeoutMs: 60_000 },
        );
        const offsets = (await admin.topicOffsets(topic.name))[0]!;
        // A fresh consumer of the same group starts at the end: everything was committed.
        const again: string[] = [];
        const probe = kafka.consumer({ groupId: group });
        await waitFor(() => transport.state === 'running');
        await app.close();
        await probe.run({
          topics: [topic.name],
          onBatch: eachRecord(async (r) => void again.push(r.offset)),
        });
        const tail = openedEvent();
        await send([toKafkaRecord(tail)]);
        await waitFor(() => again.length >= 1, { what: 'the tail record', timeoutMs: 60_000 });
        await probe.disconnect();
        expect(again).toEqual([offsets.high]);
        // Back to the Nest consumer for the remaining tests.
        transport = new CloudEventsKafkaTransport({
          clients: kafka,
          group,
          consumer: name,
          topics: [topic.name],
          validate: validatePayload,
          transaction: (work) => ds.transaction((m) => work(m)),
          retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
        });
        app = await NestFactory.createMicroservice<MicroserviceOptions>(TestConsumerModule, {
          logger: false,
          strategy: transport,
        });
        app.useGlobalFilters(new RethrowEventHandlerErrorsFilter());
        await app.listen();
        await waitFor(() => transport.state === 'running', { timeoutMs: 60_000, what: 'rejoined' });
        const after = openedEvent(); // the probe took (and committed) the tail
        await send([toKafkaRecord(after)]);
        await waitFor(async () => (await effects(after.subject)) === 1, {
          what: 'the next effect',
        });
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
        const dead = await readDeadLetters(2, subject);
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
        expect(letter).toMatchObject({
          eventId: e.id,
          eventType: e.type,
          originalTopic: topic.name,
        });
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
  },
);

describe.each<KafkaClientName>(['kafkajs', 'platformatic'])(
  'EventConsumer started while Kafka is unreachable (%s)',
  (client) => {
    it('says connecting, retries with back-off, and consumes once Kafka is reachable', async () => {
      const [host, port] = brokersFromEnv()[0]!.split(':') as [string, string];
      const free = net.createServer().listen(0, '127.0.0.1');
      await new Promise((r) => free.once('listening', r));
      const proxyPort = (free.address() as net.AddressInfo).port;
      await new Promise((r) => free.close(r));
      const direct = kafkaClients({ clientId: `away-${client}`, client });
      const topic = testTopic('away', 1);
      const got: string[] = [];
      const attempts: string[] = [];
      const consumer = new EventConsumer({
        // Bootstrap through a port nobody listens on yet: Kafka is "down".
        clients: kafkaClients({
          clientId: `away-${client}`,
          brokers: [`127.0.0.1:${proxyPort}`],
          client,
        }),
        groupId: `away-${randomUUID().slice(0, 8)}`,
        topics: [topic.name],
        ensureTopics: [topic],
        backoff: { initialMs: 100, maxMs: 500 },
        logger: {
          info: () => undefined,
          warn: (_o: unknown, msg: string) => void attempts.push(msg),
          error: () => undefined,
        } as never,
        onBatch: eachRecord(async (r) => void got.push(r.offset)),
      });
      consumer.start();
      await waitFor(() => attempts.length >= 2, { what: 'two failed connection attempts' });
      expect(consumer.state).toBe('connecting');
      // Kafka "comes back": the port now forwards to the broker.
      const proxy = net
        .createServer((s) => {
          const up = net.connect(Number(port), host);
          s.pipe(up).pipe(s);
          up.on('error', () => s.destroy());
          s.on('error', () => up.destroy());
        })
        .listen(proxyPort, '127.0.0.1');
      try {
        await waitFor(() => consumer.state === 'running', {
          timeoutMs: 60_000,
          what: 'consumer running',
        });
        const producer = direct.producer();
        await producer.send(
          [{ topic: topic.name, key: 'k', value: Buffer.from('{}'), headers: {} }],
          { timeoutMs: 20_000 },
        );
        await producer.disconnect();
        await waitFor(() => got.length === 1, { timeoutMs: 60_000, what: 'the record consumed' });
      } finally {
        await consumer.stop();
        proxy.close();
      }
      expect(consumer.state).toBe('stopped');
      const admin = direct.admin();
      await admin.deleteTopics([topic.name]);
      await admin.disconnect();
    }, 120_000);
  },
);
