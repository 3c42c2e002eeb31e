import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mintDevToken, type Role } from '@ketenlink/auth';
import type { OrganisationRegisteredV1 } from '@ketenlink/contracts';
import { configureHttpEdge } from '@ketenlink/http';
import { CONTEXT_TOPICS, kafkaClients, type ProducerPort } from '@ketenlink/messaging';
import { databaseUrlFor } from '@ketenlink/persistence';
import { connectEventConsumer } from '@ketenlink/service-runtime';
import { openTestDatabase, waitFor } from '@ketenlink/testing';
import {
  publishTrajectoryFacts,
  trajectoryFactEvents,
  trajectoryFactsProjected,
} from '@ketenlink/trajectory-facts';
import type { CloudEvent } from '@ketenlink/messaging';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { AGREEMENTS_MIGRATIONS } from '../infrastructure/migrations';

/**
 * The agreements app on its TEST database with its real consumer on the real trajectory topic:
 * facts (organisations, participations, titles) reach it as the trajectory service emits them.
 */
export interface AgreementsTestApp {
  readonly app: INestApplication;
  readonly ds: DataSource;
  /** Publishes trajectory facts and waits until this app's consumer took every one. */
  publish(events: readonly CloudEvent[]): Promise<void>;
  /** Registers an organisation (through the projected registry) and acts for it. */
  as(org: string, roles: Role[], kind?: OrganisationRegisteredV1['kind']): Promise<Client>;
  asClient(trajectoryId: string): Promise<Client>;
  close(): Promise<void>;
}

export interface Client {
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
}

const KIND_OF_ROLE: Partial<Record<Role, OrganisationRegisteredV1['kind']>> = {
  'probation-officer': 'probation-service',
  'zvh-coordinator': 'zvh',
  operator: 'platform',
  referrer: 'prison',
};

export async function startAgreementsTestApp(): Promise<AgreementsTestApp> {
  process.env.DATABASE_URL = databaseUrlFor('agreements', { test: true });
  process.env.AGREEMENTS_SWEEP_INTERVAL_MS = '0';
  const ds = await openTestDatabase({ service: 'agreements', migrations: AGREEMENTS_MIGRATIONS });
  const { AgreementsAppModule } = await import('../app.module');
  const app = await NestFactory.create(AgreementsAppModule, { logger: false });
  configureHttpEdge(app, { title: 'agreements (test)', version: 'test' });
  const consumer = await connectEventConsumer(app, {
    name: 'agreements',
    group: `agreements-int-${randomUUID().slice(0, 8)}`,
    topics: [CONTEXT_TOPICS.trajectory],
  });
  await app.init();
  await app.startAllMicroservices();
  await waitFor(() => consumer.state() === 'running', { timeoutMs: 60_000, what: 'group joined' });
  const kafka = kafkaClients({ clientId: 'agreements-int' });
  const producer: ProducerPort = kafka.producer();
  await producer.connect();
  const registered = new Set<string>();
  const publish = async (events: readonly CloudEvent[]) => {
    await publishTrajectoryFacts(producer, events);
    await waitFor(() => trajectoryFactsProjected(ds, events), {
      timeoutMs: 60_000,
      what: `${events.length} facts projected`,
    });
  };
  const server = app.getHttpServer();
  const client = (auth: string): Client => ({
    get: (path) => request(server).get(path).set('authorization', auth),
    post: (path, body = {}) => request(server).post(path).set('authorization', auth).send(body),
  });
  return {
    app,
    ds,
    publish,
    async as(org, roles, kind) {
      if (!registered.has(org)) {
        const k = kind ?? roles.map((r) => KIND_OF_ROLE[r]).find(Boolean) ?? 'care-provider';
        await publish([trajectoryFactEvents.organisation(org, k)]);
        registered.add(org);
      }
      return client(`Bearer ${await mintDevToken({ sub: `user-${org}`, org, roles })}`);
    },
    async asClient(trajectoryId) {
      return client(
        `Bearer ${await mintDevToken({ sub: `client-${trajectoryId.slice(0, 8)}`, kind: 'client', trajectory: trajectoryId })}`,
      );
    },
    async close() {
      await producer.disconnect();
      await app.close();
      await ds.destroy();
    },
  };
}

/** Row counts of the tables a refused request must leave alone. */
export async function counts(ds: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of [
    'agreements',
    'agreement_versions',
    'notifications',
    'violations',
    'incidents',
    'outbox',
  ]) {
    const [row] = (await ds.query(`SELECT count(*)::int AS n FROM ${t}`)) as { n: number }[];
    out[t] = row!.n;
  }
  return out;
}
