import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mintDevToken, type Role } from '@ketenlink/auth';
import { configureHttpEdge } from '@ketenlink/http';
import { CONTEXT_TOPICS } from '@ketenlink/messaging';
import { databaseUrlFor } from '@ketenlink/persistence';
import { connectEventConsumer } from '@ketenlink/service-runtime';
import { openTestDatabase } from '@ketenlink/testing';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { OrganisationKind } from '../domain/organisations';
import { TRAJECTORY_MIGRATIONS } from '../infrastructure/migrations';

/** The registry kind a test organisation gets: from its id, else from its roles. */
export function kindFor(org: string, roles: readonly string[] = []): OrganisationKind {
  if (/^(org-)?zvh/.test(org)) return 'zvh';
  if (/^(org-)?reclassering/.test(org)) return 'probation-service';
  if (/^(org-)?(gemeente|municipality)/.test(org)) return 'municipality';
  if (/^(org-)?(pi-|prison)/.test(org)) return 'prison';
  if (/^(org-)?(dji|ifzo)/.test(org)) return 'placing-authority';
  if (/^(ketenlink|org-ops|ops|audit)/.test(org)) return 'platform';
  if (roles.some((r) => ['operator', 'auditor', 'registry-admin'].includes(r))) return 'platform';
  if (roles.includes('probation-officer')) return 'probation-service';
  if (roles.includes('zvh-coordinator')) return 'zvh';
  if (roles.includes('referrer')) return 'placing-authority';
  return 'care-provider';
}

/** The trajectory app on its TEST database and the real broker, for integration tests. */
export interface TrajectoryTestApp {
  readonly app: INestApplication;
  readonly ds: DataSource;
  /**
   * An HTTP client acting as `org` with `roles`. The organisation is registered first (if it is
   * not yet) with the kind `kindFor` guesses from its id and roles.
   */
  as(org: string, roles: Role[], sub?: string): Promise<Client>;
  /** The client himself, or a relative, bound to one trajectory. */
  asPerson(kind: 'client' | 'relative', trajectoryId: string, sub?: string): Promise<Client>;
  /** Enters an organisation in the registry (no-op when it is there). */
  register(id: string, kind: OrganisationKind, activeUntil?: string): Promise<void>;
  close(): Promise<void>;
}

export interface Client {
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  put(path: string, body?: object): request.Test;
}

export async function startTrajectoryTestApp(
  opts: { consumer?: boolean; logger?: LoggerService } = {},
): Promise<TrajectoryTestApp> {
  process.env.DATABASE_URL = databaseUrlFor('trajectory', { test: true });
  process.env.IDENTITY_ENCRYPTION_KEYS ??= `int:${randomBytes(32).toString('base64')}`;
  const ds = await openTestDatabase({ service: 'trajectory', migrations: TRAJECTORY_MIGRATIONS });
  // Imported after DATABASE_URL is set: the module reads it when it is defined.
  const { TrajectoryAppModule } = await import('../app.module');
  const app = opts.logger
    ? await NestFactory.create(TrajectoryAppModule, { bufferLogs: true })
    : await NestFactory.create(TrajectoryAppModule, { logger: false });
  if (opts.logger) {
    app.useLogger(opts.logger);
    app.flushLogs();
  }
  configureHttpEdge(app, { title: 'trajectory (test)', version: 'test' });
  if (opts.consumer) {
    // A consumer group of its own: this run reads the topics from the start.
    process.env.KETENLINK_CONSUMER_GROUP_PREFIX = `int-${randomUUID().slice(0, 8)}-`;
    await connectEventConsumer(app, {
      name: 'trajectory',
      group: 'trajectory',
      topics: Object.values(CONTEXT_TOPICS),
    });
  }
  await app.init();
  if (opts.consumer) await app.startAllMicroservices();
  const server = app.getHttpServer();
  const client = (auth: string): Client => ({
    get: (path) => request(server).get(path).set('authorization', auth),
    post: (path, body = {}) => request(server).post(path).set('authorization', auth).send(body),
    put: (path, body = {}) => request(server).put(path).set('authorization', auth).send(body),
  });
  const register = async (id: string, kind: OrganisationKind, activeUntil?: string) => {
    await ds.query(
      `INSERT INTO organisations (id, kind, name, active_from, active_until)
       VALUES ($1, $2, $3, '2020-01-01', $4) ON CONFLICT (id) DO NOTHING`,
      [id, kind, `Test organisation ${id}`, activeUntil ?? null],
    );
  };
  return {
    app,
    ds,
    register,
    async as(org, roles, sub = `user-${org}`) {
      await register(org, kindFor(org, roles));
      return client(`Bearer ${await mintDevToken({ sub, org, roles })}`);
    },
    async asPerson(kind, trajectoryId, sub = `${kind}-${trajectoryId.slice(0, 8)}`) {
      return client(`Bearer ${await mintDevToken({ sub, kind, trajectory: trajectoryId })}`);
    },
    async close() {
      await app.close();
      await ds.destroy();
    },
  };
}

/** A 4xx/5xx answered as problem+json without a stack trace. */
export function expectProblem(res: request.Response, status: number, type: RegExp): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    type: expect.stringMatching(type),
    title: expect.any(String),
  });
  expect(JSON.stringify(res.body)).not.toMatch(/at .+\.ts:\d+/);
}

/** Row counts of the tables a refused request must leave alone. */
export async function counts(ds: DataSource): Promise<Record<string, number>> {
  const tables = [
    'trajectories',
    'participations',
    'legal_titles',
    'consent_records',
    'client_identities',
    'outbox',
  ];
  const out: Record<string, number> = {};
  for (const t of tables) {
    const [row] = (await ds.query(`SELECT count(*)::int AS n FROM ${t}`)) as { n: number }[];
    out[t] = row!.n;
  }
  return out;
}
