import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { databaseUrlFor } from '@ketenlink/persistence';
import { openTestDatabase, waitFor } from '@ketenlink/testing';
import { sequencedEvent } from '../../test-support/fixtures';
import { noopMessagingMetrics } from '../metrics';
import { OutboxInbox1763900000000 } from '../outbox/outbox-inbox.migration';
import { OutboxLeases1764000000000 } from '../outbox/outbox-leases.migration';
import { OutboxHotLeases1764100000000 } from '../outbox/outbox-hot-leases.migration';
import { appendToOutbox } from '../outbox/outbox-writer';
import { RetentionPurger } from './retention';

const url = databaseUrlFor('messaging', { test: true });
let ds: DataSource;
let pool: Pool;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  ds = await openTestDatabase({
    service: 'messaging',
    migrations: [OutboxInbox1763900000000, OutboxLeases1764000000000, OutboxHotLeases1764100000000],
  });
  pool = new Pool({ connectionString: url, max: 6 });
});

afterAll(async () => {
  await pool.end();
  await ds.destroy();
});

beforeEach(() => ds.query('TRUNCATE outbox, inbox'));

async function n(table: string, where = 'true'): Promise<number> {
  const [row] = await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return row.n;
}

/** `count` outbox rows of one key, published `ageDays` ago (or unpublished / parked when null). */
async function outboxRows(
  count: number,
  state: { publishedDaysAgo?: number; parkedDaysAgo?: number },
): Promise<void> {
  const key = randomUUID();
  await ds.transaction((tx) =>
    appendToOutbox(
      tx,
      Array.from({ length: count }, (_, i) => ({
        event: sequencedEvent(key, i),
        topic: 'ketenlink.test.retention',
        aggregateType: 'test',
      })),
    ),
  );
  if (state.publishedDaysAgo !== undefined) {
    await ds.query(
      `UPDATE outbox SET published_at = now() - $1 * interval '1 day', created_at = now() - $1 * interval '1 day'
        WHERE aggregateid = $2`,
      [state.publishedDaysAgo, key],
    );
  }
  if (state.parkedDaysAgo !== undefined) {
    await ds.query(
      `UPDATE outbox SET parked_at = now() - $1 * interval '1 day', created_at = now() - $1 * interval '1 day'
        WHERE aggregateid = $2`,
      [state.parkedDaysAgo, key],
    );
  }
}

async function inboxRows(count: number, processedDaysAgo: number): Promise<void> {
  await ds.query(
    `INSERT INTO inbox (consumer_group, event_id, event_type, topic, kafka_partition, kafka_offset, processed_at)
     SELECT 'g', gen_random_uuid(), 't', 'ketenlink.test.retention', 0, i, now() - $2 * interval '1 day'
       FROM generate_series(1, $1) AS i`,
    [count, processedDaysAgo],
  );
}

describe('retention purge (real PostgreSQL)', () => {
  it('deletes published outbox rows and inbox rows past retention, in batches, and nothing else', async () => {
    await outboxRows(25, { publishedDaysAgo: 10 }); // past the 7 days: purged
    await outboxRows(5, { publishedDaysAgo: 2 }); // recent: kept
    await outboxRows(4, {}); // unpublished: kept whatever their age
    await ds.query(
      `UPDATE outbox SET created_at = now() - interval '100 days' WHERE published_at IS NULL`,
    );
    await outboxRows(3, { parkedDaysAgo: 90 }); // parked: kept until an operator acts
    await inboxRows(30, 401); // older than the inbox retention: purged
    await inboxRows(7, 300); // inside it: kept (a replay of the topic must still dedupe)

    const purged: Record<string, number[]> = {};
    const purger = new RetentionPurger({
      pool,
      outboxRetentionMs: 7 * DAY,
      inboxRetentionMs: 400 * DAY,
      batchSize: 10,
      metrics: {
        ...noopMessagingMetrics,
        purged: (table, rows) => (purged[table] ??= []).push(rows),
      },
    });
    expect(await purger.purgeOnce()).toEqual({ outbox: 25, inbox: 30 });
    expect(purged).toEqual({ outbox: [10, 10, 5], inbox: [10, 10, 10] }); // small batches
    expect(await n('outbox', 'published_at IS NOT NULL')).toBe(5);
    expect(await n('outbox', 'published_at IS NULL AND parked_at IS NULL')).toBe(4);
    expect(await n('outbox', 'parked_at IS NOT NULL')).toBe(3);
    expect(await n('inbox')).toBe(7);
    expect(await purger.purgeOnce()).toEqual({ outbox: 0, inbox: 0 });
  });

  it('lets several instances purge at once without deleting a row twice or waiting on each other', async () => {
    for (let i = 0; i < 10; i++) await outboxRows(50, { publishedDaysAgo: 30 });
    await inboxRows(600, 500);
    const purgers = [1, 2, 3].map(
      () =>
        new RetentionPurger({
          pool,
          outboxRetentionMs: 7 * DAY,
          inboxRetentionMs: 400 * DAY,
          batchSize: 25,
          metrics: noopMessagingMetrics,
        }),
    );
    const results = await Promise.all(purgers.map((p) => p.purgeOnce()));
    // SKIP LOCKED: each row deleted by exactly one instance, and all of them deleted.
    expect(results.reduce((s, r) => s + r.outbox, 0)).toBe(500);
    expect(results.reduce((s, r) => s + r.inbox, 0)).toBe(600);
    expect(await n('outbox')).toBe(0);
    expect(await n('inbox')).toBe(0);
  });

  it('runs on its own schedule once started, and stops', async () => {
    await outboxRows(3, { publishedDaysAgo: 8 });
    const purger = new RetentionPurger({
      pool,
      outboxRetentionMs: 7 * DAY,
      inboxRetentionMs: 400 * DAY,
      intervalMs: 60_000,
      firstRunDelayMs: 0,
      metrics: noopMessagingMetrics,
    });
    purger.start();
    try {
      await waitFor(async () => (await n('outbox')) === 0, { what: 'the scheduled purge' });
    } finally {
      await purger.stop();
    }
  });
});
