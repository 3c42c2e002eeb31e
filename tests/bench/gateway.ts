/**
 * `npm run bench:gateway` — the partner gateway's delivery throughput and command → partner
 * latency next to plain kafkajs, in ONE run (issue 13; apart from `npm run bench` and from the
 * tests; docs/benchmarks.md "Partner gateway"). The gateway runs as its own process (as
 * `npm start` runs it) on a database of its own; the "context service" is an outbox in another
 * database of its own with an OutboxRelay, as in tests/bench/latency.ts. Every topic has this
 * run's prefix; databases and topics are removed at the end, also after a failure or the timeout.
 *
 *   (a) plain kafkajs: N records produced (batches of 100, acks -1) on a topic with the context
 *       topics' partitions and keys, consumed by a plain consumer: events/s;
 *   (b) the gateway: N `title.registered` events published on the trajectory topic (as the
 *       producing service's relay would), fanned out to one partner with a topic and a webhook:
 *       events/s from the first send to the last copy read from the partner's topic (a
 *       SASL/SCRAM consumer with the partner's own credentials) and received by the webhook
 *       receiver (the reference subscriber, docs/examples);
 *   (c) latency, open loop (one event every BENCH_GATEWAY_INTERVAL_MS): raw kafkajs send →
 *       eachMessage, and command → partner: transaction start of the event's outbox write in
 *       the context service → the partner's topic consumer, and → the webhook receiver.
 *
 * Settings (environment): BENCH_GATEWAY_EVENTS (2000), BENCH_GATEWAY_TRAJECTORIES (50),
 * BENCH_GATEWAY_SAMPLES (300), BENCH_GATEWAY_WARMUP (30), BENCH_GATEWAY_INTERVAL_MS (50),
 * BENCH_GATEWAY_CONCURRENCY (the gateway's PARTNER_GATEWAY_CONSUMER_CONCURRENCY, default its
 * own), BENCH_GATEWAY_TIMEOUT_MS (600000), BENCH_GATEWAY_CPU_PROF (a directory: the gateway
 * process writes a CPU profile there). Figures: stdout and .data/bench/gateway.json.
 */
import './partner-bench-prefix';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { mintDevToken } from '@ketenlink/auth';
import { schemaUriOf } from '@ketenlink/contracts';
import {
  appendToOutbox,
  wakeRelayAfterCommit,
  buildCloudEvent,
  contextTopics,
  deadLetterTopicSpec,
  kafkaClients,
  MESSAGING_MIGRATIONS,
  OutboxRelay,
  partnerTopic,
  toKafkaRecord,
  topicForEventType,
} from '@ketenlink/messaging';
import { createServiceDataSource, migrate } from '@ketenlink/persistence';
import { REPO_ROOT, waitFor } from '@ketenlink/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
// The reference subscriber partners copy (docs/partner-guide.md); the bench runs that very file.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startReferenceSubscriber } from '../../docs/examples/reference-subscriber';
import {
  migrateService,
  type RunningService,
  startService,
  stopService,
} from '../support/platform';
import { BASELINE_CONSUMER } from './config';
import { type BenchDatabase, dropBenchDatabase, ensureBenchDatabase } from './gateway-db';
import { paced, rawLatency } from './latency';
import { plainIdempotentProducer } from './publish';
import { type LatencySummary, summarize } from './stats';

