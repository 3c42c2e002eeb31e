/**
 * `npm run bench`: what the Ketenlink messaging path costs next to plain kafkajs and plain pg,
 * measured in one run on the local Kafka and PostgreSQL (docs/benchmarks.md).
 *
 *   1. publish throughput: raw kafkajs sendBatch vs the outbox relay; outbox write vs plain INSERTs
 *   2. consume throughput: plain kafkajs consumer (+ one pg tx per record) vs the Ketenlink batch
 *      consumer + EventProcessor, on each Kafka adapter (kafkajs, @platformatic/kafka)
 *   3. produce→consume latency at a steady rate: kafkajs send→eachMessage vs
 *      outbox transaction → relay (LISTEN/NOTIFY) → Kafka → EventProcessor handler, per adapter
 *
 * Own database (ketenlink_bench, reset every run), own topics (deleted at the end), loopback only,
 * bounded by BENCH_* settings (tests/bench/config.ts). Results: stdout and .data/bench/latest.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { type KafkaClientName, kafkaClients } from '@ketenlink/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { databaseNameOf } from '@ketenlink/persistence';
import { type BenchConfig, loadConfig } from './config';
import { ketenlinkConsume, plainPgTxConsume, rawConsume } from './consume';
import { assertFixtureValid, benchEvents, benchKeys } from './fixtures';
import { ketenlinkLatency, rawLatency } from './latency';
import {
  appendViaPg,
  appendViaTypeorm,
  outboxWriteRounds,
  plainPgInsertMultiRow,
  plainPgInsertPerRow,
  primeTopics,
  rawKafkaPublish,
  relayDrain,
} from './publish';
import { formatLegend, formatTable, latencyRows, row, type TableRow, writeJson } from './report';
import { formatSegments } from './path-profile';
import { BenchTopics, Closer, openDataSource, resetDatabase } from './setup';
import { type Rate } from './stats';

const REPO_ROOT = path.resolve(__dirname, '../..');

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function kafkaVersion(): string {
  if (process.env.KAFKA_VERSION) return process.env.KAFKA_VERSION;
  try {
    const jar = readdirSync(path.join(REPO_ROOT, '.data/kafka/libs')).find((f) =>
      /^kafka-server-\d.*\.jar$/.test(f),
    );
    return jar?.replace(/^kafka-server-|\.jar$/g, '') ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function packageVersion(name: string): string {
  try {
    const file = path.join(REPO_ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function machineFacts(config: BenchConfig, pool: Pool) {
  const pg = await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
  return {
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    kafkajs: packageVersion('kafkajs'),
    platformaticKafka: packageVersion('@platformatic/kafka'),
    pgDriver: packageVersion('pg'),
    typeorm: packageVersion('typeorm'),
    kafkaBootstrap: config.brokers.join(','),
    kafkaVersion: kafkaVersion(),
    postgresVersion: pg.rows[0]?.v ?? 'unknown',
    database: config.databaseUrl,
  };
}

function rateOf(r: Rate) {
  return {
    events: r.events,
    seconds: Number(r.seconds.toFixed(3)),
    perSecond: Math.round(r.perSecond),
  };
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const config = loadConfig();
  const { payloadBytes } = assertFixtureValid();
  const closer = new Closer();
  // The baselines use kafkajs directly (the raw client); Ketenlink goes through its adapters.
  const kafka = new Kafka({
    clientId: 'ketenlink-bench',
    brokers: config.brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
  });
  const adapters: KafkaClientName[] = ['kafkajs', 'platformatic'];
  const clientsOf = (client: KafkaClientName) =>
    kafkaClients({ clientId: `ketenlink-bench-${client}`, brokers: config.brokers, client });
  const topics = new BenchTopics(kafka, config.partitions);
  const problems: string[] = [];

  let timedOut = false;
  const watchdog = setTimeout(() => {
    timedOut = true;
    log(`ABORTED: the run exceeded BENCH_TIMEOUT_MS=${config.timeoutMs}; cleaning up`);
    void Promise.all([closer.closeAll(), topics.deleteAll()]).finally(() => process.exit(2));
  }, config.timeoutMs);

  try {
    log(`resetting database ${databaseNameOf(config.databaseUrl)}`);
    await resetDatabase(config);
    const pool = new Pool({ connectionString: config.databaseUrl, max: 3 });
    closer.add('pg pool', () => pool.end());

    const machine = await machineFacts(config, pool);
    console.log('Ketenlink messaging benchmark');
    console.log(
      `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, load ${machine.loadAverage1m}, ${machine.platform}`,
    );
    console.log(
      `node ${machine.node}, kafkajs ${machine.kafkajs}, @platformatic/kafka ${machine.platformaticKafka}, pg ${machine.pgDriver}, typeorm ${machine.typeorm}`,
    );
    console.log(
      `Kafka bootstrap ${machine.kafkaBootstrap} (Kafka ${machine.kafkaVersion}), PostgreSQL ${machine.postgresVersion} (${machine.database})`,
    );
    console.log(
      `events ${config.events}, keys ${config.keys}, batch ${config.batchSize}, partitions ${config.partitions}, ` +
        `consume ${config.consumeEvents}, latency ${config.latencySamples} samples every ${config.latencyIntervalMs} ms ` +
        `(+${config.latencyWarmup} warm-up), payload ${payloadBytes} B JSON (trajectory.opened v1)`,
    );
    console.log('');

    const names = await topics.create([
      'publish-raw',
      'publish-relay',
      'latency-raw',
      'latency-dual-write',
      'latency-kafkajs',
      'latency-platformatic',
    ]);
    log(`topics: ${Object.values(names).join(', ')}`);

    const writerDs = await openDataSource(config, 'bench-writer');
    closer.add('writer data source', () => writerDs.destroy());
    const consumerDs = await openDataSource(config, 'bench-consumer');
    closer.add('consumer data source', () => consumerDs.destroy());

    const keys = benchKeys(config.keys);
    const events = benchEvents(config.events, keys);
    const relayTopic = names['publish-relay']!;
    const truncate = () => pool.query('TRUNCATE outbox');

    const relayPool = new Pool({ connectionString: config.databaseUrl, max: 3 });
    closer.add('relay pool', () => relayPool.end());

    // Untimed warm-up: topic leadership, JIT, connection pools, schema compilation.
    log('warming up');
    await primeTopics(kafka, Object.values(names), config.partitions, keys);
    const throughput =
      config.only === 'latency'
        ? undefined
        : await (async () => {
            const warm = benchEvents(config.batchSize, keys);
            await rawKafkaPublish(kafka, names['publish-raw']!, warm, config.batchSize);
            await plainPgInsertPerRow(pool, relayTopic, warm, config.batchSize);
            await truncate();
            await plainPgInsertMultiRow(pool, relayTopic, warm, config.batchSize);
            await truncate();
            await appendViaPg(pool, relayTopic, warm, config.batchSize);
            await truncate();
            await appendViaTypeorm(writerDs, relayTopic, warm, config.batchSize);
            await relayDrain(kafka, relayPool, config.databaseUrl, warm.length, config.batchSize);
            await truncate();

            // 1. Publish throughput -------------------------------------------------------------------
            log(`A: raw kafkajs sendBatch of ${config.events} events`);
            const rawPublish = await rawKafkaPublish(
              kafka,
              names['publish-raw']!,
              events,
              config.batchSize,
            );
            log(
              `outbox writes of ${config.events} rows: plain pg per row / multi-row, appendToOutbox pg / TypeORM, ${config.writeRounds} interleaved rounds`,
            );
            const writes = await outboxWriteRounds(
              pool,
              writerDs,
              relayTopic,
              events,
              config.batchSize,
              config.writeRounds,
            );
            const pgPerRow = writes.plainPgPerRow;
            const pgMultiRow = writes.plainPgMultiRow;
            const appendPg = writes.appendToOutboxPg;
            const appendOrm = writes.appendToOutboxTypeorm;
            // The relay's input: the same rows appendToOutbox writes, loaded fast and untimed.
            await plainPgInsertMultiRow(pool, relayTopic, events, config.batchSize);
            // Planner statistics as a service's steady-state outbox has them (autovacuum), untimed.
            await pool.query('VACUUM ANALYZE outbox');
            log(`relay drain of ${config.events} rows`);
            const relay = await relayDrain(
              kafka,
              relayPool,
              config.databaseUrl,
              config.events,
              config.batchSize,
            );

            // 2. Consume throughput (all read the relay's topic: the same CloudEvents, in the same order) --------------
            log(`consume ${config.consumeEvents}: raw kafkajs consumer`);
            const rawConsumed = await rawConsume(
              kafka,
              relayTopic,
              topics.group('consume-raw'),
              config.consumeEvents,
            );
            log(
              `consume ${config.consumeEvents}: plain kafkajs + a plain pg transaction per record`,
            );
            const consumerPool = new Pool({ connectionString: config.databaseUrl, max: 10 });
            closer.add('consumer pool', () => consumerPool.end());
            const pgTxConsumed = await plainPgTxConsume(
              kafka,
              consumerPool,
              relayTopic,
              topics.group('consume-pg'),
              config.consumeEvents,
            );
            const ketenlinkConsumed: Record<string, Rate & { deadLettered: number }> = {};
            for (const client of adapters) {
              log(
                `consume ${config.consumeEvents}: Ketenlink batch consumer + EventProcessor (${client})`,
              );
              ketenlinkConsumed[client] = await ketenlinkConsume(
                clientsOf(client),
                consumerDs,
                relayTopic,
                topics.group(`consume-${client}`),
                config.consumeEvents,
              );
            }
            const consumeDead = adapters.reduce(
              (n, a) => n + ketenlinkConsumed[a]!.deadLettered,
              0,
            );
            if (consumeDead > 0)
              problems.push(`${consumeDead} events dead-lettered in the consume scenarios`);
            const outboxPath = {
              events: config.events,
              seconds: config.events / appendOrm.perSecond + relay.seconds,
              perSecond: config.events / (config.events / appendOrm.perSecond + relay.seconds),
            };
            const rows: TableRow[] = [
              row(
                'throughput',
                'publish to Kafka',
                `A: raw kafkajs idempotent producer, sendBatch(${config.batchSize}), acks -1`,
                `OutboxRelay.drain() of committed rows (batch ${config.batchSize})`,
                rawPublish.perSecond,
                relay.perSecond,
              ),
              row(
                'throughput',
                'outbox write',
                `B: plain pg, one INSERT per row, transactions of ${config.batchSize}`,
                `appendToOutbox in TypeORM transactions of ${config.batchSize}`,
                pgPerRow.perSecond,
                appendOrm.perSecond,
              ),
              row(
                'throughput',
                'outbox write, pg client',
                `B: plain pg, one INSERT per row, transactions of ${config.batchSize}`,
                `appendToOutbox on a pg PoolClient, transactions of ${config.batchSize}`,
                pgPerRow.perSecond,
                appendPg.perSecond,
              ),
              row(
                'throughput',
                'outbox write vs multi-row INSERT',
                `B': plain pg, one multi-row INSERT (unnest) per transaction of ${config.batchSize}`,
                `appendToOutbox in TypeORM transactions of ${config.batchSize}`,
                pgMultiRow.perSecond,
                appendOrm.perSecond,
              ),
              row(
                'throughput',
                'app → Kafka (write + relay)',
                `A: raw kafkajs sendBatch(${config.batchSize})`,
                'N / (appendToOutbox TypeORM write time + relay drain time), the two one after the other',
                rawPublish.perSecond,
                outboxPath.perSecond,
              ),
              ...adapters.map((client) =>
                row(
                  'throughput',
                  `consume vs empty handler (${client})`,
                  'plain kafkajs consumer, empty eachMessage, autoCommit (default)',
                  `Ketenlink batch consumer on ${client} + EventProcessor: validate, inbox + handler tx per batch, offset commit per batch`,
                  rawConsumed.perSecond,
                  ketenlinkConsumed[client]!.perSecond,
                ),
              ),
              ...adapters.map((client) =>
                row(
                  'throughput',
                  `consume vs pg tx per record (${client})`,
                  'plain kafkajs (autoCommit, 3 partitions at a time) + one plain pg tx per record: inbox INSERT + effect INSERT',
                  `Ketenlink batch consumer on ${client} + EventProcessor (same inbox + effect INSERTs, TypeORM tx per ≤100 records, validation, commit per batch)`,
                  pgTxConsumed.perSecond,
                  ketenlinkConsumed[client]!.perSecond,
                ),
              ),
            ];
            const breakdown: string[] = [];
            breakdown.push(
              `  outbox write rates: B per-row ${Math.round(pgPerRow.perSecond)}/s, B' multi-row ${Math.round(pgMultiRow.perSecond)}/s, ` +
                `appendToOutbox pg ${Math.round(appendPg.perSecond)}/s, appendToOutbox TypeORM ${Math.round(appendOrm.perSecond)}/s`,
            );
            breakdown.push(
              `  consume rates: plain kafkajs ${Math.round(rawConsumed.perSecond)}/s, plain kafkajs + pg tx ${Math.round(pgTxConsumed.perSecond)}/s, ` +
                adapters
                  .map((a) => `Ketenlink on ${a} ${Math.round(ketenlinkConsumed[a]!.perSecond)}/s`)
                  .join(', '),
            );
            breakdown.push(
              `  relay drain, busy time per phase (claim of N+1 and mark of N-1 overlap the send of N):`,
            );
            breakdown.push(relay.phaseTable);
            return {
              rows,
              breakdown,
              publish: {
                rawKafka: rateOf(rawPublish),
                relayDrain: { ...rateOf(relay), phases: relay.phases },
                outboxWrite: {
                  rounds: config.writeRounds,
                  plainPgPerRow: { ...rateOf(pgPerRow), perRound: pgPerRow.perRound },
                  plainPgMultiRow: { ...rateOf(pgMultiRow), perRound: pgMultiRow.perRound },
                  appendToOutboxPg: { ...rateOf(appendPg), perRound: appendPg.perRound },
                  appendToOutboxTypeorm: { ...rateOf(appendOrm), perRound: appendOrm.perRound },
                },
                writePlusRelay: rateOf(outboxPath),
              },
              consume: {
                raw: rateOf(rawConsumed),
                plainPgTx: rateOf(pgTxConsumed),
                ketenlink: Object.fromEntries(
                  adapters.map((a) => [a, rateOf(ketenlinkConsumed[a]!)]),
                ),
              },
            };
          })();

    // 3. Latency ---------------------------------------------------------------------------
    await pool.query('TRUNCATE outbox, inbox, bench_effects');
    const latencySettings = {
      samples: config.latencySamples,
      warmup: config.latencyWarmup,
      intervalMs: config.latencyIntervalMs,
      keys,
    };
    log(`latency: raw kafkajs send → eachMessage`);
    const rawLat = await rawLatency(
      kafka,
      names['latency-raw']!,
      topics.group('latency-raw'),
      latencySettings,
    );
    log(`latency: plain pg transaction (INSERT + COMMIT), then kafkajs send → eachMessage`);
    const dualPool = new Pool({ connectionString: config.databaseUrl, max: 10 });
    closer.add('dual-write pool', () => dualPool.end());
    const dualLat = await rawLatency(
      kafka,
      names['latency-dual-write']!,
      topics.group('latency-dual-write'),
      latencySettings,
      dualPool,
    );
    const kLat: Record<string, Awaited<ReturnType<typeof ketenlinkLatency>>> = {};
    for (const client of adapters) {
      await pool.query('TRUNCATE outbox');
      log(`latency: outbox → relay → Kafka → EventProcessor (${client})`);
      kLat[client] = await ketenlinkLatency(
        clientsOf(client),
        writerDs,
        consumerDs,
        config.databaseUrl,
        names[`latency-${client}`]!,
        topics.group(`latency-${client}`),
        latencySettings,
      );
      if (kLat[client]!.deadLettered > 0)
        problems.push(
          `${kLat[client]!.deadLettered} events dead-lettered in the latency scenario (${client})`,
        );
    }

    const rows: TableRow[] = [
      ...(throughput?.rows ?? []),
      ...adapters.flatMap((client) =>
        latencyRows(
          `latency (${client})`,
          `kafkajs send (acks -1) → eachMessage, one event every ${config.latencyIntervalMs} ms`,
          `tx start (appendToOutbox + COMMIT) → relay → Kafka → EventProcessor handler on ${client}, one every ${config.latencyIntervalMs} ms`,
          rawLat.sendToHandler,
          kLat[client]!.sendToHandler,
        ),
      ),
      // Not the figure: the same Ketenlink path against a baseline with a durable write.
      ...latencyRows(
        'like-for-like latency (kafkajs)',
        `plain pg tx (BEGIN, INSERT, COMMIT) then kafkajs send → eachMessage (the dual write), tx start → eachMessage`,
        `tx start (appendToOutbox + COMMIT) → relay → Kafka → EventProcessor handler on kafkajs (as above)`,
        dualLat.sendToHandler,
        kLat.kafkajs!.sendToHandler,
      ).filter((r) => !r.metric.endsWith('max')),
      // Not the figure: from the writer's COMMIT on (the part the relay and consumer add).
      ...latencyRows(
        'COMMIT → handler (kafkajs)',
        `kafkajs send (acks -1) → eachMessage (as above)`,
        `writer's COMMIT returned → relay → Kafka → EventProcessor handler on kafkajs`,
        rawLat.sendToHandler,
        kLat.kafkajs!.commitToHandler,
      ).filter((r) => !r.metric.endsWith('max')),
    ];

    console.log(formatTable(rows));
    console.log('');
    console.log(
      'ketenlink ÷ baseline: for throughput < 1 means Ketenlink is slower; for latency > 1 means slower.',
    );
    console.log(formatLegend(rows));
    console.log('');
    const fmt = (s: { p50: number; p99: number }) =>
      `p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms`;
    console.log('Breakdown');
    for (const line of throughput?.breakdown ?? []) console.log(line);
    console.log(`  baseline send → broker ack:                ${fmt(rawLat.sendAck)}`);
    console.log(`  dual-write baseline: tx start → COMMIT:    ${fmt(dualLat.write!)}`);
    console.log(`  dual-write baseline: tx start → eachMessage: ${fmt(dualLat.sendToHandler)}`);
    for (const a of adapters) {
      const k = kLat[a]!;
      console.log(`  ${a}: tx start → COMMIT returned:      ${fmt(k.write)}`);
      console.log(`  ${a}: COMMIT → handler:                ${fmt(k.commitToHandler)}`);
      console.log(`  ${a}: handler → inbox tx committed:    ${fmt(k.handlerToInboxCommit)}`);
      console.log(
        `  ${a}: relay during the latency run: ${k.relaySends} sends, ${k.relayRecordsPerSend.toFixed(2)} records per send; ` +
          `achieved send rate ${k.run.achievedPerSecond.toFixed(0)}/s`,
      );
      console.log(`  ${a}: where the time goes, per event (each segment's own percentiles):`);
      console.log(formatSegments(k.path));
    }
    console.log(
      `  achieved send rate: baseline ${rawLat.run.achievedPerSecond.toFixed(0)}/s ` +
        `(target ${(1000 / config.latencyIntervalMs).toFixed(0)}/s)`,
    );

    const finishedAt = new Date();
    const result = {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: Number(((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(1)),
      command: 'npm run bench',
      machine,
      config: { ...config, databaseUrl: undefined, adminDatabaseUrl: undefined, payloadBytes },
      topics: names,
      publish: throughput?.publish,
      consume: throughput?.consume,
      latency: { raw: rawLat, dualWrite: dualLat, ketenlink: kLat },
      rows,
      problems,
    };
    console.log('');
    console.log(`${result.durationSeconds} s; results in ${writeJson(REPO_ROOT, result)[0]}`);
  } finally {
    problems.push(...(await closer.closeAll()));
    problems.push(...(await topics.deleteAll()));
    clearTimeout(watchdog);
    if (!timedOut) log(`deleted topics ${topics.topicNames.join(', ')}`);
  }
  for (const p of problems) log(`PROBLEM: ${p}`);
  return problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
