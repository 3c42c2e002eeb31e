import { kafkaControl, waitFor } from '@ketenlink/testing';
import {
  coordinatorToken,
  expectedDelivery,
  exitTime,
  FaultPlatform,
  openTrajectory,
  readiness,
  recordCounts,
  waitForDelivery,
  type Answer,
} from './harness';

/** KETENLINK_SHUTDOWN_TIMEOUT_MS default; the services exit by then whatever hangs. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Fault (d): services started while Kafka is down migrate, listen and answer POST 201; readiness
 * is 200 `degraded` and says Kafka and the consumer are down; once Kafka starts their relay and
 * consumer connect without a restart and the events arrive. Then, with Kafka down again and the
 * relay holding unsent rows, SIGTERM ends each process within the shutdown deadline.
 */
describe('fault: a service started while Kafka is down', () => {
  const kafka = kafkaControl();
  const platform = new FaultPlatform({ trajectory: 13131, intake: 13132 });
  let kafkaStopped = false;

  afterAll(async () => {
    if (kafkaStopped) await kafka.start();
    await platform.stop();
  }, 400_000);

  it('starts, answers 201, delivers after Kafka starts; SIGTERM with Kafka down exits in time', async () => {
    await kafka.stop();
    kafkaStopped = true;
    await platform.start();
    const trajectory = platform.trajectory!;
    const intake = platform.intake!;
    const startedReadiness = await readiness(trajectory.url);
    const token = await coordinatorToken();
    const answers: Answer[] = [];
    for (let i = 0; i < 20; i++) answers.push(await openTrajectory(trajectory.url, token));
    const acked = answers.flatMap((a) => (a.kind === 'acked' ? [a.id] : []));

    await kafka.start();
    kafkaStopped = false;
    const report = await waitForDelivery(() => platform.report(acked));
    const recovered = await waitFor(
      async () => {
        const r = await readiness(trajectory.url);
        return (r.body as { status: string }).status === 'ok' ? r : undefined;
      },
      { timeoutMs: 60_000, what: 'readiness ok once Kafka is back' },
    );
    const running = platform.stillRunning();

    // Kafka down again with rows waiting in the outbox: the relay's batch cannot be sent.
    await kafka.stop();
    kafkaStopped = true;
    for (let i = 0; i < 5; i++) await openTrajectory(trajectory.url, token);
    const [trajectoryExitMs, intakeExitMs] = await Promise.all(
      [trajectory, intake].map((s) => {
        s.process.kill('SIGTERM');
        return exitTime(s, SHUTDOWN_DEADLINE_MS + 10_000);
      }),
    );
    recordCounts('start-without-kafka', {
      sent: answers.length,
      acked: acked.length,
      readinessAtStart: startedReadiness,
      readinessRecovered: recovered,
      trajectoryExitMs,
      intakeExitMs,
      ...report,
    });

    expect(answers.filter((a) => a.kind !== 'acked')).toEqual([]);
    expect(startedReadiness.status).toBe(200);
    expect(startedReadiness.body).toMatchObject({
      status: 'degraded',
      details: {
        postgres: { status: 'up' },
        kafka: { status: 'degraded', state: 'down' },
        consumer: { status: 'degraded', state: 'connecting' },
      },
    });
    expect(report).toMatchObject(expectedDelivery(acked.length));
    expect(running).toEqual([true, true]);
    expect(recovered.body).toMatchObject({ details: { consumer: { state: 'running' } } });
    // Within the deadline (+ 2 s for the process to start exiting and the OS to reap it).
    expect(trajectoryExitMs).toBeLessThanOrEqual(SHUTDOWN_DEADLINE_MS + 2_000);
    expect(intakeExitMs).toBeLessThanOrEqual(SHUTDOWN_DEADLINE_MS + 2_000);
  }, 900_000);
});
