import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mintDevToken, type Role } from '@ketenlink/auth';
import { schemaUriOf } from '@ketenlink/contracts';
import { configureHttpEdge } from '@ketenlink/http';
import {
  buildCloudEvent,
  type CloudEvent,
  contextTopics,
  kafkaClients,
  type ProducerPort,
  toKafkaRecord,
  topicForEventType,
} from '@ketenlink/messaging';
import { databaseUrlFor } from '@ketenlink/persistence';
import { connectEventConsumer } from '@ketenlink/service-runtime';
import { openTestDatabase } from '@ketenlink/testing';
import { waitFor } from '@ketenlink/testing';
import type { Consumer, Kafka } from 'kafkajs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { PARTNER_GATEWAY_MIGRATIONS } from '../infrastructure/migrations';

export interface Client {
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  put(path: string, body?: object): request.Test;
}

/** The gateway on its TEST database, consuming real Kafka topics (own prefix per run). */
export interface GatewayTestApp {
  readonly app: INestApplication;
  readonly ds: DataSource;
  as(org: string, roles: Role[]): Promise<Client>;
  /** Publishes events on their context topics, as the producing services' relays would. */
  publish(events: { type: string; subject: string; data: unknown }[]): Promise<CloudEvent[]>;
  close(): Promise<void>;
}

export async function startGatewayTestApp(
  env: Record<string, string> = {},
): Promise<GatewayTestApp> {
  process.env.DATABASE_URL = databaseUrlFor('partner-gateway', { test: true });
  process.env.PARTNER_SECRET_KEYS ??= `int:${randomBytes(32).toString('base64')}`;
  process.env.PARTNER_WEBHOOK_ALLOW_LOOPBACK_HTTP = 'true';
  // deploy/local: the SASL listener is the PLAINTEXT port + 2 (KAFKA_SASL_PORT).
  const [host, port] = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0]!.split(':');
  process.env.KAFKA_SASL_BROKERS ??= `${host}:${Number(port) + 2}`;
  Object.assign(process.env, env);
  const ds = await openTestDatabase({
    service: 'partner-gateway',
    migrations: PARTNER_GATEWAY_MIGRATIONS,
  });
  const { gatewayConsumer, PartnerGatewayAppModule } = await import('../app.module');
  const app = await NestFactory.create(PartnerGatewayAppModule, {
    logger: process.env.GATEWAY_TEST_LOGS ? ['error', 'warn', 'log'] : false,
  });
  configureHttpEdge(app, { title: 'partner-gateway (test)', version: 'test' });
  process.env.KETENLINK_CONSUMER_GROUP_PREFIX = `int-${randomUUID().slice(0, 8)}-`;
  const consumer = await connectEventConsumer(app, {
    name: 'partner-gateway',
    ...gatewayConsumer(),
  });
  await app.init();
  await app.startAllMicroservices();
  // The group joins in the background: the tests' waits for what is consumed are not for that.
  await waitFor(() => consumer.state() === 'running', { timeoutMs: 60_000, what: 'group joined' });
  const clients = kafkaClients({ clientId: 'gateway-int-producer' });
  // The consumer creates its topics in the background; publishing waits until they exist.
  const admin = clients.admin();
  await admin.ensureTopics(contextTopics());
  await admin.disconnect();
  const producer: ProducerPort = clients.producer();
  await producer.connect();
  const server = app.getHttpServer();
  const client = (auth: string): Client => ({
    get: (path) => request(server).get(path).set('authorization', auth),
    post: (path, body = {}) => request(server).post(path).set('authorization', auth).send(body),
    put: (path, body = {}) => request(server).put(path).set('authorization', auth).send(body),
  });
  const publish = async (
    inputs: { type: string; subject: string; data: unknown }[],
  ): Promise<CloudEvent[]> => {
    const events = inputs.map((i) =>
      buildCloudEvent({
        type: i.type,
        source: 'int-test',
        subject: i.subject,
        data: i.data,
        dataschema: schemaUriOf(i.type),
      }),
    );
    // One send per event, in order: the key (trajectory id) keeps each trajectory's order.
    for (const e of events) {
      await producer.send([{ topic: topicForEventType(e.type), ...toKafkaRecord(e) }], {
        timeoutMs: 10_000,
      });
    }
    return events;
  };
  return {
    app,
    ds,
    async as(org, roles) {
      return client(
        `Bearer ${await mintDevToken({ sub: `int-${org}`, org, roles, ttlSeconds: 600 })}`,
      );
    },
    publish,
    async close() {
      await producer.disconnect().catch(() => undefined);
      await app.close();
      await ds.destroy();
    },
  };
}