const int = (name: string, fallback: number, min = 1): number => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}`);
  return n;
};
const N = int('BENCH_GATEWAY_EVENTS', 2000);
const K = int('BENCH_GATEWAY_TRAJECTORIES', 50);
const SAMPLES = int('BENCH_GATEWAY_SAMPLES', 300);
const WARMUP = int('BENCH_GATEWAY_WARMUP', 30, 0);
const INTERVAL_MS = int('BENCH_GATEWAY_INTERVAL_MS', 50);
const TIMEOUT_MS = int('BENCH_GATEWAY_TIMEOUT_MS', 600_000);
const CONCURRENCY = process.env.BENCH_GATEWAY_CONCURRENCY;
const TITLE = 'nl.ketenlink.title.registered.v1';
const BATCH = 100;

const PREFIX = process.env.KETENLINK_TOPIC_PREFIX!;
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const [HOST, PORT] = BROKERS[0]!.split(':');
const SASL_BROKERS = process.env.KAFKA_SASL_BROKERS ?? `${HOST}:${Number(PORT) + 2}`;
const GROUP_PREFIX = `bench-gw-${randomUUID().slice(0, 8)}-`;

/** What `finally` removes, whatever happened before. */
const cleanup: (() => Promise<unknown>)[] = [];

const titleData = (trajectoryId: string, i: number) => ({
  trajectoryId,
  titleId: randomUUID(),
  kind: 'special-conditions-suspended-sentence',
  startDate: '2026-11-01',
  expectedEndDate: '2027-11-01',
  conditions: [{ type: 'abstinence', description: `bench ${i}` }],
});

interface Throughput {
  readonly events: number;
  readonly seconds: number;
  readonly perSecond: number;
}
const throughput = (events: number, fromMs: number, toMs: number): Throughput => ({
  events,
  seconds: (toMs - fromMs) / 1000,
  perSecond: events / ((toMs - fromMs) / 1000),
});

async function main(): Promise<void> {
  const load = { start: loadavg()[0]!, end: 0 };
  const clients = kafkaClients({ clientId: 'bench-gateway' });
  const admin = clients.admin();
  cleanup.push(() => admin.disconnect());
  const topics = [...contextTopics(), deadLetterTopicSpec(`${GROUP_PREFIX}partner-gateway`)];
  await admin.ensureTopics(contextTopics());
  cleanup.push(() => admin.deleteTopics(topics.map((t) => t.name)));

  // --- the gateway on its own database ---
  const gwDb = await ensureBenchDatabase('gw');
  cleanup.push(() => dropBenchDatabase(gwDb));
  const ctxDb = await ensureBenchDatabase('ctx');
  cleanup.push(() => dropBenchDatabase(ctxDb));
  migrateService('partner-gateway', { DATABASE_URL: gwDb.url });
  const gw = await startService('partner-gateway', 3005, undefined, {
    env: {
      DATABASE_URL: gwDb.url,
      KAFKA_SASL_BROKERS: SASL_BROKERS,
      KETENLINK_TOPIC_PREFIX: PREFIX,
      KETENLINK_CONSUMER_GROUP_PREFIX: GROUP_PREFIX,
      KETENLINK_TRACES_EXPORTER: 'none',
      PARTNER_WEBHOOK_POLL_MS: '20',
      LOG_LEVEL: 'warn',
      ...(CONCURRENCY ? { PARTNER_GATEWAY_CONSUMER_CONCURRENCY: CONCURRENCY } : {}),
      // A CPU profile of the gateway process, written when it stops.
      ...(process.env.BENCH_GATEWAY_CPU_PROF
        ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_GATEWAY_CPU_PROF}` }
        : {}),
    },
  });
  cleanup.push(() => stopService(gw));

  const producer = clients.producer();
  await producer.connect();
  cleanup.push(() => producer.disconnect());
  const publish = async (inputs: { type: string; subject: string; data: unknown }[]) => {
    const events = inputs.map((i) =>
      buildCloudEvent({ ...i, source: 'bench', dataschema: schemaUriOf(i.type) }),
    );
    await producer.send(
      events.map((e) => ({ topic: topicForEventType(e.type), ...toKafkaRecord(e) })),
      { timeoutMs: 30_000 },
    );
    return events;
  };

  // --- one probation partner: subscribed to title.registered, full payloads, topic + webhook ---
  const org = `bench-prob-${randomUUID().slice(0, 6)}`;
  const partner = await registerPartner(gw, org, publish);
  topics.push({ name: partnerTopic(org), partitions: 0, retentionMs: 0 });
  const hook = partner.hook;
  cleanup.push(() => hook.close());
  const trajectories = Array.from({ length: K }, () => randomUUID());
  await publish(
    trajectories.flatMap((t) => [
      {
        type: 'nl.ketenlink.trajectory.opened.v1',
        subject: t,
        data: {
          trajectoryId: t,
          openedAt: '2026-11-01T09:00:00Z',
          openedBy: { organisationId: org, role: 'coordinator' },
        },
      },
      {
        type: 'nl.ketenlink.trajectory.participant-joined.v1',
        subject: t,
        data: { trajectoryId: t, organisationId: org, role: 'probation', from: '2026-11-01' },
      },
    ]),
  );

  // The partner's own consumer: its SCRAM credentials, its own group, its own topic.
  const onTopic = new Map<string, number>();
  const partnerKafka = new Kafka({
    clientId: 'bench-partner-consumer',
    brokers: [partner.topic.bootstrapServers],
    sasl: {
      mechanism: 'scram-sha-512',
      username: partner.topic.username,
      password: partner.topic.password,
    },
    logLevel: logLevel.NOTHING,
  });
  const consumer = partnerKafka.consumer({ groupId: partner.topic.group, ...BASELINE_CONSUMER });
  await consumer.connect();
  cleanup.push(() => consumer.disconnect());
  await consumer.subscribe({ topics: [partner.topic.topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const id = message.headers?.ce_id?.toString();
      if (id && !onTopic.has(id)) onTopic.set(id, Date.now());
    },
  });
  const atHook = receiptsOf(hook);
  // Warm-up until both channels deliver (group joins, JIT, schema compile): not measured.
  const warm = await publish(
    trajectories.map((t, i) => ({ type: TITLE, subject: t, data: titleData(t, -i) })),
  );
  await waitFor(() => warm.every((e) => onTopic.has(e.id) && atHook(e.id) !== undefined), {
    timeoutMs: 120_000,
    intervalMs: 100,
    what: 'the warm-up events on the partner topic and at the webhook',
  });

  // --- (a) plain kafkajs: same partitions, keys and records ---
  const plainTopic = `${PREFIX}bench.gateway.plain`;
  const plainSpec = {
    name: plainTopic,
    partitions: contextTopics()[0]!.partitions,
    retentionMs: 3_600_000,
  };
  await admin.ensureTopics([plainSpec]);
  topics.push({ name: plainTopic, partitions: 0, retentionMs: 0 });
  const plain = new Kafka({
    clientId: 'bench-gateway-plain',
    brokers: BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const plainThroughput = await plainKafkajs(plain, plainTopic, trajectories);

  // --- (b) gateway throughput ---
  const sent: string[] = [];
  const start = Date.now();
  for (let i = 0; i < N; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => {
      const t = trajectories[(i + j) % K]!;
      return { type: TITLE, subject: t, data: titleData(t, i + j) };
    });
    for (const e of await publish(batch)) sent.push(e.id);
  }
  await waitFor(() => sent.every((id) => onTopic.has(id)), {
    timeoutMs: TIMEOUT_MS,
    intervalMs: 100,
    what: `${N} events on the partner topic`,
  });
  const topicDone = Math.max(...sent.map((id) => onTopic.get(id)!));
  await waitFor(() => sent.every((id) => atHook(id) !== undefined), {
    timeoutMs: TIMEOUT_MS,
    intervalMs: 100,
    what: `${N} events at the webhook`,
  });
  const hookDone = Math.max(...sent.map((id) => atHook(id)!));
  const gatewayTopic = throughput(N, start, topicDone);
  const gatewayHook = throughput(N, start, hookDone);

  // --- (c) latency: raw kafkajs, then command → partner through the context service's outbox ---
  const rawTopic = `${PREFIX}bench.gateway.raw`;
  await admin.ensureTopics([{ ...plainSpec, name: rawTopic }]);
  topics.push({ name: rawTopic, partitions: 0, retentionMs: 0 });
  const raw = await rawLatency(plain, rawTopic, `bench-gw-raw-${randomUUID().slice(0, 6)}`, {
    samples: SAMPLES,
    warmup: WARMUP,
    intervalMs: INTERVAL_MS,
    keys: trajectories,
  });
  const command = await commandToPartner(ctxDb, trajectories, onTopic, atHook);

  load.end = loadavg()[0]!;
  const figures = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, loadAverage1m: load },
    settings: {
      events: N,
      trajectories: K,
      samples: SAMPLES,
      warmup: WARMUP,
      intervalMs: INTERVAL_MS,
      gatewayConsumerConcurrency: CONCURRENCY ?? 'default',
    },
    throughput: {
      plainKafkajs: plainThroughput,
      gatewayToTopic: gatewayTopic,
      gatewayToWebhook: gatewayHook,
    },
    latency: {
      rawKafkajsSendToEachMessage: raw.sendToHandler,
      commandToPartnerTopic: command.topic,
      commandToWebhook: command.webhook,
      commandOutboxCommit: command.write,
    },
  };
  report(figures);
  const out = path.join(REPO_ROOT, '.data/bench/gateway.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`figures written to ${path.relative(REPO_ROOT, out)}`);
}

