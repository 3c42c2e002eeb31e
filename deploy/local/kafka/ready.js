'use strict';
// Ready-check for the local broker with kafkajs (the client the services use): a metadata round
// trip, then a group-coordinator request. A fresh broker answers metadata before its
// __consumer_offsets partitions are loaded; a consumer joining then gets "the coordinator is
// loading" (kafkajs does not retry that inside run()). Exit 0 when both answer, 1 otherwise
// (infra.sh calls it again until its deadline).
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
    // FindCoordinator + DescribeGroups: fails with COORDINATOR_LOAD_IN_PROGRESS /
    // COORDINATOR_NOT_AVAILABLE until the group coordinator can serve a join.
    await admin.describeGroups(['ketenlink-ready-probe']);
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
