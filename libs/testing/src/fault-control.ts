import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { REPO_ROOT } from './infrastructure';
import { waitFor } from './wait-for';

/**
 * Controls infrastructure for fault tests (tests/e2e/faults): stop and start this checkout's
 * Kafka, and a throw-away PostgreSQL server of the test's own to restart. The SHARED PostgreSQL
 * (PG_BASE_URL) is never touched.
 */
const run = promisify(execFile);

/** Which infrastructure the int/e2e global setup chose (set there as KETENLINK_TEST_INFRA_KIND). */
export function infrastructureKind(): 'local' | 'testcontainers' | 'given' {
  const kind = process.env.KETENLINK_TEST_INFRA_KIND;
  if (kind === 'testcontainers' || kind === 'given') return kind;
  return 'local';
}

export interface KafkaControl {
  /** Makes the broker unreachable (local: infra.sh stops it; container: docker pause). */
  stop(): Promise<void>;
  /** Brings it back and waits until it answers. */
  start(): Promise<void>;
}

export function kafkaControl(): KafkaControl {
  const kind = infrastructureKind();
  if (kind === 'local') {
    const infra = path.join(REPO_ROOT, 'deploy/local/infra.sh');
    return {
      stop: async () => {
        await run('bash', [infra, 'down', 'kafka'], { timeout: 120_000 });
      },
      start: async () => {
        // A busy machine may need more than infra.sh's default 90 s for the JVM to be ready.
        await run('bash', [infra, 'up', 'kafka'], {
          timeout: 330_000,
          env: {
            ...process.env,
            KETENLINK_READY_TIMEOUT: process.env.KETENLINK_READY_TIMEOUT ?? '300',
          },
        });
      },
    };
  }
  const id = process.env.KETENLINK_TEST_KAFKA_CONTAINER;
  if (kind === 'testcontainers' && id) {
    // A paused broker is unreachable; unpausing keeps its data and its mapped port.
    return {
      stop: async () => {
        await run('docker', ['pause', id]);
      },
      start: async () => {
        await run('docker', ['unpause', id]);
      },
    };
  }
  throw new Error(
    'Kafka fault tests need the local servers (KETENLINK_TEST_INFRA=local) or testcontainers; ' +
      'given KAFKA_BROKERS cannot be stopped by a test',
  );
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject()));
    });
  });
}

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:<port> (no database). */
  readonly baseUrl: string;
  /** Stops the server (fast: sessions get 57P01), waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port, waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops and removes everything. */
  destroy(): Promise<void>;
}

const PG_BIN = process.env.KETENLINK_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL server of the test's own, to restart without disturbing anyone: locally a new
 * cluster (initdb + pg_ctl from PG_BIN) under .data/, on a free port, run as user `postgres`
 * when we are root (initdb refuses root); with testcontainers, a container of its own with a
 * fixed host port (so a restart keeps the address).
 */
export async function startThrowawayPostgres(name: string): Promise<ThrowawayPostgres> {
  const port = await freePort();
  const baseUrl = `postgres://postgres@127.0.0.1:${port}`;
  if (infrastructureKind() === 'testcontainers') {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:15')
      .withUsername('postgres')
      .withPassword('postgres')
      .withExposedPorts({ container: 5432, host: port })
      .start();
    const url = `postgres://postgres:postgres@127.0.0.1:${port}`;
    return {
      baseUrl: url,
      stop: async () => {
        await container.stop({ remove: false, timeout: 10_000 });
      },
      start: async () => {
        await container.restart();
        await waitAccepting(url);
      },
      destroy: async () => {
        await container.stop();
      },
    };
  }

  const dir = path.join(REPO_ROOT, '.data', `pg-${name}`);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  const asRoot = process.getuid?.() === 0;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let uid: number | undefined;
  if (asRoot) {
    uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    if (!Number.isInteger(uid))
      throw new Error('running as root needs a `postgres` user for initdb');
    chownSync(dir, uid, -1);
  }
  const pgRun = async (bin: string, args: string[]) => {
    const cmd = path.join(PG_BIN, bin);
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    await run(file, argv, { timeout: 120_000 });
  };
  await pgRun('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-N', '-E', 'UTF8']);
  // Small and quick: no fsync, sockets in our own directory, TCP on loopback only.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = async () => {
    await pgRun('pg_ctl', ['-D', data, '-l', log, '-o', opts, '-w', '-t', '60', 'start']);
    await waitAccepting(baseUrl);
  };
  const stop = async () => {
    if (existsSync(path.join(data, 'postmaster.pid')))
      await pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  await start();
  return {
    baseUrl,
    stop,
    start,
    destroy: async () => {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitAccepting(baseUrl: string): Promise<void> {
  await waitFor(
    async () => {
      const c = new Client({ connectionString: `${baseUrl}/postgres` });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.query('SELECT 1');
        return true;
      } finally {
        await c.end().catch(() => undefined);
      }
    },
    { timeoutMs: 60_000, intervalMs: 200, what: `PostgreSQL at ${baseUrl}` },
  );
}

/** Creates databases (if missing) on a server, e.g. a throw-away one. */
export async function createDatabases(baseUrl: string, names: readonly string[]): Promise<void> {
  const c = new Client({ connectionString: `${baseUrl}/postgres` });
  await c.connect();
  try {
    for (const n of names) {
      if (!/^[a-z0-9_]+$/.test(n)) throw new Error(`bad database name ${n}`);
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [n]);
      if (exists.rowCount === 0) await c.query(`CREATE DATABASE ${n}`);
    }
  } finally {
    await c.end();
  }
}
