/**
 * Where the milliseconds of one fan-out batch go (issue 13, ADR 0037). The gateway's real
 * handlers (trajectory-facts projection + fan-out, as the CloudEvents transport routes them) are
 * driven in-process through `EventProcessor.processBatch` with records built as the relay would
 * send them, so the figure is the consumer side without Kafka's fetch: per chunk of 100 events
 * the wall time, the SQL statements (count and ms by kind) and the rest (JavaScript: decoding,
 * validation, the disclosure decision, the field filter). Own database and topics, removed at the
 * end. Run: `npm run bench:gateway:profile` (PROFILE_EVENTS 1000, PROFILE_TRAJECTORIES 50,
 * PROFILE_PARTNERS 1, PROFILE_PARTITIONS 1: partitions fed at once).
 * Then the webhook dispatcher sends the queued webhook copies to a local receiver: per delivery
 * the wall time and the statements by kind.
 * With `--cpu-prof` node writes a CPU profile for the JavaScript part.
 */
import './partner-bench-prefix';
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { schemaUriOf, validatePayload } from '@ketenlink/contracts';
import {
  buildCloudEvent,
  CloudEventsKafkaTransport,
  EventProcessor,
  type IncomingRecord,
  kafkaClients,
  noopMessagingMetrics,
  partnerTopic,
  type SqlExecutor,
  toKafkaRecord,
  topicForEventType,
} from '@ketenlink/messaging';
import { createServiceDataSource, migrate } from '@ketenlink/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { dropBenchDatabase, ensureBenchDatabase } from './gateway-db';
import { summarize } from './stats';

const N = Number(process.env.PROFILE_EVENTS ?? 1000);
const K = Number(process.env.PROFILE_TRAJECTORIES ?? 50);
const PARTNERS = Number(process.env.PROFILE_PARTNERS ?? 1);
/** Partitions fed at once (as the consumer's partitionsConsumedConcurrently), trajectories split. */
const PARTITIONS = Number(process.env.PROFILE_PARTITIONS ?? 1);
const TITLE = 'nl.ketenlink.title.registered.v1';

/** A statement's kind: its verb and its top-level table (or the function it selects). */
function kindOf(sql: string): string {
  let s = sql.replace(/\s+/g, ' ').trim();
  // Drop what is in parentheses (subqueries, arguments), innermost first.
  for (let prev = ''; prev !== s;) [prev, s] = [s, s.replace(/\([^()]*\)/g, '')];
  const m =
    /^(INSERT INTO|UPDATE|DELETE FROM) ([a-z_]+)/i.exec(s) ??
    /^(SELECT) .*\bFROM ([a-z_]+)/i.exec(s) ??
    /^(SELECT) ([a-z_]+)/i.exec(s) ??
    /^(\w+)/.exec(s);
  return m ? `${m[1]!.toUpperCase()} ${m[2] ?? ''}`.trim() : s.slice(0, 30);
}

class SqlTimes {
  readonly byKind = new Map<string, { n: number; ms: number }>();
  /** Time with at least one statement in flight (statements on one connection queue up). */
  busy = 0;
  count = 0;
  private inFlight = 0;
  private since = 0;
  wrap(tx: EntityManager): SqlExecutor & EntityManager {
    return new Proxy(tx, {
      get: (target, prop) => {
        if (prop !== 'query') {
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as () => unknown).bind(target) : v;
        }
        return this.timed(target);
      },
    });
  }
  /** Times the autocommitted statements of `ds.query` (the webhook dispatcher's) until undone. */
  patch(ds: DataSource): () => void {
    const original = ds.query.bind(ds);
    ds.query = this.timed({ query: original }) as DataSource['query'];
    return () => {
      ds.query = original;
    };
  }
  private timed(target: SqlExecutor) {
    return async (sql: string, params?: unknown[]) => {
      const t0 = performance.now();
      if (this.inFlight++ === 0) this.since = t0;
      try {
        return await target.query(sql, params);
      } finally {
        const t1 = performance.now();
        if (--this.inFlight === 0) this.busy += t1 - this.since;
        this.add(kindOf(sql), t1 - t0);
      }
    };
  }
  add(kind: string, ms: number): void {
    const k = this.byKind.get(kind) ?? { n: 0, ms: 0 };
    k.n++;
    k.ms += ms;
    this.byKind.set(kind, k);
    this.count++;
  }
}