/** Event id → receipt time at the webhook receiver (indexed as the receipts come in). */
function receiptsOf(hook: Partner['hook']): (eventId: string) => number | undefined {
  const at = new Map<string, number>();
  let seen = 0;
  return (eventId) => {
    for (; seen < hook.received.length; seen++) {
      const r = hook.received[seen]!;
      if (!at.has(r.event.id)) at.set(r.event.id, r.receivedAt);
    }
    return at.get(eventId);
  };
}

type Publish = (
  inputs: { type: string; subject: string; data: unknown }[],
) => Promise<{ id: string }[]>;

interface Partner {
  readonly topic: {
    topic: string;
    group: string;
    username: string;
    password: string;
    bootstrapServers: string;
  };
  readonly hook: Awaited<ReturnType<typeof startReferenceSubscriber>>;
}

/** Registers the partner through the gateway's API, as an operator would. */
async function registerPartner(
  gw: RunningService,
  org: string,
  publish: Publish,
): Promise<Partner> {
  const orgEvent = (id: string, kind: string) => ({
    type: 'nl.ketenlink.organisation.registered.v1',
    subject: id,
    data: { organisationId: id, kind, identifiers: {}, activeFrom: '2020-01-01' },
  });
  await publish([orgEvent('ketenlink-ops', 'platform'), orgEvent(org, 'probation-service')]);
  const op = `Bearer ${await mintDevToken({ sub: 'bench', org: 'ketenlink-ops', roles: ['operator'] })}`;
  const call = async (method: string, route: string, body: unknown) => {
    const res = await fetch(`${gw.url}${route}`, {
      method,
      headers: { authorization: op, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? {} : ((await res.json()) as Record<string, string>);
  };
  await waitFor(
    async () =>
      call('POST', '/partners', { organisationId: org, fullPayloads: true }).then(
        () => true,
        (e: unknown) => (String(e).includes('not-registered') ? false : Promise.reject(e)),
      ),
    { timeoutMs: 60_000, what: 'the organisations projected in the gateway' },
  );
  await call('PUT', `/partners/${org}/subscriptions`, { eventTypes: [TITLE] });
  const topic = await call('POST', `/partners/${org}/channels/topic`, {});
  const hook = await startReferenceSubscriber({ secrets: [] });
  const wh = await call('POST', `/partners/${org}/channels/webhooks`, {
    url: hook.url,
    maxInFlight: 16,
  });
  hook.setSecrets([wh.secret!]);
  return { topic: topic as unknown as Partner['topic'], hook };
}

/** (a): N records in batches of 100 (acks -1, idempotent) → a plain consumer's eachMessage. */
async function plainKafkajs(
  kafka: Kafka,
  topic: string,
  keys: readonly string[],
): Promise<Throughput> {
  const got = new Set<string>();
  let last = 0;
  const consumer = kafka.consumer({
    groupId: `bench-gw-plain-${randomUUID().slice(0, 6)}`,
    ...BASELINE_CONSUMER,
  });
  const producer = plainIdempotentProducer(kafka);
  await Promise.all([consumer.connect(), producer.connect()]);
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let joined!: () => void;
    const join = new Promise<void>((r) => (joined = r));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachMessage: async ({ message }) => {
        got.add(message.headers!.ce_id!.toString());
        last = Date.now();
      },
    });
    await join;
    const records = Array.from({ length: N }, (_, i) => {
      const t = keys[i % keys.length]!;
      return toKafkaRecord(
        buildCloudEvent({
          type: TITLE,
          source: 'bench',
          subject: t,
          data: titleData(t, i),
          dataschema: schemaUriOf(TITLE),
        }),
      );
    });
    const start = Date.now();
    for (let i = 0; i < N; i += BATCH) {
      await producer.send({ topic, acks: -1, messages: records.slice(i, i + BATCH) });
    }
    await waitFor(() => got.size >= N, {
      timeoutMs: 120_000,
      intervalMs: 20,
      what: 'plain kafkajs consumed',
    });
    return throughput(N, start, last);
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
  }
}

