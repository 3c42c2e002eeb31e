import { contextTopics, kafkaClients } from '@ketenlink/messaging';
import { ensureTestDatabases, resolveTestInfrastructure } from '@ketenlink/testing';

/** Jest globalSetup for the int and e2e tiers: infrastructure up, databases and topics there. */
export default async function globalSetup(): Promise<void> {
  const infra = await resolveTestInfrastructure();
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.PG_BASE_URL = infra.pgBaseUrl;
  // For the fault tests (libs/testing fault-control): what they may stop and start.
  process.env.KETENLINK_TEST_INFRA_KIND = infra.kind;
  if (infra.kafkaContainerId) process.env.KETENLINK_TEST_KAFKA_CONTAINER = infra.kafkaContainerId;
  process.env.KETENLINK_TRACES_EXPORTER ??= 'none';
  process.env.ZIPKIN_URL ??= `http://127.0.0.1:${process.env.ZIPKIN_PORT ?? '9411'}`;
  (globalThis as { __ketenlinkInfra?: typeof infra }).__ketenlinkInfra = infra;
  await ensureTestDatabases(infra.pgBaseUrl);
  const admin = kafkaClients({
    clientId: 'ketenlink-test-setup',
    brokers: infra.kafkaBrokers.split(','),
  }).admin();
  try {
    await admin.ensureTopics(contextTopics());
  } finally {
    await admin.disconnect();
  }
}