/** Per unit (event, delivery): wall ms, SQL waiting and statements by kind, the rest. */
function report(times: SqlTimes, wall: number, n: number, unit: string): void {
  console.log(`per ${unit}: ${(wall / n).toFixed(2)} ms wall`);
  console.log(
    `  SQL      ${(times.busy / n).toFixed(2)} ms waiting, ${(times.count / n).toFixed(2)} statements (ms each kind, summed):`,
  );
  const rows = [...times.byKind].sort((a, b) => b[1].ms - a[1].ms);
  for (const [kind, k] of rows) {
    console.log(
      `    ${kind.padEnd(36)} ${(k.ms / n).toFixed(2)} ms  ${(k.n / n).toFixed(2)}/${unit}`,
    );
  }
  console.log(`  the rest (JavaScript, pool) ${((wall - times.busy) / n).toFixed(2)} ms`);
}

async function main(): Promise<void> {
  const db = await ensureBenchDatabase('profile');
  process.env.DATABASE_URL = db.url;
  process.env.PARTNER_SECRET_KEYS ??= `profile:${randomBytes(32).toString('base64')}`;
  process.env.PARTNER_WEBHOOK_ALLOW_LOOPBACK_HTTP = 'true';
  process.env.PARTNER_WEBHOOK_POLL_MS = '0';
  const [host, port] = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0]!.split(':');
  process.env.KAFKA_SASL_BROKERS ??= `${host}:${Number(port) + 2}`;
  // The gateway's own modules, loaded once DATABASE_URL is set (app.module reads it at load).
  /* eslint-disable @nx/enforce-module-boundaries */
  const { PartnerGatewayAppModule } = await import('../../services/partner-gateway/src/app.module');
  const { PARTNER_GATEWAY_MIGRATIONS } =
    await import('../../services/partner-gateway/src/infrastructure/migrations');
  const { PartnerCommandsService } =
    await import('../../services/partner-gateway/src/application/partner-commands.service');
  const { WebhookDispatcher } =
    await import('../../services/partner-gateway/src/application/webhook-dispatcher');
  /* eslint-enable @nx/enforce-module-boundaries */
  const mds = createServiceDataSource({
    service: 'partner-gateway',
    url: db.url,
    entities: [],
    migrations: PARTNER_GATEWAY_MIGRATIONS,
  });
  await migrate(mds);
  await mds.destroy();

  const app = await NestFactory.create(PartnerGatewayAppModule, { logger: false });
  await app.init();
  const ds = app.get(DataSource);
  const times = new SqlTimes();
  const transport = new CloudEventsKafkaTransport({
    clients: kafkaClients({ clientId: 'gateway-profile' }),
    group: 'partner-gateway',
    topics: [],
    validate: validatePayload,
    transaction: (work) => ds.transaction((m) => work(m)),
  });
  const ms = app.connectMicroservice<MicroserviceOptions>(
    { strategy: transport },
    { deferInitialization: true },
  ) as unknown as NestMicroservice;
  ms.registerListeners();
  let measuring = false;
  const processor = new EventProcessor({
    group: 'partner-gateway',
    validate: validatePayload,
    transaction: (work) =>
      ds.transaction((m: EntityManager) => work(measuring ? times.wrap(m) : m)),
    deadLetters: {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async () => {
        throw new Error('a record was dead-lettered: the profile feeds only valid events');
      },
    },
    metrics: noopMessagingMetrics,
    resolveHandler: (type) => transport.handlerFor(type),
  });
  let offset = 0;
  const feed = async (
    inputs: { type: string; subject: string; data: unknown }[],
    partition = 0,
  ) => {
    const records: IncomingRecord[] = inputs.map((i) => {
      const e = buildCloudEvent({ ...i, source: 'profile', dataschema: schemaUriOf(i.type) });
      const r = toKafkaRecord(e);
      return {
        topic: topicForEventType(e.type),
        partition,
        offset: String(offset++),
        key: Buffer.from(r.key),
        value: r.value,
        headers: r.headers,
      };
    });
    const t0 = performance.now();
    await processor.processBatch({ topic: records[0]!.topic, partition, records });
    return performance.now() - t0;
  };

  const orgs = Array.from({ length: PARTNERS }, (_, i) => `prof-${i}-${randomUUID().slice(0, 6)}`);
  const orgEvent = (id: string, kind: string) => ({
    type: 'nl.ketenlink.organisation.registered.v1',
    subject: id,
    data: { organisationId: id, kind, identifiers: {}, activeFrom: '2020-01-01' },
  });
  await feed(orgs.map((o) => orgEvent(o, 'probation-service')));
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const commands = app.get(PartnerCommandsService);
  for (const org of orgs) {
    await commands.register(
      { organisationId: org, audience: 'organisation', fullPayloads: true },
      'profile',
    );
    await commands.subscribe(org, [TITLE]);
    await commands.addTopicChannel(org, []);
    await commands.addWebhook(org, {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/profile`,
      eventTypes: [],
      maxInFlight: 16,
    });
  }
  const trajectories = Array.from({ length: K }, () => randomUUID());
  await feed(
    trajectories.flatMap((t) => [
      {
        type: 'nl.ketenlink.trajectory.opened.v1',
        subject: t,
        data: {
          trajectoryId: t,
          openedAt: '2026-11-01T09:00:00Z',
          openedBy: { organisationId: orgs[0]!, role: 'coordinator' },
        },
      },
      ...orgs.map((o) => ({
        type: 'nl.ketenlink.trajectory.participant-joined.v1',
        subject: t,
        data: { trajectoryId: t, organisationId: o, role: 'probation', from: '2026-11-01' },
      })),
    ]),
  );
  const title = (i: number) => {
    const t = trajectories[i % K]!;
    return {
      type: TITLE,
      subject: t,
      data: {
        trajectoryId: t,
        titleId: randomUUID(),
        kind: 'special-conditions-suspended-sentence',
        startDate: '2026-11-01',
        expectedEndDate: '2027-11-01',
        conditions: [{ type: 'abstinence', description: `profile ${i}` }],
      },
    };
  };
  await feed(Array.from({ length: 200 }, (_, i) => title(i))); // warm-up (JIT, schema compile)

  measuring = true;
  const chunks: number[] = [];
  const t0 = performance.now();
  // Partition p takes the trajectories i with i % PARTITIONS === p (as Kafka keys them).
  await Promise.all(
    Array.from({ length: PARTITIONS }, async (_, p) => {
      const mine = Array.from({ length: N }, (_, i) => i).filter((i) => (i % K) % PARTITIONS === p);
      for (let from = 0; from < mine.length; from += 100) {
        chunks.push(await feed(mine.slice(from, from + 100).map(title), p));
      }
    }),
  );
  measuring = false;
  const wall = performance.now() - t0;
  const c = summarize(chunks);
  console.log(
    `\nfan-out profile: ${N} title events over ${K} trajectories, ${PARTITIONS} partition(s) at once, ${PARTNERS} partner(s) with a topic and a webhook channel (${new Date().toISOString()})`,
  );
  console.log(
    `chunk of 100: p50 ${c.p50.toFixed(0)} ms, max ${c.max.toFixed(0)} ms; ${(N / (wall / 1000)).toFixed(0)} events/s in-process`,
  );
  report(times, wall, N, 'event');

  // The webhook dispatcher sends the queued copies (warm-up included) to a receiver answering
  // 204: per delivery its statements (claim, copy decision, mark and audit) and its time.
  const deliveries = N + 200;
  const dispatcher = app.get(WebhookDispatcher);
  const dispatched = new SqlTimes();
  const unpatch = dispatched.patch(ds);
  const d0 = performance.now();
  for (let sent = 0; sent < deliveries;) {
    sent += await dispatcher.tick();
    await dispatcher.settle();
  }
  const dWall = performance.now() - d0;
  unpatch();
  const [left] = (await ds.query(
    `SELECT count(*)::int AS n FROM webhook_deliveries WHERE delivered_at IS NULL`,
  )) as { n: number }[];
  if (left!.n > 0) throw new Error(`${left!.n} webhook deliveries not delivered`);
  console.log(
    `\nwebhook dispatch: ${deliveries} deliveries, maxInFlight 16; ${(deliveries / (dWall / 1000)).toFixed(0)} deliveries/s in-process`,
  );
  report(dispatched, dWall, deliveries, 'delivery');
  receiver.close();
  await app.close();
  const admin = kafkaClients({ clientId: 'gateway-profile-admin' }).admin();
  await admin.deleteTopics(orgs.map(partnerTopic)).catch(() => undefined);
  await admin.disconnect();
  await dropBenchDatabase(db);
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
