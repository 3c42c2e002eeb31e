'use strict';
// kafkajs <-> broker compatibility smoke test (see docs/adr/0002-kafka-broker-version.md).
//
//   node deploy/local/kafka/smoke.js [host:port]        (default $KAFKA_BROKERS or 127.0.0.1:9092)
//
// Runs the operations the platform relies on against a running broker and prints one line per
// operation (PASS/FAIL), then a table of every protocol API kafkajs implements: the versions
// kafkajs knows, the range the broker accepts, and the versions actually sent during this run.
// Exit code 0 when every REQUIRED operation passed. Creates and deletes its own topic/groups.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const { Kafka, logLevel } = require('kafkajs');
const kafkajsVersion = require('kafkajs/package.json').version;
// kafkajs internals, read only, to build the protocol table
const { requests } = require('kafkajs/src/protocol/requests');
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys');

const broker = process.argv[2] || process.env.KAFKA_BROKERS || '127.0.0.1:9092';
const runId = `${Date.now()}-${process.pid}`;
const topic = `ketenlink.smoke.${runId}`;
const txTopic = `ketenlink.smoke.tx.${runId}`;
const groupId = `ketenlink-smoke-${runId}`;
const group2Id = `ketenlink-smoke-pair-${runId}`;
const STEP_TIMEOUT_MS = 45000;

// ---------------------------------------------------------------- protocol observation
const sent = new Map(); // apiName -> Set(version)
let brokerApiVersions = null; // [{apiKey, minVersion, maxVersion}]
const errorLogs = [];
const logCreator =
  () =>
  ({ level, log }) => {
    const m = /^Request (\w+)\(key: (\d+), version: (\d+)\)/.exec(log.message || '');
    if (m) {
      if (!sent.has(m[1])) sent.set(m[1], new Set());
      sent.get(m[1]).add(Number(m[3]));
    }
    if (/^Response ApiVersions/.test(log.message || '') && log.data && log.data.apiVersions) {
      brokerApiVersions = log.data.apiVersions;
    }
    if (level === logLevel.ERROR) {
      errorLogs.push(`${log.message}${log.error ? `: ${log.error}` : ''}`);
    }
  };

const kafka = new Kafka({
  clientId: 'ketenlink-smoke',
  brokers: [broker],
  connectionTimeout: 5000,
  requestTimeout: 15000,
  retry: { retries: 3 },
  logLevel: logLevel.DEBUG,
  logCreator,
});

// ---------------------------------------------------------------- tiny harness
const results = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function withTimeout(p, ms, what) {
  let t;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise((_, rej) => {
      t = setTimeout(() => rej(new Error(`timeout after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}
async function step(name, fn, { required = true } = {}) {
  const started = Date.now();
  try {
    const detail = await withTimeout(Promise.resolve().then(fn), STEP_TIMEOUT_MS, name);
    results.push({ name, ok: true, required, detail: detail || '', ms: Date.now() - started });
    console.log(`PASS ${required ? '' : '(extra) '}${name}${detail ? ` -- ${detail}` : ''}`);
    return true;
  } catch (err) {
    const msg = `${err && err.name ? err.name : 'Error'}: ${err && err.message ? err.message : err}`;
    results.push({ name, ok: false, required, detail: msg, ms: Date.now() - started });
    console.log(`FAIL ${required ? '' : '(extra) '}${name} -- ${msg}`);
    return false;
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}
// Wait until predicate() is true (polling), or fail.
async function until(predicate, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timeout after ${ms} ms waiting for ${what}`);
    await sleep(200);
  }
}
const messagesFor = (prefix, n) =>
  Array.from({ length: n }, (_, i) => ({
    key: `key-${i % 7}`,
    value: `${prefix}-${i}`,
    headers: { 'x-smoke': prefix, 'x-index': String(i) },
  }));

// A consumer in `gid` that records every message; autoCommit or explicit commits.
function recordingConsumer(gid, { explicitCommit }) {
  const consumer = kafka.consumer({ groupId: gid, sessionTimeout: 10000, heartbeatInterval: 1000 });
  const received = [];
  let assignment = null;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    assignment = e.payload.memberAssignment;
  });
  const start = async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: !explicitCommit,
      eachMessage: async ({ topic: t, partition, message }) => {
        received.push({
          partition,
          offset: message.offset,
          key: message.key && message.key.toString(),
          value: message.value && message.value.toString(),
          header:
            message.headers && message.headers['x-smoke'] && message.headers['x-smoke'].toString(),
        });
        if (explicitCommit) {
          await consumer.commitOffsets([
            { topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() },
          ]);
        }
      },
    });
  };
  return { consumer, received, start, assignment: () => assignment };
}

