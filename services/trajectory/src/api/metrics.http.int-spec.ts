import { waitFor } from '@ketenlink/testing';
import request from 'supertest';
import { startTrajectoryTestApp, type TrajectoryTestApp } from '../test-support/harness';

/**
 * The service's own GET /metrics (prom-client) after a real round trip: HTTP command → outbox →
 * relay → Kafka → this service's consumer. The relay's and the consumer's counters land on the
 * platform metric names dashboards read (libs/observability/src/metrics-names.spec.ts).
 */
let t: TrajectoryTestApp;

beforeAll(async () => {
  t = await startTrajectoryTestApp({ consumer: true });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const scrape = async (): Promise<string> => {
  const res = await request(t.app.getHttpServer()).get('/metrics').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
  return res.text;
};

const OPENED = 'nl.ketenlink.trajectory.opened.v1';

it('counts what the relay published and the consumer committed, and serves every platform metric', async () => {
  const zvh = await t.as('zvh-utrecht', ['zvh-coordinator']);
  expect((await zvh.post('/trajectories', { region: 'Utrecht' })).status).toBe(201);

  const consumed = new RegExp(
    `^ketenlink_events_consumed_total\\{group="[^"]*trajectory",topic="ketenlink\\.trajectory\\.v1",type="${OPENED.replace(/\./g, '\\.')}"\\} [1-9]`,
    'm',
  );
  await waitFor(async () => consumed.test(await scrape()), {
    timeoutMs: 60_000,
    intervalMs: 250,
    what: 'trajectory.opened to be counted as consumed on /metrics',
  });

  const text = await scrape();
  expect(text).toMatch(
    new RegExp(
      `^ketenlink_events_published_total\\{topic="ketenlink\\.trajectory\\.v1",type="${OPENED.replace(/\./g, '\\.')}"\\} [1-9]`,
      'm',
    ),
  );
  expect(text).toMatch(
    /^ketenlink_consumer_lag\{group="[^"]*trajectory",topic="ketenlink\.trajectory\.v1",partition="\d+"\} \d+$/m,
  );
  expect(text).toMatch(/^ketenlink_outbox_backlog \d+$/m);
  for (const name of [
    'ketenlink_outbox_backlog',
    'ketenlink_outbox_oldest_age_seconds',
    'ketenlink_consumer_lag',
    'ketenlink_dead_letters_total',
    'ketenlink_events_published_total',
    'ketenlink_events_consumed_total',
    'ketenlink_partner_deliveries_total',
  ]) {
    expect(text).toMatch(new RegExp(`^# TYPE ${name} (gauge|counter)$`, 'm'));
  }
  // Operational values only: no trajectory id, no region.
  expect(text).not.toContain('Utrecht');
});
