'use strict';
// Ready-check for the local broker: one metadata round trip with kafkajs
// (the client the services use). Exit 0 when the broker answers, 1 otherwise.
// Usage: node deploy/local/kafka/ready.js [host:port]   (default $KAFKA_BROKERS)
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
// kafkajs 2.2.4 on Node >= 24 emits a harmless TimeoutNegativeWarning (tulios/kafkajs#1751); keep
// the ready-check output clean, print every other warning.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'TimeoutNegativeWarning') console.warn(w);
});
const { Kafka, logLevel } = require('kafkajs');

const broker = process.argv[2] || process.env.KAFKA_BROKERS || '127.0.0.1:9092';

async function main() {
  const kafka = new Kafka({
    clientId: 'ketenlink-infra-ready',
    brokers: [broker],
    connectionTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const topics = await admin.listTopics();
    console.log(
      `kafka ready: controller=${cluster.controller} brokers=${cluster.brokers.length} topics=${topics.length}`,
    );
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

const timer = setTimeout(() => {
  console.error('kafka ready-check: timed out');
  process.exit(1);
}, 10000);
main().then(
  () => {
    clearTimeout(timer);
    process.exit(0);
  },
  (err) => {
    console.error(`kafka ready-check: ${err && err.message ? err.message : err}`);
    process.exit(1);
  },
);
