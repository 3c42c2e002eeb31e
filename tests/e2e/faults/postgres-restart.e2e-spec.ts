import { randomUUID } from 'node:crypto';
import { databaseNameFor } from '@ketenlink/persistence';
import {
  createDatabases,
  startThrowawayPostgres,
  waitFor,
  type ThrowawayPostgres,
} from '@ketenlink/testing';
import {
  migrateService,
  startService,
  stopService,
  type RunningService,
  registerOrganisations,
} from '../../support/platform';
import {
  commandStream,
  coordinatorToken,
  CRASH_SIGNS,
  deliveryReport,
  expectedDelivery,
  readiness,
  recordCounts,
  START_MS,
  startAll,
  stillRunning,
  waitForDelivery,
  FAULTS_ORGANISATION,
} from './harness';

/**
 * Fault (b): PostgreSQL restarted while both services take commands, relay and consume. Both
 * services' databases live on a throw-away PostgreSQL server of this test's own (never the
 * shared one). While it is away every command gets a 503 problem+json with Retry-After — not a
 * dropped connection — and readiness says PostgreSQL is down; no process exits; afterwards
 * every acknowledged command's events reach both consumers once, in order per key.
 */
describe('fault: PostgreSQL restarted during HTTP, relay and consumer work', () => {
  const runId = randomUUID().slice(0, 8);
  let pg: ThrowawayPostgres | undefined;
  let trajectory: RunningService | undefined;
  let intake: RunningService | undefined;
  let stream: ReturnType<typeof commandStream> | undefined;
  let urls: { trajectory: string; intake: string };

  beforeAll(async () => {
    pg = await startThrowawayPostgres(`faults-${runId}`);
    const names = {
      trajectory: databaseNameFor('trajectory', true),
      intake: databaseNameFor('placement-intake', true),
    };
    await createDatabases(pg.baseUrl, [names.trajectory, names.intake]);
    urls = {
      trajectory: `${pg.baseUrl}/${names.trajectory}`,
      intake: `${pg.baseUrl}/${names.intake}`,
    };
    migrateService('trajectory', { DATABASE_URL: urls.trajectory });
    migrateService('placement-intake', { DATABASE_URL: urls.intake });
    [trajectory, intake] = await startAll([
      () =>
        startService('trajectory', 13111, runId, {
          env: { DATABASE_URL: urls.trajectory },
          readyTimeoutMs: START_MS,
        }),
      () =>
        startService('placement-intake', 13112, runId, {
          env: { DATABASE_URL: urls.intake },
          readyTimeoutMs: START_MS,
        }),
    ]);
    await registerOrganisations(
      trajectory!,
      [{ id: FAULTS_ORGANISATION, kind: 'zvh' }],
      urls.trajectory,
    );
  }, 400_000);

  afterAll(async () => {
    await stream?.stop(); // a failed test must not leave its command loop running
    await Promise.all([stopService(trajectory), stopService(intake)]);
    await pg?.destroy();
  }, 120_000);

  it('answers 503 problem+json while it is away, no process exits, nothing is lost', async () => {
    const pids = [trajectory!.process.pid, intake!.process.pid];
    const token = await coordinatorToken();
    const cmds = commandStream(trajectory!.url, token, { intervalMs: 250 });
    stream = cmds;
    const read = () =>
      deliveryReport({
        trajectoryDbUrl: urls.trajectory,
        intakeDbUrl: urls.intake,
        ids: cmds.answers.flatMap((a) => (a.kind === 'acked' ? [a.id] : [])),
        runId,
      });
    // Relay and consumers are busy: some events consumed, more commands coming.
    await waitFor(async () => cmds.answers.length >= 30 && (await read()).timelineRows > 0, {
      timeoutMs: 120_000,
      what: 'commands flowing through relay and consumers',
    });

    await pg!.stop(); // fast shutdown: open sessions get 57P01, new ones are refused
    const atStop = cmds.answers.length;
    const unavailableSince = () =>
      cmds.answers.slice(atStop).filter((a) => a.kind === 'unavailable').length;
    await waitFor(() => unavailableSince() >= 5, {
      timeoutMs: 30_000,
      what: '5 commands answered while PostgreSQL is down',
    });
    const during = await readiness(trajectory!.url);
    await pg!.start();
    const atStart = cmds.answers.length;
    await waitFor(
      () => cmds.answers.slice(atStart).filter((a) => a.kind === 'acked').length >= 20,
      { timeoutMs: 120_000, what: '20 commands acknowledged after the restart' },
    );
    const result = await cmds.stop();
    const report = await waitForDelivery(read);
    const unavailable = result.answers.filter((a) => a.kind === 'unavailable');
    recordCounts('postgres-restart', {
      sent: result.answers.length,
      acked: result.acked.length,
      unavailable: result.unavailable,
      failures: result.failures,
      readinessDuringOutage: during,
      ...report,
    });

    expect(result.failures).toEqual([]); // no dropped connection, no 500, every 503 problem+json
    expect(result.unavailable).toBeGreaterThanOrEqual(5);
    for (const a of unavailable) expect(a).toMatchObject({ problemJson: true, retryAfter: '5' });
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({
      status: 'error',
      error: { postgres: { status: 'down' } },
    });
    expect(report).toMatchObject(expectedDelivery(result.acked.length));
    expect([stillRunning(trajectory, pids[0]), stillRunning(intake, pids[1])]).toEqual([
      true,
      true,
    ]);
    for (const s of [trajectory!, intake!]) {
      for (const sign of CRASH_SIGNS) expect(s.output()).not.toMatch(sign);
    }
    await waitFor(async () => (await readiness(trajectory!.url)).status === 200, {
      timeoutMs: 30_000,
      what: 'readiness 200 again',
    });
  }, 600_000);
});
