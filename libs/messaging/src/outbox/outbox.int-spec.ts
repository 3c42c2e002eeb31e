import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { databaseUrlFor } from '@ketenlink/persistence';
import { openTestDatabase, REPO_ROOT, waitFor } from '@ketenlink/testing';
import {
  MessagingTestTables1763900000001,
  sequencedEvent,
  testTopic,
} from '../../test-support/fixtures';
import { ConfigResourceTypes } from 'kafkajs';
import { fromKafkaRecord } from '../envelope/binary-mode';
import { eachRecord, kafkaClients } from '../kafka/kafka-clients';
import { buildCloudEvent, type CloudEvent } from '../envelope/cloud-event';
import { KafkaSendError, type OutgoingRecord, type ProducerPort } from '../kafka/kafka.port';
import { noopMessagingMetrics } from '../metrics';
import { createKafka, KafkajsProducer } from '../kafka/kafkajs.adapter';
import { ContractViolationError, EventEmitter } from './event-emitter';
import { OutboxInbox1763900000000 } from './outbox-inbox.migration';
import { OutboxLeases1764000000000 } from './outbox-leases.migration';
import { OutboxHotLeases1764100000000 } from './outbox-hot-leases.migration';
import { OutboxRelay } from './outbox-relay';
import { appendToOutbox } from './outbox-writer';
import { transactionBound } from '../consumer/transaction-bound';
import { wakeRelayAfterCommit } from './typeorm-commit-wake';
import { OUTBOX_CHANNEL, type SqlExecutor } from '../sql';

const url = databaseUrlFor('messaging', { test: true });
let ds: DataSource;
let pool: Pool;
const kafka = kafkaClients({ clientId: 'outbox-int-spec' });
/** kafkajs itself, for what the port does not offer a test (topic configs, the kafkajs producer). */
const rawKafka = createKafka('outbox-int-spec-raw');

beforeAll(async () => {
  ds = await openTestDatabase({
    service: 'messaging',
    migrations: [
      OutboxInbox1763900000000,
      OutboxLeases1764000000000,
      OutboxHotLeases1764100000000,
      MessagingTestTables1763900000001,
    ],
  });
  pool = new Pool({ connectionString: url, max: 8 });
});

afterAll(async () => {
  await pool.end();
  await ds.destroy();
});

async function ensureTopics(topics: Parameters<ReturnType<typeof kafka.admin>['ensureTopics']>[0]) {
  const admin = kafka.admin();
  try {
    await admin.ensureTopics(topics);
  } finally {
    await admin.disconnect();
  }
}

async function count(table: string, where = 'true'): Promise<number> {
  const [row] = await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return row.n;
}

/**
 * Reads a topic from the beginning with a fresh group until `expected` records arrived (or, with
 * `distinct`, records with `expected` distinct event ids: a failed batch may have landed in part).
 */