/**
 * (c): per sample one `title.registered` written into the context service's outbox in its own
 * transaction (appendToOutbox, as a command handler does); the service's relay (woken from the
 * writer's commit, pool of 3: the MessagingModule defaults, ADR 0041) publishes it; the gateway fans it out. Latency from
 * the transaction's start to the partner's topic consumer and to the webhook receiver.
 */
async function commandToPartner(
  db: BenchDatabase,
  trajectories: readonly string[],
  onTopic: ReadonlyMap<string, number>,
  atHook: (id: string) => number | undefined,
): Promise<{ topic: LatencySummary; webhook: LatencySummary; write: LatencySummary }> {
  const ds = createServiceDataSource({
    service: 'bench-context',
    url: db.url,
    entities: [],
    migrations: [...MESSAGING_MIGRATIONS],
  });
  await migrate(ds); // and leaves it initialised
  const pool = new Pool({ connectionString: db.url, max: 3 });
  const relay = new OutboxRelay({
    pool,
    listenUrl: db.url,
    producer: kafkaClients({ clientId: 'bench-context-relay' }).producer(),
  });
  const unwake = wakeRelayAfterCommit(ds, () => relay.wakeUp());
  await relay.start();
  try {
    const run = async (n: number) => {
      const events = Array.from({ length: n }, (_, i) => {
        const t = trajectories[i % trajectories.length]!;
        return buildCloudEvent({
          type: TITLE,
          source: 'bench-context',
          subject: t,
          data: titleData(t, i),
          dataschema: schemaUriOf(TITLE),
        });
      });
      const started = new Map<string, number>();
      const committed = new Map<string, number>();
      await paced(n, INTERVAL_MS, async (i) => {
        const e = events[i]!;
        started.set(e.id, Date.now());
        await ds.transaction((m: EntityManager) =>
          appendToOutbox(m, [
            { event: e, topic: topicForEventType(TITLE), aggregateType: 'title' },
          ]),
        );
        committed.set(e.id, Date.now());
      });
      await waitFor(() => events.every((e) => onTopic.has(e.id) && atHook(e.id) !== undefined), {
        timeoutMs: 120_000,
        intervalMs: 20,
        what: `${n} commands at the partner (topic and webhook)`,
      });
      const of = (to: (id: string) => number) =>
        summarize(events.map((e) => to(e.id) - started.get(e.id)!));
      return {
        topic: of((id) => onTopic.get(id)!),
        webhook: of((id) => atHook(id)!),
        write: of((id) => committed.get(id)!),
      };
    };
    if (WARMUP > 0) await run(WARMUP);
    return await run(SAMPLES);
  } finally {
    unwake();
    await relay.stop().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await ds.destroy().catch(() => undefined);
  }
}

