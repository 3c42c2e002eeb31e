import { kafkaControl, waitFor } from '@ketenlink/testing';
import {
  commandStream,
  coordinatorToken,
  expectedDelivery,
  FaultPlatform,
  readiness,
  recordCounts,
  waitForDelivery,
} from './harness';

const OUTAGE_MS = 30_000;

/**
 * Fault (a): Kafka stopped for 30 s under a steady stream of commands, then started. Commands
 * keep getting 201 (the outbox holds their events), readiness stays 200 and says Kafka is down;
 * once Kafka is back every acknowledged command's events reach both consumers once, in order
 * per key, and no process exited or was restarted.
 */
describe('fault: Kafka stopped for 30 s under a steady stream of commands', () => {
  const kafka = kafkaControl();
  const platform = new FaultPlatform({ trajectory: 13101, intake: 13102 });
  let kafkaStopped = false;
  let stream: ReturnType<typeof commandStream> | undefined;

  beforeAll(async () => {
    await platform.start();
  }, 400_000);

  afterAll(async () => {
    await stream?.stop(); // a failed test must not leave its command loop running
    if (kafkaStopped) await kafka.start();
    await platform.stop();
  }, 400_000);

  it('accepts every command during the outage and delivers all their events after it', async () => {
    const trajectory = platform.trajectory!;
    const token = await coordinatorToken();
    const cmds = commandStream(trajectory.url, token, { intervalMs: 500 });
    stream = cmds;
    await waitFor(() => cmds.answers.length >= 10, {
      timeoutMs: 90_000,
      what: '10 commands before the outage',
    });

    await kafka.stop();
    kafkaStopped = true;
    const stoppedAt = Date.now();
    const during = await waitFor(
      async () => {
        const r = await readiness(trajectory.url);
        const details = (r.body as { details: Record<string, { status: string }> }).details;
        return details.kafka?.status === 'degraded' ? r : undefined;
      },
      { timeoutMs: 15_000, what: 'readiness to report Kafka down' },
    );
    const atStop = cmds.answers.length;
    // The outage lasts 30 s of wall time while the stream runs (a duration, not a sync point).
    await waitFor(() => Date.now() - stoppedAt >= OUTAGE_MS, {
      timeoutMs: OUTAGE_MS + 10_000,
      intervalMs: 500,
      what: 'the 30 s outage',
    });
    const duringOutage = cmds.answers.length - atStop;
    await kafka.start();
    kafkaStopped = false;
    const atStart = cmds.answers.length;
    await waitFor(() => cmds.answers.length >= atStart + 10, {
      timeoutMs: 90_000,
      what: '10 commands after Kafka is back',
    });
    const result = await cmds.stop();

    const report = await waitForDelivery(() => platform.report(result.acked));
    recordCounts('kafka-outage', {
      sent: result.answers.length,
      acked: result.acked.length,
      sentDuringOutage: duringOutage,
      failures: result.failures.length,
      readinessDuringOutage: during,
      ...report,
    });

    expect(result.failures).toEqual([]);
    expect(result.unavailable).toBe(0);
    expect(duringOutage).toBeGreaterThanOrEqual(10); // a steady stream, on a busy 2-core box
    expect(during.status).toBe(200);
    expect(during.body).toMatchObject({
      status: 'degraded',
      details: {
        postgres: { status: 'up' },
        kafka: { status: 'degraded', state: 'down' },
      },
    });
    expect(report).toMatchObject(expectedDelivery(result.acked.length));
    expect(platform.stillRunning()).toEqual([true, true]);
    expect(platform.crashSigns()).toEqual([]);
    // Recovered: readiness is back to ok.
    await waitFor(
      async () => ((await readiness(trajectory.url)).body as { status: string }).status === 'ok',
      { timeoutMs: 60_000, what: 'readiness ok again' },
    );
  }, 900_000);
});
