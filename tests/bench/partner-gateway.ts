/**
 * Partner delivery bench (issue 13; apart from `npm run bench`, docs/benchmarks.md): the partner
 * gateway as its own process on the local Kafka and PostgreSQL. N title events are published on
 * the trajectory topic (spread over K trajectories); we measure
 *   - delivery throughput and publish → partner latency on the partner's own topic (a SASL/SCRAM
 *     consumer with the partner's credentials) and on a webhook (the reference subscriber);
 *   - plain kafkajs in the same run: producer → consumer on a topic of its own.
 * The "command" side starts at the context topic (the producing service's outbox is measured
 * by `npm run bench`). Run:
 *   node -r @swc-node/register tests/bench/partner-gateway.ts   (BENCH_PARTNER_EVENTS, default 1000)
 */
import './partner-bench-prefix';
import { randomUUID } from 'node:crypto';
import { mintDevToken } from '@ketenlink/auth';
import { schemaUriOf } from '@ketenlink/contracts';
import { waitFor } from '@ketenlink/testing';
import { Kafka, logLevel } from 'kafkajs';
// The reference subscriber partners copy (docs/partner-guide.md); the bench runs that very file.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startReferenceSubscriber } from '../../docs/examples/reference-subscriber';
import * as m from '@ketenlink/messaging';
import { migrateService, startService, stopService } from '../support/platform';
import { summarize } from './stats';

const N = Number(process.env.BENCH_PARTNER_EVENTS ?? 1000);
const K = Number(process.env.BENCH_PARTNER_TRAJECTORIES ?? 50);
const TITLE = 'nl.ketenlink.title.registered.v1';

