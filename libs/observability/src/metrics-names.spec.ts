import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HealthModule } from './health';
import { metrics } from './metrics';

/**
 * Dashboards and alerts read these. Listed from the hand-written registry this library had
 * before it moved onto prom-client (commit 2e23577, libs/observability/src/metrics.ts): every
 * name, type, help text and label set must still be served on GET /metrics. Change one only
 * with a migration plan for the dashboards that read it.
 */
const PLATFORM_METRICS = [
  {
    name: 'ketenlink_outbox_backlog',
    type: 'gauge',
    help: 'Outbox rows not yet published to Kafka',
    labels: [],
  },
  {
    name: 'ketenlink_outbox_oldest_age_seconds',
    type: 'gauge',
    help: 'Age in seconds of the oldest unpublished outbox row',
    labels: [],
  },
  {
    name: 'ketenlink_consumer_lag',
    type: 'gauge',
    help: 'Messages not yet consumed (high watermark - committed offset)',
    labels: ['group', 'topic', 'partition'],
  },
  {
    name: 'ketenlink_dead_letters_total',
    type: 'counter',
    help: 'Events sent to a dead-letter topic',
    labels: ['group', 'reason'],
  },
  {
    name: 'ketenlink_events_published_total',
    type: 'counter',
    help: 'Events published to Kafka',
    labels: ['topic', 'type'],
  },
  {
    name: 'ketenlink_events_consumed_total',
    type: 'counter',
    help: 'Events consumed and committed',
    labels: ['group', 'topic', 'type'],
  },
  {
    name: 'ketenlink_partner_deliveries_total',
    type: 'counter',
    help: 'Deliveries to partners by outcome',
    labels: ['partner', 'outcome'],
  },
] as const;

interface Exposition {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/** Just enough of the Prometheus text format 0.0.4 to read our own output back. */
function parse(text: string): Exposition {
  const out: Exposition = { help: new Map(), type: new Map(), samples: [] };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      (meta[1] === 'HELP' ? out.help : out.type).set(meta[2]!, meta[3]!);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a Prometheus line: ${line}`);
    const labels: Record<string, string> = {};
    for (const m of (sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[m[1]!] = m[2]!;
    }
    out.samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return out;
}

describe('platform metric names on GET /metrics', () => {
  let nest: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [HealthModule.forRoot()],
    }).compile();
    nest = moduleRef.createNestApplication({ logger: false });
    await nest.init();
  });

  afterAll(async () => {
    await nest.close();
  });

  it('the shared `metrics` object defines exactly the listed metrics', () => {
    expect(Object.keys(metrics)).toHaveLength(PLATFORM_METRICS.length);
  });

  it('serves every metric with its type, help text and labels', async () => {
    metrics.outboxBacklog.set(4);
    metrics.outboxOldestAgeSeconds.set(1.5);
    metrics.consumerLag.set({ group: 'g', topic: 't', partition: 0 }, 7);
    metrics.deadLetters.inc({ group: 'g', reason: 'schema-invalid' });
    metrics.eventsPublished.inc({ topic: 't', type: 'x' });
    metrics.eventsConsumed.inc({ group: 'g', topic: 't', type: 'x' });
    metrics.partnerDeliveries.inc({ partner: 'p', outcome: 'delivered' });

    const res = await request(nest.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;/);
    expect(res.headers['content-type']).toContain('version=0.0.4');
    const exposition = parse(res.text);

    for (const { name, type, help, labels } of PLATFORM_METRICS) {
      expect({ name, type: exposition.type.get(name), help: exposition.help.get(name) }).toEqual({
        name,
        type,
        help,
      });
      const samples = exposition.samples.filter((s) => s.name === name);
      expect(samples.length).toBeGreaterThan(0);
      for (const s of samples) expect(Object.keys(s.labels).sort()).toEqual([...labels].sort());
    }
    metrics.consumerLag.reset();
    metrics.deadLetters.reset();
    metrics.eventsPublished.reset();
    metrics.eventsConsumed.reset();
    metrics.partnerDeliveries.reset();
  });
});
