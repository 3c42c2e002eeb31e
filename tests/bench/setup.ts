import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import {
  type AdminPort,
  kafkaClients,
  OutboxInbox1763900000000,
  OutboxLeases1764000000000,
  OutboxHotLeases1764100000000,
  type TopicSpec,
} from '@ketenlink/messaging';
import { createServiceDataSource, databaseNameOf, migrate } from '@ketenlink/persistence';
import type { Kafka } from 'kafkajs';
import type { BenchConfig } from './config';

/** The consumer handler's effect: one row per event, written in the inbox transaction. */
export class BenchTables1763900000900 implements MigrationInterface {
  name = 'BenchTables1763900000900';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE bench_effects (event_id uuid NOT NULL, subject text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
    );
    // The dual-write latency baseline's state row (a plain pg transaction before a plain send).
    await q.query(
      `CREATE TABLE bench_state (event_id uuid NOT NULL, subject text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE bench_state`);
    await q.query(`DROP TABLE bench_effects`);
  }
}

/** Creates the bench database if missing, drops its tables and migrates from scratch. */
export async function resetDatabase(config: BenchConfig): Promise<void> {
  const name = databaseNameOf(config.databaseUrl);
  const admin = new Client({ connectionString: config.adminDatabaseUrl });
  await admin.connect();
  try {
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (exists.rowCount === 0) {
      await admin
        .query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`)
        .catch((err: { code?: string }) => {
          if (err.code !== '42P04') throw err; // created meanwhile by another run
        });
    }
  } finally {
    await admin.end();
  }
  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  try {
    await db.query(
      `DROP TABLE IF EXISTS outbox, inbox, bench_effects, bench_state, migrations CASCADE`,
    );
  } finally {
    await db.end();
  }
  const ds = benchDataSource(config, 'bench-migrate', 1);
  try {
    await migrate(ds);
  } finally {
    await ds.destroy();
  }
}

/** A TypeORM data source on the bench database, built the way services build theirs. */
export function benchDataSource(config: BenchConfig, service: string, poolSize = 10): DataSource {
  return createServiceDataSource({
    service,
    url: config.databaseUrl,
    entities: [],
    migrations: [
      OutboxInbox1763900000000,
      OutboxLeases1764000000000,
      OutboxHotLeases1764100000000,
      BenchTables1763900000900,
    ],
    poolSize,
  });
}

export async function openDataSource(config: BenchConfig, service: string): Promise<DataSource> {
  const ds = benchDataSource(config, service);
  await ds.initialize();
  return ds;
}

/** Fresh topics for this run (`ketenlink.bench.<name>-<random>`), deleted again by `deleteAll`. */
export class BenchTopics {
  readonly runId = randomUUID().slice(0, 8);
  private readonly created: string[] = [];
  private readonly groups: string[] = [];
  private readonly admin: AdminPort;

  constructor(
    private readonly kafka: Kafka,
    private readonly partitions: number,
  ) {
    this.admin = kafkaClients({ clientId: 'ketenlink-bench-topics', client: 'kafkajs' }).admin();
  }

  async create(names: readonly string[]): Promise<Record<string, string>> {
    const specs: TopicSpec[] = names.map((n) => ({
      name: `ketenlink.bench.${n}-${this.runId}`,
      partitions: this.partitions,
      retentionMs: 3_600_000,
    }));
    this.created.push(...(await this.admin.ensureTopics(specs)));
    return Object.fromEntries(names.map((n, i) => [n, specs[i]!.name]));
  }

  group(name: string): string {
    const g = `ketenlink-bench-${name}-${this.runId}`;
    this.groups.push(g);
    return g;
  }

  get topicNames(): readonly string[] {
    return this.created;
  }

  /** Deletes this run's topics and consumer groups; never throws (reports what it could not). */
  async deleteAll(): Promise<string[]> {
    const problems: string[] = [];
    await this.admin.disconnect().catch(() => undefined);
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      if (this.groups.length > 0) {
        await admin.deleteGroups([...this.groups]).catch((err: unknown) => {
          problems.push(`deleting consumer groups: ${String(err)}`);
        });
      }
      if (this.created.length > 0) {
        await admin.deleteTopics({ topics: [...this.created], timeout: 10_000 });
      }
    } catch (err) {
      problems.push(`deleting topics ${this.created.join(', ')}: ${String(err)}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    return problems;
  }
}

/** Things to close at the end, last opened first; failures are collected, not thrown. */
export class Closer {
  private readonly steps: { what: string; run: () => Promise<unknown> }[] = [];

  add(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  async closeAll(): Promise<string[]> {
    const problems: string[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (err) {
        problems.push(`${step.what}: ${String(err)}`);
      }
    }
    return problems;
  }
}
