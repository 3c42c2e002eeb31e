import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { addDays, calendarDate } from '@ketenlink/dates';
import {
  CONTEXT_TOPICS,
  contextTopics,
  EventEmitter,
  fromKafkaRecord,
  kafkaClients,
  OutboxRelay,
} from '@ketenlink/messaging';
import { databaseUrlFor } from '@ketenlink/persistence';
import { openTestDatabase, REPO_ROOT, waitFor } from '@ketenlink/testing';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { PLAN_REVIEWS_MIGRATIONS } from '../infrastructure/migrations';
import { SqlScheduleStore } from '../infrastructure/schedule.store';
import { ScheduleService } from './schedule.service';

/**
 * Durable timers, exactly once (docs/adr/0027): two timer processes on one database fire every
 * due item once, also when one of them is SIGKILLed while firing (its transaction — item states
 * and outbox rows — never commits, the other instance fires those items). The relay then puts
 * each firing on Kafka; every review.due reaches the topic under one event id.
 */
const NOW = new Date('2026-06-15T10:00:00Z');
const TRAJECTORIES = 40;
const url = databaseUrlFor('plan-reviews', { test: true });
const kafka = kafkaClients({ clientId: 'plan-reviews-timer-int' });

let ds: DataSource;
let schedules: ScheduleService;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ds = await openTestDatabase({ service: 'plan-reviews', migrations: PLAN_REVIEWS_MIGRATIONS });
  schedules = new ScheduleService(
    ds,
    new SqlScheduleStore(ds),
    new EventEmitter('plan-reviews', 'trajectory'),
  );
  const admin = kafka.admin();
  await admin.ensureTopics(contextTopics());
  await admin.disconnect();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await ds?.destroy();
});

function timerProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(
    path.join(REPO_ROOT, 'node_modules/.bin/node'),
    ['-r', '@swc-node/register', path.join(__dirname, '../test-support/timer-process.ts')],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, TIMER_DATABASE_URL: url, TIMER_NOW: NOW.toISOString(), ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  return child;
}

const count = async (sql: string, params: unknown[] = []) =>
  ((await ds.query(sql, params)) as { n: number }[])[0]!.n;

describe('review timers with several instances (real PostgreSQL and Kafka)', () => {
  it('each due item fires exactly once, also when one instance is SIGKILLed while firing', async () => {
    // 40 trajectories whose first driegesprek (7 days after move-in) fell due 3 days ago.
    const movedIn = addDays(calendarDate(NOW), -10);
    const ids = Array.from({ length: TRAJECTORIES }, () => randomUUID());
    for (const id of ids) {
      await ds.transaction(async (tx) => {
        await schedules.apply(
          tx,
          id,
          { type: 'trajectory-opened', caseLeadOrganisationId: 'reclassering-noord' },
          NOW,
        );
        await schedules.apply(
          tx,
          id,
          { type: 'moved-in', on: movedIn, providerOrganisationId: 'fz-de-brug' },
          NOW,
        );
      });
    }
    const dueNow = `SELECT count(*)::int AS n FROM review_items WHERE fire_at <= $1`;
    expect(await count(dueNow, [NOW])).toBe(TRAJECTORIES);

    // Instance A pauses inside its first firing transaction and is killed there; B and C run
    // throughout, C slowly (each firing transaction held open a while), so they overlap.
    const a = timerProcess({ TIMER_PAUSE_MS: '5000', TIMER_BATCH: '5' });
    const b = timerProcess({ TIMER_BATCH: '3' });
    const c = timerProcess({ TIMER_PAUSE_MS: '300', TIMER_BATCH: '4' });
    c.stdout!.resume();
    const killedWhileFiring = new Promise<void>((resolve) => {
      a.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('FIRING') && a.exitCode === null) {
          a.kill('SIGKILL');
          resolve();
        }
      });
    });
    b.stdout!.resume();
    await killedWhileFiring;
    await new Promise((r) => a.once('exit', r));

    await waitFor(async () => (await count(dueNow, [NOW])) === 0, {
      timeoutMs: 60_000,
      what: 'every due timer fired',
    });
    for (const p of [b, c]) {
      p.kill('SIGKILL');
      await new Promise((r) => p.once('exit', r));
    }

    // Exactly once in the outbox: one review.due per item, and every item has one.
    const perItem = (await ds.query(
      `SELECT payload ->> 'reviewId' AS review_id, count(*)::int AS n FROM outbox
        WHERE type = 'nl.ketenlink.review.due.v1' GROUP BY 1`,
    )) as { review_id: string; n: number }[];
    expect(perItem).toHaveLength(TRAJECTORIES);
    expect(perItem.filter((r) => r.n !== 1)).toEqual([]);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM review_items WHERE slot = 'driegesprek' AND state = 'due'`,
      ),
    ).toBe(TRAJECTORIES);

    // On Kafka through the relay: each item's review.due under one event id.
    const pool = new Pool({ connectionString: url });
    const relay = new OutboxRelay({
      pool,
      listenUrl: url,
      producer: kafka.producer(),
      pollIntervalMs: 50,
    });
    await relay.start();
    try {
      await waitFor(
        async () =>
          (await count(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)) === 0,
        {
          timeoutMs: 30_000,
          what: 'outbox published',
        },
      );
    } finally {
      await relay.stop();
      await pool.end();
    }
    const mine = new Set<string>(ids);
    const eventIds = new Map<string, Set<string>>();
    const reader = kafka.reader();
    const admin = kafka.admin();
    const partitions = await admin.topicOffsets(CONTEXT_TOPICS.reviews);
    await admin.disconnect();
    for (const p of partitions) {
      for (const r of await reader.read(CONTEXT_TOPICS.reviews, p.partition, p.low, 100_000)) {
        const e = fromKafkaRecord(r.key, r.value, r.headers as never);
        if (e.type !== 'nl.ketenlink.review.due.v1' || !mine.has(e.subject!)) continue;
        const reviewId = (e.data as { reviewId: string }).reviewId;
        eventIds.set(reviewId, (eventIds.get(reviewId) ?? new Set()).add(e.id));
      }
    }
    expect(eventIds.size).toBe(TRAJECTORIES);
    expect([...eventIds.values()].filter((s) => s.size !== 1)).toEqual([]);
  }, 120_000);
});