async function readAll(topic: string, expected: number, timeoutMs = 60_000, distinct = false) {
  const seen: { key: string; id: string; n: number; partition: number }[] = [];
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  await consumer.run({
    topics: [topic],
    fromBeginning: true,
    onBatch: eachRecord(async (r) => {
      const e = fromKafkaRecord(r.key, r.value, r.headers);
      seen.push({
        key: e.subject,
        id: e.id,
        n: (e.data as { n: number }).n,
        partition: r.partition,
      });
    }),
  });
  try {
    const enough = () => (distinct ? new Set(seen.map((s) => s.id)).size : seen.length) >= expected;
    await waitFor(enough, {
      timeoutMs,
      what: `${expected} records on ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('transactional outbox (real PostgreSQL)', () => {
  it('commits the state change and its events together, or neither', async () => {
    const topic = 'ketenlink.test.unused';
    const write = (fail: boolean) =>
      ds.transaction(async (tx) => {
        const id = randomUUID();
        await tx.query(`INSERT INTO test_state (id, label) VALUES ($1, 'x')`, [id]);
        await appendToOutbox(tx, [{ event: sequencedEvent(id, 1), topic, aggregateType: 'test' }]);
        if (fail) throw new Error('business rule failed after the write');
      });

    await expect(write(true)).rejects.toThrow('business rule failed');
    expect(await count('test_state')).toBe(0);
    expect(await count('outbox')).toBe(0);

    await write(false);
    expect(await count('test_state')).toBe(1);
    expect(await count('outbox', 'published_at IS NULL')).toBe(1);
    await ds.query('TRUNCATE outbox, test_state');
  });

  it('refuses an event that breaks its contract, rolling the state change back', async () => {
    const emitter = new EventEmitter('test', 'trajectory');
    const id = randomUUID();
    const attempt = ds.transaction(async (tx) => {
      await tx.query(`INSERT INTO test_state (id, label) VALUES ($1, 'x')`, [id]);
      await emitter.emit(tx, [
        {
          type: 'nl.ketenlink.trajectory.opened.v1',
          subject: id,
          data: { trajectoryId: id, bsn: '123456782' },
        },
      ]);
    });
    await expect(attempt).rejects.toBeInstanceOf(ContractViolationError);
    expect(await count('test_state')).toBe(0);
    expect(await count('outbox')).toBe(0);
  });
});

describe('outbox relay (real PostgreSQL and Kafka)', () => {
  const admin = kafka.admin();
  afterAll(() => admin.disconnect());

  it('survives SIGKILL between send and mark: nothing lost, per-key order kept, several relays at once', async () => {
    const topic = testTopic('relay-crash');
    await admin.ensureTopics([topic]);
    const keys = Array.from({ length: 20 }, () => randomUUID());
    const perKey = 60;
    const total = keys.length * perKey;
    // Writers interleave keys, 100 events per transaction, like many concurrent requests would.
    for (let n = 0; n < perKey; n += 5) {
      await ds.transaction(async (tx) => {
        const entries = keys.flatMap((k) =>
          [0, 1, 2, 3, 4].map((i) => ({
            event: sequencedEvent(k, n + i),
            topic: topic.name,
            aggregateType: 'test',
          })),
        );
        await appendToOutbox(tx, entries);
      });
    }
    expect(await count('outbox', 'published_at IS NULL')).toBe(total);

    const child = spawn(
      path.join(REPO_ROOT, 'node_modules/.bin/node'),
      ['-r', '@swc-node/register', path.join(__dirname, '../../test-support/relay-process.ts')],
      {
        cwd: REPO_ROOT,
        // The 3rd send, once acknowledged, is held: its batch is in Kafka, never marked.
        env: { ...process.env, RELAY_DATABASE_URL: url, RELAY_HOLD_AT_SEND: '3' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise((r) => child.once('exit', r));
    let sent = 0;
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        sent += (chunk.toString().match(/SENT/g) ?? []).length;
        if (sent >= 3) resolve();
      });
    });
    // The 2nd batch's mark runs alongside the 3rd send (pipelined): killed once it committed.
    await waitFor(async () => (await count('outbox', 'published_at IS NOT NULL')) >= 100, {
      what: 'the second batch marked published',
    });
    child.kill('SIGKILL'); // the 3rd batch is in Kafka but not yet marked published
    await exited;
    const publishedBeforeRestart = await count('outbox', 'published_at IS NOT NULL');
    expect(publishedBeforeRestart).toBe(100); // two batches of 50 committed, the third was not

    // Two relays take over at once and drain the rest.
    const relays = [1, 2].map(
      () =>
        new OutboxRelay({
          pool,
          listenUrl: url,
          producer: kafka.producer(),
          batchSize: 37,
          pollIntervalMs: 50,
        }),
    );
    await Promise.all(relays.map((r) => r.start()));
    await waitFor(async () => (await count('outbox', 'published_at IS NULL')) === 0, {
      timeoutMs: 60_000,
      what: 'outbox drained',
    });
    await Promise.all(relays.map((r) => r.stop()));

    const seen = await readAll(topic.name, total + 50);
    const distinct = new Set(seen.map((s) => s.id));
    expect(distinct.size).toBe(total); // nothing lost
    expect(seen.length).toBe(total + 50); // the killed batch came twice: at-least-once, visibly

    for (const key of keys) {
      const firstSeen: number[] = [];
      const ids = new Set<string>();
      for (const s of seen.filter((x) => x.key === key)) {
        if (ids.has(s.id)) continue;
        ids.add(s.id);
        firstSeen.push(s.n);
      }
      expect(firstSeen).toEqual(Array.from({ length: perKey }, (_, i) => i)); // in order per key
      expect(new Set(seen.filter((x) => x.key === key).map((x) => x.partition)).size).toBe(1);
    }
  }, 120_000);

  it('wakes on NOTIFY rather than waiting for the poll', async () => {
    const topic = testTopic('relay-notify', 1);
    await admin.ensureTopics([topic]);
    const relay = new OutboxRelay({
      pool,
      listenUrl: url,
      producer: kafka.producer(),
      pollIntervalMs: 60_000,
    });
    await relay.start();
    try {
      // The first (empty) pass is done and the relay sleeps on a 60 s poll, listening.
      await waitFor(() => relay.status().state === 'idle' && relay.status().listening, {
        what: 'relay idle and listening',
      });
      const started = Date.now();
      await ds.transaction((tx) =>
        appendToOutbox(tx, [
          { event: sequencedEvent(randomUUID(), 0), topic: topic.name, aggregateType: 'test' },
        ]),
      );
      await waitFor(async () => (await count('outbox', 'published_at IS NULL')) === 0, {
        timeoutMs: 10_000,
      });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await relay.stop();
    }
  });
});

/** Runs the operator tool (`npm run outbox -- …`) as operators do, against the test database. */
function outboxCli(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(REPO_ROOT, 'node_modules/.bin/node'),
      ['-r', '@swc-node/register', path.join(__dirname, 'outbox-cli.ts'), ...args],
      // --service resolves the database as the service does: DATABASE_URL wins.
      { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: 'pipe' },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A test event with a payload of about `bytes` bytes. */
function paddedEvent(subject: string, n: number, bytes: number): CloudEvent {
  return buildCloudEvent({
    type: 'nl.ketenlink.test.sequenced.v1',
    source: 'test',
    subject,
    dataschema: 'https://schemas.ketenlink.nl/test',
    data: { n, pad: 'p'.repeat(bytes) },
  });
}

function firstSeenOrder(seen: { key: string; id: string; n: number }[], key: string): number[] {
  const ids = new Set<string>();
  const order: number[] = [];
  for (const s of seen.filter((x) => x.key === key)) {
    if (ids.has(s.id)) continue;
    ids.add(s.id);
    order.push(s.n);
  }
  return order;
}

describe('outbox relay: parking, outages, shutdown (real PostgreSQL and Kafka)', () => {
  const kadmin = rawKafka.admin();
  beforeAll(() => kadmin.connect());
  afterAll(() => kadmin.disconnect());
  beforeEach(() => ds.query('TRUNCATE outbox'));

  it('parks a record over max.message.bytes while other keys flow; the operator tool lists and retries it', async () => {
    const topic = `ketenlink.test.relay-park-${randomUUID().slice(0, 8)}`;
    await kadmin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 3,
          replicationFactor: -1,
          configEntries: [{ name: 'max.message.bytes', value: '4096' }],
        },
      ],
    });
    const stuck = randomUUID();
    const others = Array.from({ length: 5 }, () => randomUUID());
    const entry = (event: CloudEvent) => ({ event, topic, aggregateType: 'test' });
    // One transaction, keys interleaved: the refused row sits in the middle of the first batch.
    await ds.transaction((tx) =>
      appendToOutbox(tx, [
        entry(sequencedEvent(stuck, 0)),
        ...others.map((k) => entry(sequencedEvent(k, 0))),
        entry(paddedEvent(stuck, 1, 10_000)), // over the topic's 4096 bytes
        ...others.map((k) => entry(sequencedEvent(k, 1))),
        entry(sequencedEvent(stuck, 2)),
        ...others.map((k) => entry(sequencedEvent(k, 2))),
      ]),
    );
    const parked: string[] = [];
    const relay = new OutboxRelay({
      pool,
      listenUrl: url,
      producer: new KafkajsProducer(rawKafka),
      pollIntervalMs: 100,
      metrics: { ...noopMessagingMetrics, parked: (_topic, type) => parked.push(type) },
    });
    await relay.start();
    try {
      await waitFor(async () => (await count('outbox', 'parked_at IS NOT NULL')) === 1, {
        what: 'the oversized row parked',
      });
      await waitFor(async () => (await count('outbox', 'published_at IS NOT NULL')) === 16, {
        what: "every other key's rows and the stuck key's first row published",
      });
      expect(parked).toEqual(['nl.ketenlink.test.sequenced.v1']);
      // The stuck key waits behind its parked row (order); nothing else is left.
      const [waiting] = await ds.query(
        `SELECT aggregateid, (headers->>'id') AS id FROM outbox
          WHERE published_at IS NULL AND parked_at IS NULL`,
      );
      expect(waiting.aggregateid).toBe(stuck);
      expect(await count('outbox', 'published_at IS NULL')).toBe(2);

      // Later writes of other keys keep flowing past the parked row.
      await ds.transaction((tx) =>
        appendToOutbox(
          tx,
          others.map((k) => entry(sequencedEvent(k, 3))),
        ),
      );
      await waitFor(async () => (await count('outbox', 'published_at IS NOT NULL')) === 21, {
        what: 'new rows of other keys published while one key is parked',
      });

      // The operator lists it: ids, type, key, error, attempts; no payload.
      const listed = await outboxCli(['list-parked', '--service', 'messaging']);
      expect(listed.code).toBe(0);
      const lines = listed.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(1);
      const [row] = await ds.query(
        `SELECT seq::text AS seq, id FROM outbox WHERE parked_at IS NOT NULL`,
      );
      expect(lines[0]).toMatchObject({
        seq: row.seq,
        eventId: row.id,
        type: 'nl.ketenlink.test.sequenced.v1',
        topic,
        key: stuck,
        attempts: 1,
        waitingBehind: 1,
      });
      expect(lines[0].lastError).toMatch(/MESSAGE_TOO_LARGE/);
      expect(listed.stdout).not.toContain('ppppp'); // the payload never leaves the database
      expect(listed.stdout).not.toContain('"n"');
      expect(listed.stderr).toContain('1 parked outbox row(s)');

      // The topic is fixed, the operator retries the row: it and the row behind it go out, in order.
      await kadmin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: [{ name: 'max.message.bytes', value: '1048588' }],
          },
        ],
      });
      const retried = await outboxCli(['retry', row.seq, '--service', 'messaging']);
      expect(retried.code).toBe(0);
      expect(retried.stdout.trim()).toBe(JSON.stringify({ retried: row.seq }));
      await waitFor(async () => (await count('outbox', 'published_at IS NULL')) === 0, {
        what: 'the retried row and the one behind it published',
      });
      expect(await count('outbox', 'parked_at IS NOT NULL')).toBe(0);
      const again = await outboxCli(['retry-all', '--service', 'messaging']);
      expect(again.stderr).toContain('0 row(s) un-parked');

      const seen = await readAll(topic, 23, 60_000, true);
      expect(firstSeenOrder(seen, stuck)).toEqual([0, 1, 2]);
      for (const k of others) expect(firstSeenOrder(seen, k)).toEqual([0, 1, 2, 3]);
    } finally {
      await relay.stop();
      await kadmin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    }
  }, 150_000); // the operator tool runs three times as its own process (~10 s each here)

  it('pipelined: a refused batch releases the batch claimed meanwhile unsent; later rows of its key never go out', async () => {
    const topic = testTopic('relay-pipeline', 3);
    await ensureTopics([topic]);
    const stuck = randomUUID();
    const others = Array.from({ length: 3 }, () => randomUUID());
    // Rounds of one row per key: with batches of 4 each batch is one round, so while the batch
    // with the refused row (stuck, n = 1) is sent, the next round (stuck, n = 2 …) is claimed.
    await ds.transaction((tx) =>
      appendToOutbox(
        tx,
        [0, 1, 2, 3, 4].flatMap((n) =>
          [stuck, ...others].map((k) => ({
            event: sequencedEvent(k, n),
            topic: topic.name,
            aggregateType: 'test',
          })),
        ),
      ),
    );
    const inner = new KafkajsProducer(rawKafka);
    const sent: { key: string; n: number }[] = [];
    const refusing: ProducerPort = {
      connect: () => inner.connect(),
      disconnect: () => inner.disconnect(),
      async send(records: readonly OutgoingRecord[], options) {
        const events = records.map((r) => fromKafkaRecord(r.key, r.value, r.headers));
        if (events.some((e) => e.subject === stuck && (e.data as { n: number }).n === 1)) {
          throw new KafkaSendError('refused for the test', true, 'INVALID_RECORD');
        }
        await inner.send(records, options);
        for (const e of events) sent.push({ key: e.subject!, n: (e.data as { n: number }).n });
      },
    };
    const relay = new OutboxRelay({ pool, listenUrl: url, producer: refusing, batchSize: 4 });
    try {
      expect(await relay.drain()).toBe(16); // 20 rows: stuck's n = 1 parked, n = 2…4 wait
    } finally {
      await inner.disconnect(); // drain() runs without start(): stop() would not disconnect
    }
    expect(sent.filter((s) => s.key === stuck)).toEqual([{ key: stuck, n: 0 }]);
    for (const k of others) {
      expect(sent.filter((s) => s.key === k).map((s) => s.n)).toEqual([0, 1, 2, 3, 4]);
    }
    expect(await count('outbox', 'parked_at IS NOT NULL')).toBe(1);
    expect(await count('outbox', 'published_at IS NULL')).toBe(4);
    expect(await count('outbox', 'lease_owner IS NOT NULL')).toBe(0); // nothing left leased
  }, 60_000);

  it('holds no transaction while Kafka is unreachable, backs off, and delivers once Kafka is back', async () => {
    const topic = testTopic('relay-outage');
    await ensureTopics([topic]);
    const keys = Array.from({ length: 4 }, () => randomUUID());
    await ds.transaction((tx) =>
      appendToOutbox(
        tx,
        [0, 1, 2].flatMap((n) =>
          keys.map((k) => ({
            event: sequencedEvent(k, n),
            topic: topic.name,
            aggregateType: 'test',
          })),
        ),
      ),
    );
    const appName = `relay-outage-${randomUUID().slice(0, 8)}`;
    const relayPool = new Pool({ connectionString: url, max: 3, application_name: appName });
    // Nothing listens on port 1: connection refused, as with a stopped broker.
    const unreachable = new KafkajsProducer(createKafka('relay-outage-down', ['127.0.0.1:1']));
    const reachable = new KafkajsProducer(rawKafka);
    let kafkaUp = false;
    let failedSends = 0;
    const producer: ProducerPort = {
      connect: async () => undefined, // kafkajs connects on the first send
      async send(records, options) {
        try {
          await (kafkaUp ? reachable : unreachable).send(records, options);
        } catch (err) {
          failedSends++;
          throw err;
        }
      },
      disconnect: async () => {
        await Promise.all([unreachable.disconnect(), reachable.disconnect()]);
      },
    };
    const relay = new OutboxRelay({
      pool: relayPool,
      listenUrl: url,
      producer,
      pollIntervalMs: 100,
      sendTimeoutMs: 1_000,
      leaseMs: 4_000,
      maxBackoffMs: 1_000,
    });
    const sampled: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rows = await ds.query(
          // state is NULL while a backend is still starting up (a new pool connection)
          `SELECT coalesce(state, 'starting') AS state FROM pg_stat_activity WHERE application_name = $1`,
          [appName],
        );
        for (const r of rows) sampled.push(r.state);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const t0 = Date.now();
    await relay.start();
    expect(Date.now() - t0).toBeLessThan(500); // start() does not wait for Kafka
    try {
      await waitFor(() => failedSends >= 6 && relay.status().consecutiveFailures >= 2, {
        timeoutMs: 30_000,
        what: 'several failed sends and relay back-off',
      });
      expect(relay.status().state).not.toBe('stopped');
      const [failing] = await ds.query(
        `SELECT count(*)::int AS n, max(attempts)::int AS attempts, min(last_error) AS err
           FROM outbox WHERE attempts > 0`,
      );
      expect(failing.n).toBeGreaterThan(0);
      expect(failing.err).toMatch(/TIMEOUT|Connection|ECONNREFUSED/i);
      expect(await count('outbox', 'published_at IS NOT NULL OR parked_at IS NOT NULL')).toBe(0);

      kafkaUp = true; // Kafka is back
      await waitFor(async () => (await count('outbox', 'published_at IS NULL')) === 0, {
        timeoutMs: 30_000,
        what: 'outbox drained after Kafka came back',
      });
    } finally {
      sampling = false;
      await sampler;
      await relay.stop();
      await relayPool.end();
    }
    expect(sampled.length).toBeGreaterThan(20); // the relay's connections were seen, often
    expect(sampled.filter((s) => s.startsWith('idle in transaction'))).toEqual([]);
    const seen = await readAll(topic.name, 12, 60_000, true);
    for (const k of keys) expect(firstSeenOrder(seen, k)).toEqual([0, 1, 2]);
  }, 90_000);

  it('stops within its deadline with a send hanging; the leased rows go out after the lease expires', async () => {
    const topic = testTopic('relay-stop', 1);
    await ensureTopics([topic]);
    const key = randomUUID();
    await ds.transaction((tx) =>
      appendToOutbox(
        tx,
        [0, 1].map((n) => ({
          event: sequencedEvent(key, n),
          topic: topic.name,
          aggregateType: 'test',
        })),
      ),
    );
    let hung = false;
    const hanging: ProducerPort = {
      connect: async () => undefined,
      send: () => {
        hung = true;
        return new Promise<void>(() => undefined); // a broker that never answers
      },
      disconnect: async () => undefined,
    };
    const stuckRelay = new OutboxRelay({
      pool,
      listenUrl: url,
      producer: hanging,
      sendTimeoutMs: 60_000,
      leaseMs: 61_000,
      stopTimeoutMs: 1_000,
    });
    await stuckRelay.start();
    await waitFor(() => hung, { what: 'the send to hang' });
    const t0 = Date.now();
    await stuckRelay.stop();
    expect(Date.now() - t0).toBeLessThan(2_500);
    // The in-flight rows are neither published nor lost: leased, waiting for the lease to expire.
    expect(await count('outbox', 'published_at IS NULL AND lease_owner IS NOT NULL')).toBe(2);
    await ds.query(`UPDATE outbox SET lease_expires_at = now() - interval '1 second'`); // time passes
    const relay = new OutboxRelay({
      pool,
      listenUrl: url,
      producer: new KafkajsProducer(rawKafka),
    });
    await relay.start();
    try {
      await waitFor(async () => (await count('outbox', 'published_at IS NULL')) === 0, {
        what: 'the expired lease taken over and published',
      });
    } finally {
      await relay.stop();
    }
    expect(firstSeenOrder(await readAll(topic.name, 2, 60_000, true), key)).toEqual([0, 1]);
  }, 60_000);
});

/**
 * The writer's own process wakes its relay after the commit instead of a NOTIFY (ADR 0041): a
 * LISTENer on the outbox channel hears nothing of such a transaction, the relay publishes at once
 * all the same; a rollback wakes nobody, a savepoint's release is not the commit, and a writer
 * the registration does not know (a pg client) still notifies.
 */
const heard: string[] = [];

const row = (topic = 'ketenlink.test.unused') => ({
  event: sequencedEvent(randomUUID(), 0),
  topic,
  aggregateType: 'test',
});

/**
 * What the LISTENer heard of the transactions committed so far: a barrier NOTIFY committed after
 * them arrives after all of theirs (PostgreSQL delivers notifications in commit order).
 */
async function heardSoFar(): Promise<string[]> {
  const barrier = randomUUID();
  await pool.query(`SELECT pg_notify($1, $2)`, [OUTBOX_CHANNEL, barrier]);
  await waitFor(() => heard.includes(barrier), { what: 'the barrier notification' });
  const before = heard.slice(0, heard.indexOf(barrier));
  heard.length = 0;
  return before;
}

describe('in-process relay wake-up after commit (real PostgreSQL and Kafka)', () => {
  let listener: Client;
  beforeAll(async () => {
    listener = new Client({ connectionString: url });
    await listener.connect();
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
  });
  afterAll(() => listener?.end());

  it('wakes after the outermost commit only, never on a rollback, and sends no NOTIFY then', async () => {
    let wakes = 0;
    const undo = wakeRelayAfterCommit(ds, () => wakes++);
    try {
      await heardSoFar();
      await ds.transaction(async (tx: EntityManager) => {
        await appendToOutbox(tx, [row()]);
        expect(wakes).toBe(0); // not before the commit: the row is not visible yet
      });
      expect(wakes).toBe(1);

      await expect(
        ds.transaction(async (tx: EntityManager) => {
          await appendToOutbox(tx, [row()]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(wakes).toBe(1);

      await ds.transaction(async (outer: EntityManager) => {
        await outer.transaction((inner: EntityManager) => appendToOutbox(inner, [row()]));
        expect(wakes).toBe(1); // the savepoint was released; the transaction goes on
      });
      expect(wakes).toBe(2);
      // An event handler's manager (the inbox transaction, its query runner hidden) too.
      await ds.transaction(async (m: EntityManager) => {
        const { manager, revoke } = transactionBound(m);
        await appendToOutbox(manager, [row()]);
        revoke();
      });
      expect(wakes).toBe(3);
      expect(await heardSoFar()).toEqual([]);

      // A writer on a plain pg client is not one of the DataSource's transactions: NOTIFY.
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await appendToOutbox(c as SqlExecutor, [row()]);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
      expect(wakes).toBe(3);
      expect(await heardSoFar()).toEqual(['']);
    } finally {
      undo();
    }
    // Undone: the DataSource's transactions notify again.
    await ds.transaction((tx: EntityManager) => appendToOutbox(tx, [row()]));
    expect(wakes).toBe(3);
    expect(await heardSoFar()).toEqual(['']);
  });

  it('a relay woken from the commit publishes at once, with its poll at 60 s', async () => {
    const topic = testTopic('commit-wake', 1);
    await ensureTopics([topic]);
    await pool.query(`UPDATE outbox SET published_at = now() WHERE published_at IS NULL`);
    const relay = new OutboxRelay({
      pool,
      listenUrl: url,
      producer: kafka.producer(),
      pollIntervalMs: 60_000,
    });
    const undo = wakeRelayAfterCommit(ds, () => relay.wakeUp());
    await relay.start();
    try {
      await waitFor(() => relay.status().state === 'idle' && relay.status().listening, {
        what: 'relay idle and listening',
      });
      await heardSoFar();
      const started = Date.now();
      await ds.transaction((tx: EntityManager) => appendToOutbox(tx, [row(topic.name)]));
      await waitFor(
        async () =>
          (
            (await ds.query(
              `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
            )) as {
              n: number;
            }[]
          )[0]!.n === 0,
        { timeoutMs: 10_000, what: 'the row published' },
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await heardSoFar()).toEqual([]); // woken without a NOTIFY
    } finally {
      undo();
      await relay.stop();
    }
  });
});