/** Trajectory facts as the trajectory service publishes them. */
export const facts = {
  organisation: (organisationId: string, kind: string) => ({
    type: 'nl.ketenlink.organisation.registered.v1',
    subject: organisationId,
    data: { organisationId, kind, identifiers: {}, activeFrom: '2020-01-01' },
  }),
  opened: (trajectoryId: string, by: string) => ({
    type: 'nl.ketenlink.trajectory.opened.v1',
    subject: trajectoryId,
    data: {
      trajectoryId,
      openedAt: '2026-11-01T09:00:00Z',
      openedBy: { organisationId: by, role: 'coordinator' },
    },
  }),
  joined: (trajectoryId: string, organisationId: string, role: string) => ({
    type: 'nl.ketenlink.trajectory.participant-joined.v1',
    subject: trajectoryId,
    data: { trajectoryId, organisationId, role, from: '2026-11-01' },
  }),
  consent: (
    trajectoryId: string,
    consentId: string,
    recipient: { kind: 'organisation' | 'class'; id: string },
    categories: string[],
    legalBasis = 'consent',
  ) => ({
    type: 'nl.ketenlink.consent.granted.v1',
    subject: trajectoryId,
    data: {
      trajectoryId,
      consentId,
      recipient,
      categories,
      purpose: 'int test',
      legalBasis,
      validFrom: '2026-11-01T00:00:00Z',
    },
  }),
  revoked: (trajectoryId: string, consentId: string) => ({
    type: 'nl.ketenlink.consent.revoked.v1',
    subject: trajectoryId,
    data: { trajectoryId, consentId, revokedAt: new Date().toISOString() },
  }),
  title: (trajectoryId: string, n: number) => ({
    type: 'nl.ketenlink.title.registered.v1',
    subject: trajectoryId,
    data: {
      trajectoryId,
      titleId: randomUUID(),
      kind: 'special-conditions-suspended-sentence',
      startDate: '2026-11-01',
      expectedEndDate: `2027-0${1 + (n % 9)}-01`,
      conditions: [{ type: 'abstinence', description: `condition ${n}` }],
    },
  }),
};

/**
 * A trajectory `org` takes part in (role zvh), with a covenant consent record for it on
 * title-and-conditions and one on risk; returns once they are projected (an event of another
 * topic, e.g. a placement request, is not ordered with the trajectory topic).
 */
export async function trajectoryWithConsents(
  gw: GatewayTestApp,
  org: string,
): Promise<{ t: string; titleConsent: string; riskConsent: string }> {
  const t = randomUUID();
  const titleConsent = randomUUID();
  const riskConsent = randomUUID();
  const recipient = { kind: 'organisation' as const, id: org };
  await gw.publish([
    facts.opened(t, org),
    facts.joined(t, org, 'zvh'),
    facts.consent(t, titleConsent, recipient, ['title-and-conditions'], 'covenant'),
    facts.consent(t, riskConsent, recipient, ['risk'], 'covenant'),
  ]);
  await waitFor(
    async () =>
      (
        (await gw.ds.query(
          `SELECT count(*)::int AS n FROM facts_consents WHERE trajectory_id = $1`,
          [t],
        )) as { n: number }[]
      )[0]!.n === 2,
    { what: 'participation and consents projected' },
  );
  return { t, titleConsent, riskConsent };
}

/** What `POST /partners/:org/channels/topic` returns (the SCRAM password shown once). */
export interface TopicCredentials {
  readonly username: string;
  readonly password: string;
  readonly topic: string;
  readonly group: string;
  readonly bootstrapServers: string;
}

/** One message a partner read from its topic: the Kafka headers (ce_*) and the JSON value. */
export interface TopicMessage {
  readonly headers: Record<string, string>;
  readonly value: Record<string, unknown>;
}

/** A partner consumer on its own topic, from the beginning; what it reads lands in `received`. */
export async function readPartnerTopic(
  kafka: Kafka,
  credentials: { topic: string; group: string },
  received: TopicMessage[],
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: credentials.group });
  await consumer.connect();
  await consumer.subscribe({ topics: [credentials.topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      received.push({ headers, value: JSON.parse(message.value!.toString()) });
    },
  });
  return consumer;
}

/** Publishes the organisations' registration and returns once all are projected. */
export async function registerOrganisations(
  gw: GatewayTestApp,
  organisations: readonly (readonly [id: string, kind: string])[],
): Promise<void> {
  await gw.publish(organisations.map(([id, kind]) => facts.organisation(id, kind)));
  await waitFor(
    async () =>
      (
        (await gw.ds.query(
          `SELECT count(*)::int AS n FROM facts_organisations WHERE organisation_id = ANY($1)`,
          [organisations.map(([id]) => id)],
        )) as { n: number }[]
      )[0]!.n === organisations.length,
    { what: 'organisations projected' },
  );
}

/** One disclosure_audit row, as the int tests read it. */
export interface AuditRow {
  outcome: string;
  attempt: number | null;
  delivery_id: string | null;
  categories: string[];
  consent_refs: string[];
  channel_kind: string;
  detail: string | null;
}

/** The audit of one event for one organisation, in order. */
export function auditOf(gw: GatewayTestApp, org: string, eventId: string): Promise<AuditRow[]> {
  return gw.ds.query(
    `SELECT outcome, attempt, delivery_id::text AS delivery_id, categories, consent_refs,
            channel_kind, detail
       FROM disclosure_audit WHERE organisation_id = $1 AND event_id = $2 ORDER BY id`,
    [org, eventId],
  ) as Promise<AuditRow[]>;
}

/** An operator registers `org` as a partner subscribed to `eventTypes`; the operator's client. */
export async function registerPartner(
  gw: GatewayTestApp,
  org: string,
  options: { fullPayloads: boolean; eventTypes: string[] },
): Promise<Client> {
  const op = await gw.as('ketenlink-ops', ['operator']);
  const registered = await op.post('/partners', {
    organisationId: org,
    fullPayloads: options.fullPayloads,
  });
  if (registered.status !== 201) throw new Error(`register ${org}: ${registered.status}`);
  const subscribed = await op.put(`/partners/${org}/subscriptions`, {
    eventTypes: options.eventTypes,
  });
  if (subscribed.status !== 204) throw new Error(`subscribe ${org}: ${subscribed.status}`);
  return op;
}
