import { contextTopics, createKafka, KafkajsAdmin } from '@ketenlink/messaging';
import { ensureTestDatabases, resolveTestInfrastructure } from '@ketenlink/testing';

/** Jest globalSetup for the int and e2e tiers: infrastructure up, databases and topics there. */
export default async function globalSetup(): Promise<void> {
  const infra = await resolveTestInfrastructure();
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.PG_BASE_URL = infra.pgBaseUrl;
  process.env.KETENLINK_TRACES_EXPORTER ??= 'none';
  process.env.ZIPKIN_URL ??= `http://127.0.0.1:${process.env.ZIPKIN_PORT ?? '9411'}`;
  (globalThis as { __ketenlinkInfra?: typeof infra }).__ketenlinkInfra = infra;
  await ensureTestDatabases(infra.pgBaseUrl);
  const admin = new KafkajsAdmin(
    createKafka('ketenlink-test-setup', infra.kafkaBrokers.split(',')),
  );
  try {
    await admin.ensureTopics(contextTopics());
  } finally {
    await admin.disconnect();
  }
}