function report(f: {
  at: string;
  machine: { cpus: number; loadAverage1m: { start: number; end: number } };
  throughput: Record<string, Throughput>;
  latency: Record<string, LatencySummary>;
}): void {
  const ms = (v: number) => v.toFixed(1);
  console.log(
    `\npartner gateway bench ${f.at}: N=${N} over ${K} trajectories; latency ${SAMPLES} samples every ${INTERVAL_MS} ms; ${f.machine.cpus} cpus, load ${f.machine.loadAverage1m.start.toFixed(1)} → ${f.machine.loadAverage1m.end.toFixed(1)}`,
  );
  console.log('\nthroughput                                 events/s   seconds');
  const t = f.throughput;
  for (const [name, r] of [
    ['plain kafkajs produce → consume', t.plainKafkajs!],
    ['gateway: context topic → partner topic', t.gatewayToTopic!],
    ['gateway: context topic → webhook', t.gatewayToWebhook!],
  ] as const) {
    console.log(
      `${name.padEnd(42)} ${r.perSecond.toFixed(0).padStart(8)}  ${r.seconds.toFixed(2).padStart(8)}`,
    );
  }
  console.log('\nlatency (ms)                               p50     p95     p99     max');
  const l = f.latency;
  for (const [name, s] of [
    ['raw kafkajs send → eachMessage', l.rawKafkajsSendToEachMessage!],
    ['command → partner topic (SASL consumer)', l.commandToPartnerTopic!],
    ['command → webhook receiver', l.commandToWebhook!],
    ['  of which: outbox transaction', l.commandOutboxCommit!],
  ] as const) {
    console.log(
      `${name.padEnd(42)} ${ms(s.p50).padStart(6)}  ${ms(s.p95).padStart(6)}  ${ms(s.p99).padStart(6)}  ${ms(s.max).padStart(6)}`,
    );
  }
}

let timer: NodeJS.Timeout | undefined;
void Promise.race([
  main(),
  new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`bench:gateway timed out after ${TIMEOUT_MS} ms`)),
      TIMEOUT_MS,
    );
  }),
])
  .then(
    () => 0,
    (err: unknown) => {
      console.error(err);
      return 1;
    },
  )
  .then(async (code) => {
    clearTimeout(timer);
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    process.exit(code);
  });
