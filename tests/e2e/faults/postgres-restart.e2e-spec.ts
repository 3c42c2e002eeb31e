import { randomUUID } from 'node:crypto';
import { databaseNameFor } from '@ketenlink/persistence';
import {
  createDatabases,
  startThrowawayPostgres,
  waitFor,
  type ThrowawayPostgres,
} from '@ketenlink/testing';
import {
  commandStream,
  coordinatorToken,
  expectedDelivery,
  FaultPlatform,
  readiness,
  recordCounts,
  waitForDelivery,
} from './harness';

/**
 * Fault (b): PostgreSQL restarted while both services take commands, relay and consume. Both
 * services' databases live on a throw-away PostgreSQL server of this test's own (never the
 * shared one). While it is away every command gets a 503 problem+json with Retry-After — not a
 * dropped connection — and readiness says PostgreSQL is down; no process exits; afterwards
 * every acknowledged command's events reach both consumers once, in order per key.
 */
describe('fault: PostgreSQL restarted during HTTP, relay and consumer work', () => {
  let pg: ThrowawayPostgres | undefined;
  let platform: FaultPlatform | undefined;
  let stream: ReturnType<typeof commandStream> | undefined;

  beforeAll(async () => {
    pg = await startThrowawayPostgres(`faults-${randomUUID().slice(0, 8)}`);
    const names = {
      trajectory: databaseNameFor('trajectory', true),
      intake: databaseNameFor('placement-intake', true),
    };
    await createDatabases(pg.baseUrl, [names.trajectory, names.intake]);
    platform = new FaultPlatform(
      { trajectory: 13111, intake: 13112 },
      {
        trajectory: `${pg.baseUrl}/${names.trajectory}`,
        intake: `${pg.baseUrl}/${names.intake}`,
      },
      true,
    );
    await platform.start();
  }, 400_000);

  afterAll(async () => {
    await stream?.stop(); // a failed test must not leave its command loop running
    await platform?.stop();
    await pg?.destroy();
  }, 120_000);

  it('answers 503 problem+json while it is away, no process exits, nothing is lost', async () => {
    const trajectory = platform!.trajectory!;
    const token = await coordinatorToken();
    const cmds = commandStream(trajectory.url, token, { intervalMs: 250 });
    stream = cmds;
    const read = () =>
      platform!.report(cmds.answers.flatMap((a) => (a.kind === 'acked' ? [a.id] : [])));
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
    const during = await readiness(trajectory.url);
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
    expect(platform!.stillRunning()).toEqual([true, true]);
    expect(platform!.crashSigns()).toEqual([]);
    await waitFor(async () => (await readiness(trajectory.url)).status === 200, {
      timeoutMs: 30_000,
      what: 'readiness 200 again',
    });
  }, 600_000);
});
