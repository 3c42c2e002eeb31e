import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mintDevToken, type Role } from '@ketenlink/auth';
import { type EventPayloads, schemaUriOf, validatePayload } from '@ketenlink/contracts';
import { configureHttpEdge } from '@ketenlink/http';
import {
  buildCloudEvent,
  type CloudEvent,
  CONTEXT_TOPICS,
  kafkaClients,
  type ProducerPort,
} from '@ketenlink/messaging';
import { databaseUrlFor } from '@ketenlink/persistence';
import { connectEventConsumer } from '@ketenlink/service-runtime';
import { openTestDatabase, waitFor } from '@ketenlink/testing';
import { publishTrajectoryFacts, trajectoryFactsProjected } from '@ketenlink/trajectory-facts';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { HANDOVER_MIGRATIONS } from '../infrastructure/migrations';

/** The handover app on its TEST database and the real broker, its consumer on a group of its own. */
export interface HandoverTestApp {
  readonly app: INestApplication;
  readonly ds: DataSource;
  as(org: string, roles: Role[]): Promise<Client>;
  /** Publishes events on their real topics and waits until this app's consumer took them. */
  deliver(events: readonly CloudEvent[]): Promise<void>;
  close(): Promise<void>;
}

export interface Client {
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
}

export async function startHandoverTestApp(): Promise<HandoverTestApp> {
  process.env.DATABASE_URL = databaseUrlFor('handover', { test: true });
  process.env.HANDOVER_OVERDUE_SWEEP_INTERVAL_MS = '0';
  const ds = await openTestDatabase({ service: 'handover', migrations: HANDOVER_MIGRATIONS });
  const { HandoverAppModule } = await import('../app.module');
  const app = await NestFactory.create(HandoverAppModule, { logger: false });
  configureHttpEdge(app, { title: 'handover (test)', version: 'test' });
  process.env.KETENLINK_CONSUMER_GROUP_PREFIX = `int-${randomUUID().slice(0, 8)}-`;
  await connectEventConsumer(app, {
    name: 'handover',
    group: 'handover',
    topics: [CONTEXT_TOPICS.trajectory, CONTEXT_TOPICS.reviews],
  });
  await app.init();
  await app.startAllMicroservices();
  const producer: ProducerPort = kafkaClients({ clientId: 'handover-int' }).producer();
  await producer.connect();
  const server = app.getHttpServer();
  return {
    app,
    ds,
    async as(org, roles) {
      const auth = `Bearer ${await mintDevToken({ sub: `user-${org}`, org, roles })}`;
      return {
        get: (path) => request(server).get(path).set('authorization', auth),
        post: (path, body = {}) => request(server).post(path).set('authorization', auth).send(body),
      };
    },
    async deliver(events) {
      await publishTrajectoryFacts(producer, events);
      await waitFor(() => trajectoryFactsProjected(ds, events), {
        timeoutMs: 30_000,
        what: 'events consumed',
      });
    },
    async close() {
      await producer.disconnect();
      await app.close();
      await ds.destroy();
    },
  };
}

/** A schema-valid event of another context (e.g. plan reviews' plan.versioned). */
export function sourceEvent<T extends keyof EventPayloads>(
  type: T,
  data: EventPayloads[T],
  source = 'plan-reviews',
): CloudEvent<EventPayloads[T]> {
  const valid = validatePayload(type, data);
  if (!valid.ok) throw new Error(`${type} is not schema-valid: ${valid.errors.join('; ')}`);
  return buildCloudEvent({
    type,
    source,
    subject: (data as { trajectoryId: string }).trajectoryId,
    dataschema: schemaUriOf(type),
    data,
  });
}

/** Rows a refused request must leave alone. */
export async function counts(ds: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['handovers', 'outbox']) {
    const [row] = (await ds.query(`SELECT count(*)::int AS n FROM ${t}`)) as { n: number }[];
    out[t] = row!.n;
  }
  return out;
}
