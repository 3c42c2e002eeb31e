/**
 * What every Kafka adapter must do (docs/adr/0013-kafka-port-and-client.md), against the real
 * Kafka: admin create/describe/offsets, idempotent produce with the Java client's partitioning
 * and headers, batch consume with commits, redelivery of an uncommitted batch, reading at an
 * offset, and the send contract (permanent vs transient KafkaSendError within the timeout).
 * A new adapter is added to ADAPTERS and must pass all of it.
 */
import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { waitFor } from '@ketenlink/testing';
import { kafkaClients } from './kafka-clients';
import {
  KafkaSendError,
  type IncomingBatch,
  type KafkaClientName,
  type KafkaClients,
  type OutgoingRecord,
} from './kafka.port';

const ADAPTERS: KafkaClientName[] = ['kafkajs', 'platformatic'];
/**
 * Adapters whose producer implements the send contract of kafka.port.ts (bounded `timeoutMs`,
 * KafkaSendError { permanent }): both adapters now (the kafkajs producer's bounded send and
 * error classification came with the relay work, ADR 0012).
 */
const SEND_CONTRACT: KafkaClientName[] = ['kafkajs', 'platformatic'];

/** The reference: kafkajs' DefaultPartitioner, the Java client's murmur2 partitioning. */
const javaPartition = (() => {
  const p = Partitioners.DefaultPartitioner();
  return (key: string, partitions: number) =>
    p({
      topic: 't',
      partitionMetadata: [...Array(partitions).keys()].map((partitionId) => ({
        partitionId,
        leader: 1,
        partitionErrorCode: 0,
        replicas: [1],
        isr: [1],
      })),
      message: { key, value: null },
    });
})();

function records(topic: string, n: number, keys = 20): OutgoingRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    topic,
    key: `key-${i % keys}`,
    value: Buffer.from(JSON.stringify({ i })),
    headers: { seq: String(i), ce_id: randomUUID() },
  }));
}

