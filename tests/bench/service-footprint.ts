/**
 * Start-up time and memory of each service as `npm start` runs it — compiled JavaScript from
 * dist/ (docs/benchmarks.md "Service start-up and memory"). After `npm start`:
 *   node -r @swc-node/register tests/bench/service-footprint.ts [trajectory] [placement-intake]
 *
 * Per service: spawn `node $KETENLINK_NODE_FLAGS dist/<svc>/services/<svc>/src/main.js` on a bench port (the running
 * `npm start` services keep theirs; own consumer group prefix so no events are taken from them),
 * then
 *   1. start-up: spawn → first 200 from /health/ready;
 *   2. RSS idle: VmRSS from /proc/<pid>/status after FOOTPRINT_IDLE_MS of quiet;
 *   3. RSS after FOOTPRINT_REQUESTS authenticated read requests (default 10,000, FOOTPRINT_CONCURRENCY
 *      at a time, 127.0.0.1 only), and again after FOOTPRINT_IDLE_MS of quiet.
 * Uses the dev databases and Kafka of `npm start` (deploy/local/env.sh). Bounded: refuses more
 * than 100,000 requests, aborts a service that is not ready within 60 s.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mintDevToken, type Role } from '@ketenlink/auth';

const ROOT = path.resolve(__dirname, '../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const REQUESTS = Number(process.env.FOOTPRINT_REQUESTS ?? 10_000);
const CONCURRENCY = Number(process.env.FOOTPRINT_CONCURRENCY ?? 10);
const IDLE_MS = Number(process.env.FOOTPRINT_IDLE_MS ?? 5_000);
if (!(REQUESTS > 0 && REQUESTS <= 100_000)) throw new Error('FOOTPRINT_REQUESTS: 1..100000');
if (!(CONCURRENCY > 0 && CONCURRENCY <= 50)) throw new Error('FOOTPRINT_CONCURRENCY: 1..50');

interface Target {
  readonly name: string;
  readonly port: number;
  /** Paths requested round-robin, with a token of this organisation and role. */
  paths(base: string, token: string): Promise<string[]>;
  readonly org: string;
  readonly role: Role;
}

const TARGETS: Target[] = [
  {
    name: 'trajectory',
    port: 3101,
    org: 'org-footprint',
    role: 'zvh-coordinator',
    async paths(base, token) {
      const res = await fetch(`${base}/trajectories`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ region: 'Utrecht' }),
      });
      if (res.status !== 201) throw new Error(`open trajectory: ${res.status}`);
      const { id } = (await res.json()) as { id: string };
      return [`/trajectories/${id}`, `/trajectories/${id}/timeline`, `/health/ready`];
    },
  },
  {
    name: 'placement-intake',
    port: 3102,
    org: 'org-footprint',
    role: 'placement-officer',
    async paths() {
      return ['/placements', '/locations', '/health/ready'];
    },
  },
];

/** The environment `npm start` gives the services (deploy/local/env.sh). */
function platformEnv(): NodeJS.ProcessEnv {
  const r = spawnSync(
    'bash',
    ['-c', 'source deploy/local/env.sh && source deploy/local/services.sh && env -0'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return Object.fromEntries(
    r.stdout
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return Math.round(kb / 1024);
}

async function measure(t: Target, env: NodeJS.ProcessEnv) {
  const main = path.join(ROOT, 'dist', t.name, 'services', t.name, 'src', 'main.js');
  const base = `http://127.0.0.1:${t.port}`;
  const started = process.hrtime.bigint();
  const flags = (env.KETENLINK_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(NODE, [...flags, main], {
    cwd: ROOT,
    env: {
      ...env,
      PORT: String(t.port),
      HOST: '127.0.0.1',
      KETENLINK_CONSUMER_GROUP_PREFIX: `footprint-${process.pid}-`,
      KETENLINK_TRACES_EXPORTER: process.env.KETENLINK_TRACES_EXPORTER ?? 'zipkin',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${t.name} exited with ${child.exitCode}`);
      const res = await fetch(`${base}/health/ready`).catch(() => undefined);
      if (res?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`${t.name} not ready within 60 s`);
      await sleep(20);
    }
    const startupMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
    await sleep(IDLE_MS);
    const idle = rssMb(child.pid!);
    const token = await mintDevToken({ sub: 'footprint', org: t.org, roles: [t.role] });
    const paths = await t.paths(base, token);
    let next = 0;
    let failed = 0;
    const loadStarted = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < REQUESTS; i = next++) {
          const res = await fetch(`${base}${paths[i % paths.length]}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          await res.arrayBuffer();
          if (res.status !== 200) failed++;
        }
      }),
    );
    const loadMs = Date.now() - loadStarted;
    const afterLoad = rssMb(child.pid!);
    await sleep(IDLE_MS);
    const afterQuiet = rssMb(child.pid!);
    return {
      service: t.name,
      startupMs,
      rssIdleMb: idle,
      requests: REQUESTS,
      failed,
      requestsPerSecond: Math.round((REQUESTS / loadMs) * 1000),
      rssAfterRequestsMb: afterLoad,
      rssAfterQuietMb: afterQuiet,
    };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

async function main(): Promise<void> {
  const env = platformEnv();
  const only = process.argv.slice(2);
  const rows = [];
  for (const t of TARGETS.filter((x) => only.length === 0 || only.includes(x.name))) {
    rows.push(await measure(t, env));
  }
  console.table(rows);
  console.log(JSON.stringify(rows));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
