'use strict';
// Does a kafkajs producer + consumer group survive a broker restart without losing acknowledged
// messages? Produces a numbered message every 50 ms (idempotent producer, a failed send is
// retried like an outbox relay would), consumes with a group and commits after each message.
// Restart the broker yourself while it runs, e.g. in another shell:
//   deploy/local/infra.sh down kafka; sleep 5; deploy/local/infra.sh up kafka
//
//   node deploy/local/kafka/restart-check.js [host:port] [seconds-to-produce=40]
// Exit 0 when every acknowledged message was consumed.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'TimeoutNegativeWarning') console.warn(w); // tulios/kafkajs#1751, harmless
});
const { Kafka, logLevel } = require('kafkajs');

const broker = process.argv[2] || process.env.KAFKA_BROKERS || '127.0.0.1:9092';
const seconds = Number(process.argv[3] || 40);
const runId = `${Date.now()}-${process.pid}`;
const topic = `ketenlink.restart-check.${runId}`;
const groupId = `ketenlink-restart-check-${runId}`;
const t0 = Date.now();
const ts = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const kafka = new Kafka({
  clientId: 'ketenlink-restart-check',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
});

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();

  const acked = new Set();
  const received = [];
  let sendErrors = 0;
  let consumerCrashes = 0;

  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
  consumer.on(consumer.events.CRASH, (e) => {
    consumerCrashes += 1;
    console.log(
      `${ts()} consumer CRASH (restart=${e.payload.restart}): ${e.payload.error && e.payload.error.message}`,
    );
  });
  consumer.on(consumer.events.GROUP_JOIN, () => console.log(`${ts()} consumer joined group`));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      received.push(Number(message.value.toString()));
      await consumer.commitOffsets([
        { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
      ]);
    },
  });

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let seq = 0;
  let failingSince = null;
  const stopAt = Date.now() + seconds * 1000;
  while (Date.now() < stopAt) {
    const n = seq;
    try {
      await producer.send({ topic, acks: -1, messages: [{ key: `k${n % 11}`, value: String(n) }] });
      acked.add(n);
      seq += 1;
      if (failingSince !== null) {
        console.log(
          `${ts()} producer recovered after ${((Date.now() - failingSince) / 1000).toFixed(1)}s of failed sends`,
        );
        failingSince = null;
      }
      await sleep(50);
    } catch (err) {
      sendErrors += 1;
      if (failingSince === null) {
        failingSince = Date.now();
        console.log(
          `${ts()} producer send failed (${err.name}: ${err.message}); retrying message ${n}`,
        );
      }
      await sleep(500);
    }
  }
  await producer.disconnect();
  console.log(`${ts()} produced and acknowledged ${acked.size} messages; waiting for the consumer`);

  const deadline = Date.now() + 60000;
  while (Date.now() < deadline && [...acked].some((n) => !received.includes(n))) await sleep(250);
  await consumer.disconnect();

  const distinct = new Set(received);
  const missing = [...acked].filter((n) => !distinct.has(n));
  const duplicates = received.length - distinct.size;
  const admin2 = kafka.admin();
  await admin2.connect();
  await admin2.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin2.deleteGroups([groupId]).catch(() => {});
  await admin2.disconnect();
  console.log(
    `RESULT acknowledged=${acked.size} consumed=${received.length} distinct=${distinct.size} ` +
      `missing=${missing.length}${missing.length ? ` (${missing.slice(0, 10).join(',')})` : ''} duplicates=${duplicates} ` +
      `sendErrors=${sendErrors} consumerCrashes=${consumerCrashes}`,
  );
  process.exit(missing.length ? 1 : 0);
}

main().catch((err) => {
  console.log(`FAIL ${err && err.stack}`);
  process.exit(1);
});