async function main(): Promise<void> {
  const prefix = process.env.KETENLINK_TOPIC_PREFIX!;
  const [host, port] = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0]!.split(':');
  const saslBrokers = process.env.KAFKA_SASL_BROKERS ?? `${host}:${Number(port) + 2}`;
  migrateService('partner-gateway');
  const clients = m.kafkaClients({ clientId: 'bench-partner' });
  const admin = clients.admin();
  await admin.ensureTopics(m.contextTopics());
  const gw = await startService('partner-gateway', 3005, undefined, {
    env: {
      KAFKA_SASL_BROKERS: saslBrokers,
      KETENLINK_TOPIC_PREFIX: prefix,
      PARTNER_WEBHOOK_POLL_MS: '20',
      LOG_LEVEL: 'warn',
    },
  });
  const producer = clients.producer();
  await producer.connect();
  const publish = async (inputs: { type: string; subject: string; data: unknown }[]) => {
    const events = inputs.map((i) =>
      m.buildCloudEvent({ ...i, source: 'bench', dataschema: schemaUriOf(i.type) }),
    );
    await producer.send(
      events.map((e) => ({ topic: m.topicForEventType(e.type), ...m.toKafkaRecord(e) })),
      { timeoutMs: 30_000 },
    );
    return events;
  };
  const org = `bench-prob-${randomUUID().slice(0, 6)}`;
  const orgEvent = (id: string, kind: string) => ({
    type: 'nl.ketenlink.organisation.registered.v1',
    subject: id,
    data: { organisationId: id, kind, identifiers: {}, activeFrom: '2020-01-01' },
  });
  await publish([orgEvent('ketenlink-ops', 'platform'), orgEvent(org, 'probation-service')]);
  const op = `Bearer ${await mintDevToken({ sub: 'bench', org: 'ketenlink-ops', roles: ['operator'] })}`;
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: op, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : ((await res.json()) as Record<string, string>);
  };
  await waitFor(
    async () =>
      call('POST', '/partners', { organisationId: org, fullPayloads: true }).then(
        () => true,
        (e: unknown) => (String(e).includes('not-registered') ? false : Promise.reject(e)),
      ),
    { timeoutMs: 30_000, what: 'organisation projected' },
  );
  await call('PUT', `/partners/${org}/subscriptions`, { eventTypes: [TITLE] });
  const topic = (await call('POST', `/partners/${org}/channels/topic`, {}))!;
  const hook = await startReferenceSubscriber({ secrets: [] });
  const wh = (await call('POST', `/partners/${org}/channels/webhooks`, {
    url: hook.url,
    maxInFlight: 16,
  }))!;
  hook.setSecrets([wh.secret!]);

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

  // Partner consumer with the partner's own SCRAM credentials.
  const topicReceived = new Map<string, number>();
  const partnerKafka = new Kafka({
    clientId: 'bench-partner-consumer',
    brokers: [topic.bootstrapServers!],
    sasl: { mechanism: 'scram-sha-512', username: topic.username!, password: topic.password! },
    logLevel: logLevel.NOTHING,
  });
  const consumer = partnerKafka.consumer({ groupId: topic.group!, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic.topic!], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const id = message.headers?.ce_id?.toString();
      if (id && !topicReceived.has(id)) topicReceived.set(id, Date.now());
    },
  });
  await new Promise((r) => setTimeout(r, 3000)); // group join before the measured burst

  const sentAt = new Map<string, number>();
  const start = Date.now();
  for (let i = 0; i < N; i += 100) {
    const batch = Array.from({ length: Math.min(100, N - i) }, (_, j) => {
      const t = trajectories[(i + j) % K]!;
      return {
        type: TITLE,
        subject: t,
        data: {
          trajectoryId: t,
          titleId: randomUUID(),
          kind: 'special-conditions-suspended-sentence',
          startDate: '2026-11-01',
          expectedEndDate: '2027-11-01',
          conditions: [{ type: 'abstinence', description: `bench ${i + j}` }],
        },
      };
    });
    const now = Date.now();
    for (const e of await publish(batch)) sentAt.set(e.id, now);
  }
  const titleIds = () => [...sentAt.keys()];
  await waitFor(() => titleIds().every((id) => topicReceived.has(id)), {
    timeoutMs: 300_000,
    intervalMs: 200,
    what: 'all events on the partner topic',
  });
  const topicDone = Math.max(...titleIds().map((id) => topicReceived.get(id)!));
  await waitFor(() => hook.received.filter((r) => r.event.type === TITLE).length >= N, {
    timeoutMs: 600_000,
    intervalMs: 200,
    what: 'all events at the webhook',
  });
  const hookAt = new Map(hook.received.map((r) => [r.event.id, r.receivedAt]));
  const hookDone = Math.max(...titleIds().map((id) => hookAt.get(id)!));

  // Plain kafkajs in the same run: producer → consumer, same N, same batch size.
  const plainTopic = `${prefix}bench.plain.${randomUUID().slice(0, 6)}`;
  await admin.ensureTopics([{ name: plainTopic, partitions: 3, retentionMs: 3_600_000 }]);
  const plain = new Kafka({
    clientId: 'bench-plain',
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  });
  const pp = plain.producer({ idempotent: true, maxInFlightRequests: 1 });
  const pc = plain.consumer({
    groupId: `bench-plain-${randomUUID().slice(0, 6)}`,
    maxWaitTimeInMs: 20,
  });
  const plainSent = new Map<string, number>();
  const plainGot = new Map<string, number>();
  await pp.connect();
  await pc.connect();
  await pc.subscribe({ topics: [plainTopic], fromBeginning: true });
  await pc.run({
    eachMessage: async ({ message }) => void plainGot.set(message.value!.toString(), Date.now()),
  });
  await new Promise((r) => setTimeout(r, 3000));
  const plainStart = Date.now();
  for (let i = 0; i < N; i += 100) {
    const ids = Array.from({ length: Math.min(100, N - i) }, () => randomUUID());
    const now = Date.now();
    await pp.send({
      topic: plainTopic,
      acks: -1,
      messages: ids.map((id, j) => ({ key: trajectories[(i + j) % K], value: id })),
    });
    for (const id of ids) plainSent.set(id, now);
  }
  await waitFor(() => [...plainSent.keys()].every((id) => plainGot.has(id)), {
    timeoutMs: 120_000,
    what: 'plain kafkajs consumed',
  });
  const plainDone = Math.max(...plainGot.values());

  const lat = (sent: Map<string, number>, got: Map<string, number>) =>
    summarize([...sent].map(([id, t]) => got.get(id)! - t));
  const rows = [
    [
      'plain kafkajs producer → consumer',
      N / ((plainDone - plainStart) / 1000),
      lat(plainSent, plainGot),
    ],
    [
      'gateway → partner topic (SASL consumer)',
      N / ((topicDone - start) / 1000),
      lat(sentAt, topicReceived),
    ],
    [
      'gateway → webhook (reference subscriber)',
      N / ((hookDone - start) / 1000),
      lat(sentAt, hookAt),
    ],
  ] as const;
  console.log(
    `\npartner delivery bench: N=${N} events over K=${K} trajectories (${new Date().toISOString()})`,
  );
  console.log('path | events/s | latency p50 | p95 | p99 | max (ms)');
  for (const [name, rate, l] of rows) {
    console.log(
      `${name} | ${rate.toFixed(0)} | ${l.p50.toFixed(0)} | ${l.p95.toFixed(0)} | ${l.p99.toFixed(0)} | ${l.max.toFixed(0)}`,
    );
  }
  await consumer.disconnect();
  await pc.disconnect();
  await pp.disconnect();
  await producer.disconnect();
  await admin.deleteTopics([plainTopic]).catch(() => undefined);
  await admin.disconnect();
  await hook.close();
  await stopService(gw);
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
