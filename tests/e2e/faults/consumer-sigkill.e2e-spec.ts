import { waitFor } from '@ketenlink/testing';
import { Client } from 'pg';
import {
  coordinatorToken,
  expectedDelivery,
  FaultPlatform,
  openTrajectory,
  recordCounts,
  waitForDelivery,
} from './harness';

/**
 * Fault (c): the placement-intake consumer SIGKILLed in the middle of an inbox transaction.
 * To be sure it is mid-transaction, the test holds a SHARE lock on its projection table: the
 * consumer's transaction inserts its inbox row, then waits on the lock (seen in
 * pg_stat_activity) — and is killed there. A new process of the same group must then apply
 * every event exactly once in effect (projection and inbox rows), in order per key.
 */
describe('fault: a consumer SIGKILLed mid-transaction', () => {
  const platform = new FaultPlatform({ trajectory: 13121, intake: 13122 });
  const lock = new Client({ connectionString: platform.databases.intake });
  const acked: string[] = [];
  const report = () => platform.report(acked);

  beforeAll(async () => {
    await platform.start();
    await lock.connect();
  }, 400_000);

  afterAll(async () => {
    await lock.end().catch(() => undefined);
    await platform.stop();
  }, 120_000);

  it('redelivers the killed transaction and applies every event once', async () => {
    const trajectory = platform.trajectory!;
    const intake = platform.intake!;
    const token = await coordinatorToken();
    const post = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const a = await openTrajectory(trajectory.url, token);
        if (a.kind !== 'acked') throw new Error(`command failed: ${JSON.stringify(a)}`);
        acked.push(a.id);
      }
    };
    await post(5);
    // A new group replays the topics from the beginning first (minutes on a long local history).
    await waitFor(async () => (await report()).projected === 5, {
      timeoutMs: 300_000,
      what: 'the first 5 projected',
    });

    await lock.query('BEGIN');
    await lock.query('LOCK TABLE facts_trajectories IN SHARE MODE');
    await post(10);
    const blocked = await waitFor(
      async () => {
        const r = await lock.query<{ pid: number; xact: boolean }>(
          `SELECT pid, backend_xid IS NOT NULL AS xact FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'ketenlink-placement-intake'
              AND wait_event_type = 'Lock' AND state = 'active'`,
        );
        return r.rows[0];
      },
      { timeoutMs: 120_000, what: "the consumer's transaction waiting on the lock" },
    );
    intake.process.kill('SIGKILL');
    await new Promise((r) => intake.process.once('exit', r));
    await lock.query('ROLLBACK');
    // The killed session's transaction never commits: PostgreSQL rolls it back once it finds
    // the client gone.
    await waitFor(
      async () =>
        (await lock.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [blocked.pid]))
          .rowCount === 0,
      { timeoutMs: 30_000, what: 'the killed backend to end' },
    );
    const afterKill = await report();

    await platform.restartIntake(); // same group
    await post(5);
    const final = await waitForDelivery(report);
    recordCounts('consumer-sigkill', {
      acked: acked.length,
      blockedBackendHadTransaction: blocked.xact,
      projectedWhenKilled: afterKill.projected,
      intakeInboxWhenKilled: afterKill.intakeInboxRows,
      ...final,
    });

    expect(blocked.xact).toBe(true); // it had written (its inbox row) inside the transaction
    expect(afterKill.projected).toBe(5); // nothing of the killed transaction committed
    expect(final).toMatchObject(expectedDelivery(acked.length));
    expect(platform.stillRunning()[0]).toBe(true);
  }, 900_000);
});
