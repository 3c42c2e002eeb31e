import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { databaseUrlFor } from '@ketenlink/persistence';
import { openTestDatabase, REPO_ROOT, waitFor } from '@ketenlink/testing';
import {
  MessagingTestTables1763900000001,
  sequencedEvent,
  testTopic,
} from '../../test-support/fixtures';
import { fromKafkaRecord } from '../envelope/binary-mode';
import { eachRecord, kafkaClients } from '../kafka/kafka-clients';
import { ContractViolationError, EventEmitter } from './event-emitter';
import { OutboxInbox1763900000000 } from './outbox-inbox.migration';
import { OutboxRelay } from './outbox-relay';
import { appendToOutbox } from './outbox-writer';

const url = databaseUrlFor('messaging', { test: true });
let ds: DataSource;
let pool: Pool;
const kafka = kafkaClients({ clientId: 'outbox-int-spec' });

beforeAll(async () => {
  ds = await openTestDatabase({
    service: 'messaging',
    migrations: [OutboxInbox1763900000000, MessagingTestTables1763900000001],
  });
  pool = new Pool({ connectionString: url, max: 8 });
});

afterAll(async () => {
  await pool.end();
  await ds.destroy();
});

async function count(table: string, where = 'true'): Promise<number> {
  const [row] = await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return row.n;
}

/** Reads a topic from the beginning with a fresh group until `expected` records arrived. */
async function readAll(topic: string, expected: number, timeoutMs = 60_000) {
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
    await waitFor(() => seen.length >= expected, {
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
        env: { ...process.env, RELAY_DATABASE_URL: url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let sent = 0;
    const killed = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        sent += (chunk.toString().match(/SENT/g) ?? []).length;
        if (sent >= 3 && !child.killed) {
          child.kill('SIGKILL'); // the 3rd batch is in Kafka but not yet marked published
          resolve();
        }
      });
    });
    await killed;
    await new Promise((r) => child.once('exit', r));
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
      await new Promise((r) => setTimeout(r, 300)); // let the first (empty) pass finish and sleep
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
