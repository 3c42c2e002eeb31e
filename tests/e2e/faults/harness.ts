import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mintDevToken } from '@ketenlink/auth';
import { randomUUID } from 'node:crypto';
import { databaseUrlFor } from '@ketenlink/persistence';
import { Client } from 'pg';
import {
  migrateService,
  registerOrganisations,
  startService,
  stopService,
  type RunningService,
} from '../../support/platform';

/**
 * Shared pieces of the fault tests: a bounded stream of commands (POST /trajectories) whose
 * every answer is classified, and the delivery check run after each fault.
 */

/** The organisation the fault tests act for (registered in each test's trajectory service). */
export const FAULTS_ORGANISATION = 'org-zvh-faults';

export function coordinatorToken(): Promise<string> {
  return mintDevToken({
    sub: 'fault-coordinator',
    org: FAULTS_ORGANISATION,
    roles: ['zvh-coordinator'],
  });
}

export type Answer =
  | { kind: 'acked'; id: string }
  | { kind: 'unavailable'; problemJson: boolean; retryAfter: string | null }
  | { kind: 'other'; status: number; body: string }
  | { kind: 'dropped'; error: string };

export async function openTrajectory(url: string, token: string): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(`${url}/trajectories`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ region: 'Haaglanden' }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    return { kind: 'dropped', error: String((err as Error).cause ?? err) };
  }
  const body = await res.text();
  if (res.status === 201) return { kind: 'acked', id: (JSON.parse(body) as { id: string }).id };
  if (res.status === 503) {
    const type = res.headers.get('content-type') ?? '';
    const problemJson =
      type.startsWith('application/problem+json') &&
      (JSON.parse(body) as { status?: number }).status === 503;
    return { kind: 'unavailable', problemJson, retryAfter: res.headers.get('retry-after') };
  }
  return { kind: 'other', status: res.status, body: body.slice(0, 300) };
}

export interface StreamResult {
  readonly answers: Answer[];
  readonly acked: string[];
  readonly unavailable: number;
  readonly failures: Answer[];
}

export function summarise(answers: Answer[]): StreamResult {
  return {
    answers,
    acked: answers.flatMap((a) => (a.kind === 'acked' ? [a.id] : [])),
    unavailable: answers.filter((a) => a.kind === 'unavailable').length,
    failures: answers.filter(
      (a) =>
        a.kind === 'other' || a.kind === 'dropped' || (a.kind === 'unavailable' && !a.problemJson),
    ),
  };
}

/**
 * Sends one command every `intervalMs` (each awaited before the next: a steady, bounded stream)
 * until `stop()` is called or `maxCommands` were sent.
 */
