import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { mintDevToken, type Role } from '@ketenlink/auth';
import { Client } from 'pg';
import { databaseUrlFor } from '@ketenlink/persistence';
import { REPO_ROOT, waitFor } from '@ketenlink/testing';

/**
 * Runs services as their own processes for end-to-end tests, each on its TEST database, with
 * topics and consumer groups of its own (a prefix per run), tracing to the local Zipkin.
 */
export interface RunningService {
  readonly name: string;
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
}

const NODE = path.join(REPO_ROOT, 'node_modules/.bin/node');
const LOGS = path.join(REPO_ROOT, '.data/logs/e2e');
/** One identity-vault key per test run unless the environment gives one. */
const IDENTITY_KEYS =
  process.env.IDENTITY_ENCRYPTION_KEYS ?? `e2e:${randomBytes(32).toString('base64')}`;
/** The partner gateway's webhook-secret key, likewise. */
const PARTNER_KEYS = process.env.PARTNER_SECRET_KEYS ?? `e2e:${randomBytes(32).toString('base64')}`;

/**
 * This test file's own Kafka topics (KETENLINK_TOPIC_PREFIX, libs/messaging topics.ts): the
 * services it starts publish and consume only there, never on the topics of a running
 * `npm start` (or of another e2e file).
 */
export const E2E_TOPIC_PREFIX = `e2e-${randomUUID().slice(0, 8)}.`;

/**
 * Where partners reach the broker (the partner gateway hands it out with their credentials):
 * deploy/local's SASL/SCRAM listener, the PLAINTEXT port + 2 (KAFKA_SASL_PORT).
 */
export function saslBrokers(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KAFKA_SASL_BROKERS) return env.KAFKA_SASL_BROKERS;
  const [host, port] = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0]!.split(':');
  return `${host}:${Number(port) + 2}`;
}

function envFor(name: string, port: number, runId: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrlFor(name, { test: true }),
    PORT: String(port),
    KETENLINK_TOPIC_PREFIX: E2E_TOPIC_PREFIX,
    KETENLINK_CONSUMER_GROUP_PREFIX: `e2e-${runId}-`,
    KETENLINK_TRACES_EXPORTER: process.env.E2E_TRACES_EXPORTER ?? 'zipkin',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
    IDENTITY_ENCRYPTION_KEYS: IDENTITY_KEYS,
    PARTNER_SECRET_KEYS: PARTNER_KEYS,
    // e2e webhook receivers listen on the loopback over plain HTTP.
    PARTNER_WEBHOOK_ALLOW_LOOPBACK_HTTP: 'true',
    KAFKA_SASL_BROKERS: saslBrokers(),
  };
}

/** `env` overrides the defaults (e.g. DATABASE_URL of a fault test's own PostgreSQL). */
export function migrateService(name: string, env: NodeJS.ProcessEnv = {}): void {
  const r = spawnSync(
    NODE,
    ['-r', '@swc-node/register', `services/${name}/src/main.ts`, 'migrate'],
    {
      cwd: REPO_ROOT,
      env: { ...envFor(name, 0, 'migrate'), ...env },
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`migrating ${name} failed: ${r.stderr || r.stdout}`);
}

/** `KETENLINK_E2E_PORT_OFFSET` shifts every e2e port, so two checkouts can run e2e at once. */
const PORT_OFFSET = Number(process.env.KETENLINK_E2E_PORT_OFFSET ?? 0);

export async function startService(
  name: string,
  basePort: number,
  runId = randomUUID().slice(0, 8),
  /** `env` overrides the defaults; `readyTimeoutMs` (default 60 s) bounds the wait for ready. */
  { env = {}, readyTimeoutMs = 60_000 }: { env?: NodeJS.ProcessEnv; readyTimeoutMs?: number } = {},
): Promise<RunningService> {
  const port = basePort + PORT_OFFSET;
  mkdirSync(LOGS, { recursive: true });
  const log = createWriteStream(path.join(LOGS, `${name}.log`), { flags: 'a' });
  const child = spawn(NODE, ['-r', '@swc-node/register', `services/${name}/src/main.ts`], {
    cwd: REPO_ROOT,
    env: { ...envFor(name, port, runId), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream?.pipe(log);
  }
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`${name} exited with ${child.exitCode}; see ${LOGS}/${name}.log`);
        const res = await fetch(`${url}/health/ready`).catch(() => undefined);
        return res?.status === 200;
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 250, what: `${name} ready` },
    );
  } catch (err) {
    child.kill('SIGKILL'); // never leave a process behind that no test will stop
    throw err;
  }
  return { name, url, process: child, output: () => Buffer.concat(chunks).toString('utf8') };
}

export async function stopService(s: RunningService | undefined): Promise<void> {
  if (!s || s.process.exitCode !== null) return;
  const exited = new Promise((r) => s.process.once('exit', r));
  s.process.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000).unref())]);
  if (s.process.exitCode === null) s.process.kill('SIGKILL');
}

/** An organisation the trajectory service's registry must know before its tokens are accepted. */
export interface TestOrganisation {
  readonly id: string;
  readonly kind:
    'care-provider' | 'probation-service' | 'zvh' | 'placing-authority' | 'prison' | 'platform';
}

/**
 * Enters organisations in the trajectory service's registry through its API, as its registry
 * administrator would (ADR 0019): a token whose organisation is not registered gets 403.
 * Repeat-safe (409 for one already there).
 */
export async function registerOrganisations(
  trajectory: RunningService,
  organisations: readonly TestOrganisation[],
  databaseUrl = databaseUrlFor('trajectory', { test: true }),
): Promise<void> {
  // The platform organisation its administrator acts for comes with the migrations; the int
  // tier empties every table of the same test database, so put it back as the migration has it.
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO organisations (id, kind, name, active_from)
       VALUES ('ketenlink', 'platform', 'Ketenlink platform', '2025-01-01')
       ON CONFLICT (id) DO NOTHING`,
    );
  } finally {
    await db.end();
  }
  const admin = await mintDevToken({
    sub: 'e2e-registry-admin',
    org: 'ketenlink',
    roles: ['registry-admin'],
  });
  for (const o of organisations) {
    const res = await fetch(`${trajectory.url}/organisations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: o.id,
        kind: o.kind,
        name: `e2e ${o.id}`,
        identifiers: {},
        activeFrom: '2025-01-01',
      }),
    });
    if (res.status !== 201 && res.status !== 409) {
      throw new Error(`registering ${o.id}: ${res.status} ${await res.text()}`);
    }
  }
}

/** An HTTP answer as the end-to-end tests read it: the status and the JSON body, field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read field by field
export type Answer = { status: number; body: any };
export type Call = (method: string, path: string, body?: object) => Promise<Answer>;

/** Calls a service process (JSON in and out) with a dev token minted once for `claims`. */
export function caller(
  svc: () => RunningService,
  claims: Parameters<typeof mintDevToken>[0],
): Call {
  const token = mintDevToken(claims);
  return async (method, path, body) => {
    const res = await fetch(`${svc().url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.json().catch(() => ({})) };
  };
}

/** A staff member of `org` acting with `roles`. */
export function staffCaller(svc: () => RunningService, org: string, roles: Role[]): Call {
  return caller(svc, { sub: `e2e-${org}`, org, roles });
}