describe.each(ADAPTERS)('Kafka adapter conformance: %s', (client) => {
  const kafka: KafkaClients = kafkaClients({ clientId: `conformance-${client}`, client });
  const admin = kafka.admin();
  const topic = `ketenlink.test.conformance-${client}-${randomUUID().slice(0, 8)}`;
  const created: string[] = [];

  afterAll(async () => {
    await admin.deleteTopics(created).catch(() => undefined);
    await admin.disconnect();
  });

  it('admin: creates missing topics once and describes them', async () => {
    const spec = { name: topic, partitions: 3, retentionMs: 3_600_000 };
    expect(await admin.ensureTopics([spec])).toEqual([topic]);
    created.push(topic);
    expect(await admin.ensureTopics([spec])).toEqual([]);
    const [d] = await admin.describeTopics([topic, `${topic}-absent`]);
    expect(d).toMatchObject({ name: topic, partitions: 3 });
    expect(d!.config['retention.ms']).toBe('3600000');
    expect(d!.config['cleanup.policy']).toBe('delete');
    expect(await admin.topicOffsets(topic)).toEqual(
      [0, 1, 2].map((partition) => ({ partition, low: '0', high: '0' })),
    );
  });

  it('produce: every record once, on the Java client partition of its key, headers intact', async () => {
    const producer = kafka.producer();
    const sent = records(topic, 60);
    try {
      await producer.connect();
      await producer.send(sent.slice(0, 30), { timeoutMs: 20_000 });
      await producer.send(sent.slice(30), { timeoutMs: 20_000 });
    } finally {
      await producer.disconnect();
    }
    const offsets = await admin.topicOffsets(topic);
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(60); // no duplicates
    const got: IncomingBatch[] = [];
    const consumer = kafka.consumer({ groupId: `conformance-${randomUUID()}` });
    await consumer.run({
      topics: [topic],
      fromBeginning: true,
      onBatch: async (b) => void got.push(b),
    });
    try {
      await waitFor(() => got.flatMap((b) => b.records).length >= 60, {
        what: '60 records',
        timeoutMs: 60_000,
      });
    } finally {
      await consumer.disconnect();
    }
    const all = got.flatMap((b) => b.records);
    expect(all).toHaveLength(60);
    for (const r of all) {
      const key = r.key!.toString();
      expect(r.partition).toBe(javaPartition(key, 3));
      const seq = Number(r.headers.seq!.toString());
      expect(sent[seq]!.key).toBe(key);
      expect(r.headers.ce_id!.toString()).toBe(sent[seq]!.headers.ce_id);
      expect(JSON.parse(r.value!.toString())).toEqual({ i: seq });
    }
    // Order per key (and so per partition) is the send order.
    for (const key of new Set(sent.map((s) => s.key))) {
      const seqs = all
        .filter((r) => r.key!.toString() === key)
        .map((r) => Number(r.headers.seq!.toString()));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it('consume: batches of one partition in offset order; committed offsets hold across consumers', async () => {
    const groupId = `conformance-${randomUUID()}`;
    const batches: IncomingBatch[] = [];
    const first = kafka.consumer({ groupId });
    await first.run({
      topics: [topic],
      fromBeginning: true,
      onBatch: async (b) => void batches.push(b),
    });
    try {
      await waitFor(() => batches.flatMap((b) => b.records).length >= 60, {
        what: '60 records',
        timeoutMs: 60_000,
      });
    } finally {
      await first.disconnect();
    }
    expect(batches.some((b) => b.records.length > 1)).toBe(true); // batches, not one by one
    for (const b of batches) {
      expect(b.records.every((r) => r.partition === b.partition && r.topic === b.topic)).toBe(true);
      const offs = b.records.map((r) => BigInt(r.offset));
      expect(offs).toEqual([...offs].sort((x, y) => (x < y ? -1 : 1)));
    }
    // The same group again: only what came after the commit.
    const later: string[] = [];
    const second = kafka.consumer({ groupId });
    await second.run({
      topics: [topic],
      fromBeginning: true,
      onBatch: async (b) => void later.push(...b.records.map((r) => r.headers.seq!.toString())),
    });
    const producer = kafka.producer();
    try {
      await producer.send(
        [{ topic, key: 'after', value: Buffer.from('{}'), headers: { seq: 'after' } }],
        { timeoutMs: 20_000 },
      );
      await waitFor(() => later.length >= 1, {
        what: 'the record after the commit',
        timeoutMs: 60_000,
      });
    } finally {
      await producer.disconnect();
      await second.disconnect();
    }
    expect(later).toEqual(['after']);
  });

  it('consume: a rejected batch is not committed and comes again', async () => {
    const groupId = `conformance-${randomUUID()}`;
    const seen: string[] = [];
    let failed = false;
    const consumer = kafka.consumer({ groupId });
    await consumer.run({
      topics: [topic],
      fromBeginning: true,
      partitionsConsumedConcurrently: 1,
      onBatch: async (b) => {
        const offsets = b.records.map((r) => `${r.partition}@${r.offset}`);
        seen.push(...offsets);
        if (!failed && b.partition === 0) {
          failed = true;
          throw new Error('handler failure: leave it uncommitted');
        }
      },
    });
    try {
      await waitFor(() => seen.filter((s) => s === '0@0').length >= 2, {
        what: 'partition 0 redelivered from offset 0',
        timeoutMs: 60_000,
      });
    } finally {
      await consumer.disconnect();
    }
  });

  it('consume: fetches on while a batch is handled; per partition one batch at a time, a failed one again first', async () => {
    // Two partitions; A and C on partition 0, B on partition 1 (the Java client's partitioning).
    const pipeTopic = `${topic}-pipe`;
    await admin.ensureTopics([{ name: pipeTopic, partitions: 2, retentionMs: 3_600_000 }]);
    created.push(pipeTopic);
    const keyOn = (partition: number) => {
      for (let i = 0; ; i++) if (javaPartition(`k${i}`, 2) === partition) return `k${i}`;
    };
    const log: string[] = [];
    let releaseA!: () => void;
    const aHeld = new Promise<void>((r) => (releaseA = r));
    let aFailed = false;
    const consumer = kafka.consumer({ groupId: `conformance-${randomUUID()}` });
    const producer = kafka.producer();
    const send = (name: string, partition: number) =>
      producer.send(
        [{ topic: pipeTopic, key: keyOn(partition), value: Buffer.from('{}'), headers: { name } }],
        { timeoutMs: 20_000 },
      );
    await consumer.run({
      topics: [pipeTopic],
      fromBeginning: true,
      partitionsConsumedConcurrently: 2,
      onBatch: async (b) => {
        for (const r of b.records) {
          const name = r.headers.name!.toString();
          log.push(`${name} start`);
          if (name === 'A' && !aFailed) {
            await aHeld;
            aFailed = true;
            log.push('A failed');
            throw new Error('handler failure: A comes again before C');
          }
          log.push(`${name} end`);
        }
      },
    });
    try {
      await send('A', 0);
      await waitFor(() => log.includes('A start'), { what: 'A handed over', timeoutMs: 60_000 });
      await send('B', 1);
      // B is fetched and handled while A's handler still runs (no fetch waits for A).
      await waitFor(() => log.includes('B end'), {
        what: 'B handled while A is held',
        timeoutMs: 20_000,
      });
      await send('C', 0);
      expect(log).not.toContain('A failed');
      releaseA();
      await waitFor(() => log.includes('C end'), { what: 'C handled', timeoutMs: 60_000 });
    } finally {
      releaseA();
      await producer.disconnect();
      await consumer.disconnect();
    }
    // Partition 0 in order: A held, failed, A again and done, only then C.
    expect(log.filter((l) => !l.startsWith('B'))).toEqual([
      'A start',
      'A failed',
      'A start',
      'A end',
      'C start',
      'C end',
    ]);
  });

  it('reader: reads exactly the records at an offset (seek), and nothing past the end', async () => {
    const reader = kafka.reader();
    const [p] = (await admin.topicOffsets(topic)).filter((o) => Number(o.high) >= 3);
    const got = await reader.read(topic, p!.partition, '1', 2);
    expect(got.map((r) => r.offset)).toEqual(['1', '2']);
    expect(got.every((r) => r.partition === p!.partition && r.headers.seq !== undefined)).toBe(
      true,
    );
    expect(await reader.read(topic, p!.partition, p!.high, 5)).toEqual([]);
  });

  // Only where the adapter implements the contract (see SEND_CONTRACT): not a skip, a dependency.
  if (SEND_CONTRACT.includes(client))
    describe('send errors', () => {
      it('a record Kafka refuses (over max.message.bytes) fails permanent', async () => {
        const producer = kafka.producer();
        try {
          const err = await producer
            .send([{ topic, key: 'big', value: Buffer.alloc(2 * 1024 * 1024, 1), headers: {} }], {
              timeoutMs: 20_000,
            })
            .catch((e: unknown) => e);
          expect(err).toBeInstanceOf(KafkaSendError);
          expect((err as KafkaSendError).permanent).toBe(true);
        } finally {
          await producer.disconnect();
        }
      });

      it('an unknown topic (auto-creation off) fails permanent', async () => {
        const producer = kafka.producer();
        try {
          const err = await producer
            .send(
              [
                {
                  topic: `${topic}-never-created`,
                  key: 'k',
                  value: Buffer.from('{}'),
                  headers: {},
                },
              ],
              { timeoutMs: 20_000 },
            )
            .catch((e: unknown) => e);
          expect(err).toBeInstanceOf(KafkaSendError);
          expect((err as KafkaSendError).permanent).toBe(true);
        } finally {
          await producer.disconnect();
        }
      });

      it('an unreachable broker fails transient, within the timeout', async () => {
        const away = kafkaClients({
          clientId: 'conformance-away',
          brokers: ['127.0.0.1:1'],
          client,
        });
        const producer = away.producer();
        const started = Date.now();
        try {
          const err = await producer
            .send([{ topic, key: 'k', value: Buffer.from('{}'), headers: {} }], {
              timeoutMs: 2_000,
            })
            .catch((e: unknown) => e);
          expect(err).toBeInstanceOf(KafkaSendError);
          expect((err as KafkaSendError).permanent).toBe(false);
          expect(Date.now() - started).toBeLessThan(5_000);
        } finally {
          await producer.disconnect();
        }
      });
    });
});