export function commandStream(
  url: string,
  token: string,
  { intervalMs = 100, maxCommands = 2000 } = {},
): { stop: () => Promise<StreamResult>; answers: Answer[] } {
  const answers: Answer[] = [];
  let running = true;
  const loop = (async () => {
    while (running && answers.length < maxCommands) {
      const started = Date.now();
      answers.push(await openTrajectory(url, token));
      const wait = intervalMs - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    answers,
    stop: async () => {
      running = false;
      await loop;
      return summarise(answers);
    },
  };
}

export async function readiness(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.json() };
}

export interface DeliveryReport {
  readonly commands: number;
  /** Outbox rows (events) of those commands, and how many are still unpublished. */
  readonly events: number;
  readonly unpublished: number;
  /** trajectory's own consumer: timeline rows and inbox rows of its group, per event. */
  readonly timelineRows: number;
  readonly trajectoryInboxRows: number;
  /** placement-intake's consumer: projected trajectories and inbox rows of its group. */
  readonly projected: number;
  readonly intakeInboxRows: number;
  /** Keys whose events a consumer saw out of outbox order. */
  readonly outOfOrderKeys: string[];
}

/**
 * What happened to the events of the acknowledged commands `ids`, read from both services'
 * databases. Delivered once in effect: every event one timeline row and one inbox row in the
 * trajectory group; every trajectory one projection and, per event, one intake inbox row; per
 * key the Kafka offsets follow the outbox order.
 */
export async function deliveryReport(opts: {
  trajectoryDbUrl: string;
  intakeDbUrl: string;
  ids: readonly string[];
  runId: string;
}): Promise<DeliveryReport> {
  const t = new Client({ connectionString: opts.trajectoryDbUrl });
  const p = new Client({ connectionString: opts.intakeDbUrl });
  await Promise.all([t.connect(), p.connect()]);
  try {
    const ids = [...opts.ids];
    const outbox = await t.query<{ seq: string; id: string; key: string; published: boolean }>(
      `SELECT seq, id, aggregateid AS key, published_at IS NOT NULL AS published
         FROM outbox WHERE aggregateid = ANY($1::text[]) ORDER BY seq`,
      [ids],
    );
    const eventIds = outbox.rows.map((r) => r.id);
    const timeline = await t.query<{
      event_id: string;
      kafka_offset: string;
      kafka_partition: number;
    }>(
      `SELECT event_id, kafka_partition, kafka_offset FROM timeline_entries WHERE event_id::text = ANY($1::text[])`,
      [eventIds],
    );
    const tInbox = await t.query<{ n: string }>(
      `SELECT count(*) AS n FROM inbox WHERE consumer_group = $1 AND event_id::text = ANY($2::text[])`,
      // The inbox is keyed by the logical consumer, not the deployment's group prefix (ADR 0013).
      ['trajectory', eventIds],
    );
    const projected = await p.query<{ n: string }>(
      `SELECT count(*) AS n FROM facts_trajectories WHERE opened_event_id IS NOT NULL AND trajectory_id::text = ANY($1::text[])`,
      [ids],
    );
    const pInbox = await p.query<{
      event_id: string;
      kafka_partition: number;
      kafka_offset: string;
    }>(
      `SELECT event_id, kafka_partition, kafka_offset FROM inbox
        WHERE consumer_group = $1 AND event_id::text = ANY($2::text[])`,
      ['placement-intake', eventIds],
    );
    const outOfOrder = new Set<string>();
    for (const seen of [timeline.rows, pInbox.rows]) {
      const pos = new Map(
        seen.map((r) => [r.event_id, [r.kafka_partition, BigInt(r.kafka_offset)] as const]),
      );
      const lastByKey = new Map<string, readonly [number, bigint]>();
      for (const row of outbox.rows) {
        const at = pos.get(row.id);
        if (!at) continue;
        const last = lastByKey.get(row.key);
        if (last && (last[0] !== at[0] || last[1] >= at[1])) outOfOrder.add(row.key);
        lastByKey.set(row.key, at);
      }
    }
    return {
      commands: ids.length,
      events: outbox.rows.length,
      unpublished: outbox.rows.filter((r) => !r.published).length,
      timelineRows: timeline.rows.length,
      trajectoryInboxRows: Number(tInbox.rows[0]?.n ?? 0),
      projected: Number(projected.rows[0]?.n ?? 0),
      intakeInboxRows: pInbox.rows.length,
      outOfOrderKeys: [...outOfOrder],
    };
  } finally {
    await Promise.all([t.end(), p.end()]);
  }
}

/** Delivered once in effect: the expected counts for `commands` commands of 2 events each. */
export function isComplete(r: DeliveryReport): boolean {
  return (
    r.events === 2 * r.commands &&
    r.unpublished === 0 &&
    r.timelineRows === r.events &&
    r.trajectoryInboxRows === r.events &&
    r.projected === r.commands &&
    r.intakeInboxRows === r.events
  );
}

/** A service process that is still the one we started (no exit, no restart). */
export function stillRunning(s: RunningService | undefined, pid: number | undefined): boolean {
  return (
    !!s && s.process.exitCode === null && s.process.signalCode === null && s.process.pid === pid
  );
}

/** What must never show in a service's output after a fault. */
export const CRASH_SIGNS = [
  /Unhandled 'error' event/,
  /BoundPool/,
  /Client\s*\{/,
  /uncaughtException/,
];

/** Polls the delivery report until complete or `timeoutMs`; returns the last report either way. */
export async function waitForDelivery(
  read: () => Promise<DeliveryReport>,
  // A new consumer group replays the topics from the beginning first: on a busy 2-core box
  // with a long local topic history that takes minutes.
  timeoutMs = 300_000,
): Promise<DeliveryReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await read();
    if (isComplete(r) || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/** The counts a complete delivery of `commands` commands shows. */
export function expectedDelivery(commands: number): Partial<DeliveryReport> {
  return {
    commands,
    events: 2 * commands,
    unpublished: 0,
    timelineRows: 2 * commands,
    trajectoryInboxRows: 2 * commands,
    projected: commands,
    intakeInboxRows: 2 * commands,
    outOfOrderKeys: [],
  };
}

/** Writes a test's counts to .data/test-results/faults/<name>.json and the console. */
export function recordCounts(name: string, counts: Record<string, unknown>): void {
  const dir = path.join(__dirname, '../../../.data/test-results/faults');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(counts, null, 2));
  console.log(`fault test ${name}: ${JSON.stringify(counts)}`);
}

/** Resolves when the child exited; the time it took from now, in ms. */
export async function exitTime(s: RunningService, timeoutMs: number): Promise<number> {
  const started = Date.now();
  if (s.process.exitCode !== null || s.process.signalCode !== null) return 0;
  await Promise.race([
    new Promise((r) => s.process.once('exit', r)),
    new Promise((r) => setTimeout(r, timeoutMs).unref()),
  ]);
  return Date.now() - started;
}

/** How long a service may take to become ready on a busy machine. */
export const START_MS = 180_000;

/** Starts services together; if one fails, stops the others before throwing (no orphans). */
export async function startAll(
  starts: ReadonlyArray<() => Promise<RunningService>>,
): Promise<RunningService[]> {
  const results = await Promise.allSettled(starts.map((s) => s()));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(
      results.map((r) => (r.status === 'fulfilled' ? stopService(r.value) : undefined)),
    );
    throw failed.reason;
  }
  return results.map((r) => (r as PromiseFulfilledResult<RunningService>).value);
}

/** Where a fault platform's two services keep their data (default: the shared test databases). */
export interface FaultDatabases {
  readonly trajectory: string;
  readonly intake: string;
}

/**
 * The two services every fault test runs: trajectory (commands, outbox, relay, its own timeline
 * consumer) and placement-intake (a consumer of trajectory's events), each its own process,
 * migrated, started and with the faults organisation registered. Construct it where `afterAll`
 * sees it, `start()` it in `beforeAll` (or in the test), `stop()` it in `afterAll`.
 * `ownDatabases`: the services get `databases` as DATABASE_URL (a throw-away server).
 */
export class FaultPlatform {
  readonly runId = randomUUID().slice(0, 8);
  trajectory: RunningService | undefined;
  intake: RunningService | undefined;
  private pids: (number | undefined)[] = [];

  constructor(
    private readonly ports: { readonly trajectory: number; readonly intake: number },
    readonly databases: FaultDatabases = {
      trajectory: databaseUrlFor('trajectory', { test: true }),
      intake: databaseUrlFor('placement-intake', { test: true }),
    },
    private readonly ownDatabases = false,
  ) {}

  /** Migrates and starts both services (together; no orphan if one fails), registers the organisation. */
  async start(): Promise<this> {
    const env = (url: string) => (this.ownDatabases ? { DATABASE_URL: url } : {});
    migrateService('trajectory', env(this.databases.trajectory));
    migrateService('placement-intake', env(this.databases.intake));
    [this.trajectory, this.intake] = await startAll([
      () =>
        startService('trajectory', this.ports.trajectory, this.runId, {
          env: env(this.databases.trajectory),
          readyTimeoutMs: START_MS,
        }),
      () => this.startIntakeProcess(),
    ]);
    this.pids = [this.trajectory.process.pid, this.intake.process.pid];
    await registerOrganisations(
      this.trajectory,
      [{ id: FAULTS_ORGANISATION, kind: 'zvh' }],
      this.databases.trajectory,
    );
    return this;
  }

  private startIntakeProcess(): Promise<RunningService> {
    return startService('placement-intake', this.ports.intake, this.runId, {
      env: this.ownDatabases ? { DATABASE_URL: this.databases.intake } : {},
      readyTimeoutMs: START_MS,
    });
  }

  /** A new placement-intake process in the same consumer group (after the old one was killed). */
  async restartIntake(): Promise<RunningService> {
    this.intake = await this.startIntakeProcess();
    this.pids[1] = this.intake.process.pid;
    return this.intake;
  }

  /** The delivery check of the acknowledged commands `ids` (see deliveryReport). */
  report(ids: readonly string[]): Promise<DeliveryReport> {
    return deliveryReport({
      trajectoryDbUrl: this.databases.trajectory,
      intakeDbUrl: this.databases.intake,
      ids,
      runId: this.runId,
    });
  }

  /** Per service (trajectory, placement-intake): still the process started (no exit, no restart). */
  stillRunning(): [boolean, boolean] {
    return [stillRunning(this.trajectory, this.pids[0]), stillRunning(this.intake, this.pids[1])];
  }

  /** Output lines of either service that look like a crash (CRASH_SIGNS). */
  crashSigns(): string[] {
    return [this.trajectory, this.intake].flatMap((s) =>
      s ? CRASH_SIGNS.filter((sign) => sign.test(s.output())).map(String) : [],
    );
  }

  async stop(): Promise<void> {
    await Promise.all([stopService(this.trajectory), stopService(this.intake)]);
  }
}