async function main() {
  console.log(`kafkajs ${kafkajsVersion}, node ${process.version}, broker ${broker}`);
  const admin = kafka.admin();
  let highWatermarkTotal = 0;

  // ------------------------------------------------------------ metadata
  await step('admin.connect + describeCluster (ApiVersions, Metadata)', async () => {
    await admin.connect();
    const c = await admin.describeCluster();
    assert(c.brokers.length === 1, 'one broker');
    return `clusterId=${c.clusterId} controller=${c.controller} brokers=${c.brokers.length}`;
  });
  await step('admin.listTopics', async () => `${(await admin.listTopics()).length} topics`);

  // ------------------------------------------------------------ topic
  await step('admin.createTopics (3 partitions, RF 1)', async () => {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    assert(created === true, 'createTopics returned true');
    return topic;
  });
  await step('admin.fetchTopicMetadata', async () => {
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    const n = md.topics[0].partitions.length;
    assert(n === 3, `3 partitions, got ${n}`);
    return `${n} partitions, leaders ${md.topics[0].partitions.map((p) => p.leader).join(',')}`;
  });

  // ------------------------------------------------------------ idempotent producer
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await step(
    'idempotent producer: connect + send 30 (InitProducerId, Produce, acks=-1)',
    async () => {
      await producer.connect();
      const meta = await producer.send({ topic, acks: -1, messages: messagesFor('a', 30) });
      const parts = new Set(meta.map((m) => m.partition));
      assert(
        meta.every((m) => m.errorCode === 0),
        'no error codes',
      );
      return `record metadata for partitions ${[...parts].sort().join(',')}`;
    },
  );
  await step('admin.fetchTopicOffsets (ListOffsets)', async () => {
    const offs = await admin.fetchTopicOffsets(topic);
    highWatermarkTotal = offs.reduce((s, o) => s + Number(o.high), 0);
    assert(highWatermarkTotal === 30, `30 records in total, got ${highWatermarkTotal}`);
    return offs.map((o) => `p${o.partition}:${o.low}..${o.high}`).join(' ');
  });
  await step(
    'admin.fetchTopicOffsetsByTimestamp',
    async () => {
      const offs = await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - 3600 * 1000);
      return offs.map((o) => `p${o.partition}:${o.offset}`).join(' ');
    },
    { required: false },
  );

  // ------------------------------------------------------------ consumer group, explicit commits
  const a = recordingConsumer(groupId, { explicitCommit: true });
  await step('consumer A: join group + fetch 30 + commitOffsets per message', async () => {
    await a.start();
    await until(() => a.received.length >= 30, 30000, '30 messages');
    await sleep(500);
    assert(a.received.length === 30, `exactly 30, got ${a.received.length}`);
    assert(
      a.received.every((m) => m.value.startsWith('a-') && m.header === 'a'),
      'values and headers intact',
    );
    const parts = new Set(a.received.map((m) => m.partition));
    return `30 messages from partitions ${[...parts].sort().join(',')}, assignment ${JSON.stringify(a.assignment())}`;
  });
  await step('admin.describeGroups (running group)', async () => {
    const { groups } = await admin.describeGroups([groupId]);
    const g = groups[0];
    assert(g.state === 'Stable', `state Stable, got ${g.state}`);
    assert(g.members.length === 1, `1 member, got ${g.members.length}`);
    return `state=${g.state} protocolType=${g.protocolType} protocol=${g.protocol} members=${g.members.length}`;
  });
  await step(
    'admin.listGroups',
    async () => {
      const { groups } = await admin.listGroups();
      assert(
        groups.some((g) => g.groupId === groupId),
        'group listed',
      );
      return `${groups.length} groups`;
    },
    { required: false },
  );
  await step('consumer A: disconnect (LeaveGroup)', async () => {
    await a.consumer.disconnect();
  });
  await step('admin.fetchOffsets (committed offsets == high watermarks)', async () => {
    const res = await admin.fetchOffsets({ groupId, topics: [topic] });
    const parts = res[0].partitions;
    const total = parts.reduce((s, p) => s + Number(p.offset), 0);
    assert(total === 30, `committed total 30, got ${total}`);
    return parts.map((p) => `p${p.partition}:${p.offset}`).join(' ');
  });
  await step('admin.describeGroups (after leave: Empty)', async () => {
    const { groups } = await admin.describeGroups([groupId]);
    assert(groups[0].state === 'Empty', `state Empty, got ${groups[0].state}`);
    return `state=${groups[0].state}`;
  });

  // ------------------------------------------------------------ resume from committed offset (autoCommit)
  await step('idempotent producer: sendBatch 30 more', async () => {
    const meta = await producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic, messages: messagesFor('b', 30) }],
    });
    return `${meta.length} partition results`;
  });
  const b = recordingConsumer(groupId, { explicitCommit: false });
  await step(
    'consumer B (same group, restart): resumes at committed offset, autoCommit',
    async () => {
      await b.start();
      await until(() => b.received.length >= 30, 30000, '30 new messages');
      await sleep(1500); // anything older would arrive now
      const old = b.received.filter((m) => !m.value.startsWith('b-'));
      assert(old.length === 0, `no re-delivery of batch a, got ${old.length}`);
      assert(b.received.length === 30, `exactly 30, got ${b.received.length}`);
      await b.consumer.disconnect(); // commits pending offsets
      return '30 new messages, 0 re-delivered';
    },
  );
  await step('admin.fetchOffsets after autoCommit (60)', async () => {
    const res = await admin.fetchOffsets({ groupId, topics: [topic] });
    const total = res[0].partitions.reduce((s, p) => s + Number(p.offset), 0);
    assert(total === 60, `committed total 60, got ${total}`);
    return res[0].partitions.map((p) => `p${p.partition}:${p.offset}`).join(' ');
  });

  // ------------------------------------------------------------ two members, rebalance
  await step(
    'two consumers in one group: rebalance, partitions split, all 60 consumed',
    async () => {
      const c1 = recordingConsumer(group2Id, { explicitCommit: false });
      const c2 = recordingConsumer(group2Id, { explicitCommit: false });
      try {
        await c1.start();
        await until(() => c1.assignment() !== null, 20000, 'first member joined');
        await c2.start();
        const parts = (c) => (c.assignment() && c.assignment()[topic]) || [];
        await until(
          () =>
            parts(c1).length > 0 &&
            parts(c2).length > 0 &&
            parts(c1).length + parts(c2).length === 3,
          30000,
          'partitions split over both members',
        );
        const { groups } = await admin.describeGroups([group2Id]);
        assert(groups[0].members.length === 2, `2 members, got ${groups[0].members.length}`);
        const seen = () => new Set([...c1.received, ...c2.received].map((m) => m.value)).size;
        await until(() => seen() === 60, 30000, 'all 60 distinct messages');
        return `c1=${JSON.stringify(parts(c1))} c2=${JSON.stringify(parts(c2))}, 60 distinct consumed`;
      } finally {
        await c1.consumer.disconnect().catch(() => {});
        await c2.consumer.disconnect().catch(() => {});
      }
    },
    { required: false },
  );

  await step(
    'admin.resetOffsets (earliest) + fetchOffsets',
    async () => {
      await admin.resetOffsets({ groupId, topic, earliest: true });
      const res = await admin.fetchOffsets({ groupId, topics: [topic] });
      // kafkajs commits the sentinel -2 ("earliest"), which its consumer resolves on start
      return `${res[0].partitions.map((p) => `p${p.partition}:${p.offset}`).join(' ')} (kafkajs' earliest sentinel)`;
    },
    { required: false },
  );
  await step(
    'admin.setOffsets (explicit) + fetchOffsets',
    async () => {
      await admin.setOffsets({
        groupId,
        topic,
        partitions: [0, 1, 2].map((p) => ({ partition: p, offset: '1' })),
      });
      const res = await admin.fetchOffsets({ groupId, topics: [topic] });
      assert(
        res[0].partitions.every((p) => p.offset === '1'),
        'all at 1',
      );
      return res[0].partitions.map((p) => `p${p.partition}:${p.offset}`).join(' ');
    },
    { required: false },
  );

  // ------------------------------------------------------------ transactions (not used yet by the platform)
  await step(
    'transactional producer: send + sendOffsets + commit (AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn)',
    async () => {
      await admin.createTopics({
        topics: [{ topic: txTopic, numPartitions: 1, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      const tp = kafka.producer({
        transactionalId: `ketenlink-smoke-tx-${runId}`,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await tp.connect();
      try {
        const tx = await tp.transaction();
        await tx.send({ topic: txTopic, messages: [{ value: 'tx-1' }, { value: 'tx-2' }] });
        await tx.sendOffsets({
          consumerGroupId: groupId,
          topics: [{ topic, partitions: [{ partition: 0, offset: '2' }] }],
        });
        await tx.commit();
        const aborted = await tp.transaction();
        await aborted.send({ topic: txTopic, messages: [{ value: 'tx-aborted' }] });
        await aborted.abort();
      } finally {
        await tp.disconnect();
      }
      return 'one transaction committed (2 records + group offset), one aborted';
    },
    { required: false },
  );
  await step(
    'read_committed consumer sees only committed transactional records',
    async () => {
      const c = kafka.consumer({
        groupId: `ketenlink-smoke-tx-reader-${runId}`,
        readUncommitted: false,
      });
      const values = [];
      await c.connect();
      await c.subscribe({ topics: [txTopic], fromBeginning: true });
      await c.run({
        eachMessage: async ({ message }) => void values.push(message.value.toString()),
      });
      try {
        await until(() => values.length >= 2, 20000, '2 committed records');
        await sleep(1000);
        assert(!values.includes('tx-aborted'), 'aborted record not delivered');
        return `received ${JSON.stringify(values)}`;
      } finally {
        await c.disconnect();
      }
    },
    { required: false },
  );

  // ------------------------------------------------------------ clean-up
  await producer.disconnect().catch(() => {});
  await step(
    'admin.deleteGroups',
    async () => {
      const res = await admin.deleteGroups([
        groupId,
        group2Id,
        `ketenlink-smoke-tx-reader-${runId}`,
      ]);
      return res.map((r) => `${r.groupId}:${r.errorCode}`).join(' ');
    },
    { required: false },
  );
  await step('admin.deleteTopics', async () => {
    await admin.deleteTopics({ topics: [topic, txTopic], timeout: 10000 });
    await until(
      async () => !(await admin.listTopics()).includes(topic),
      15000,
      'topic gone from listTopics',
    );
    return 'topic gone';
  });
  await admin.disconnect();
}

function protocolTable() {
  const lines = [];
  const brokerByKey = new Map((brokerApiVersions || []).map((v) => [v.apiKey, v]));
  lines.push('API (key)                      kafkajs   broker    sent   compatible');
  for (const [name, key] of Object.entries(apiKeys)) {
    const def = requests[name];
    if (!def || !def.versions || def.versions.length === 0) continue; // kafkajs does not implement it
    const v = def.versions.map(Number);
    const kmin = Math.min(...v);
    const kmax = Math.max(...v);
    const b = brokerByKey.get(key);
    const used = sent.has(name) ? [...sent.get(name)].sort((x, y) => x - y).join(',') : '-';
    let verdict;
    if (!b) verdict = 'NO (broker does not offer this API)';
    else if (kmax < b.minVersion)
      verdict = `NO (kafkajs max v${kmax} < broker min v${b.minVersion})`;
    else verdict = `yes, v${Math.min(kmax, b.maxVersion)}`;
    lines.push(
      `${`${name} (${key})`.padEnd(30)} ${`v${kmin}-v${kmax}`.padEnd(9)} ${(b ? `v${b.minVersion}-v${b.maxVersion}` : 'absent').padEnd(9)} ${used.padEnd(6)} ${verdict}`,
    );
  }
  return lines.join('\n');
}

main()
  .catch((err) => {
    results.push({ name: 'harness', ok: false, required: true, detail: String(err && err.stack) });
    console.log(`FAIL harness -- ${err && err.stack}`);
  })
  .finally(() => {
    console.log(
      '\nProtocol APIs implemented by kafkajs vs. this broker (kafkajs picks min(kafkajs max, broker max)):',
    );
    console.log(brokerApiVersions ? protocolTable() : '(no ApiVersions response captured)');
    const failedRequired = results.filter((r) => !r.ok && r.required);
    const failedExtra = results.filter((r) => !r.ok && !r.required);
    if (errorLogs.length) {
      console.log(`\nkafkajs ERROR logs during the run (${errorLogs.length}, first 10):`);
      for (const e of errorLogs.slice(0, 10)) console.log(`  ${e}`);
    }
    console.log(
      `\nSUMMARY: ${results.filter((r) => r.ok).length}/${results.length} operations passed; ` +
        `required failures: ${failedRequired.length}; extra failures: ${failedExtra.length}`,
    );
    process.exit(failedRequired.length ? 1 : 0);
  });
