import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  HealthController,
  HealthModule,
  PUBLIC_ROUTE_KEY,
  ReadinessChecks,
  runCheck,
  type HealthModuleOptions,
} from './health';
import { MetricsRegistry } from './metrics';

async function app(module: ReturnType<typeof HealthModule.forRoot>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const nest = moduleRef.createNestApplication({ logger: false });
  await nest.init();
  return nest;
}

const up = async (): Promise<void> => {};
const refused = async (): Promise<never> => {
  throw new Error('connect ECONNREFUSED 10.0.0.7:9092');
};

describe('HealthModule (on @nestjs/terminus)', () => {
  let nest: INestApplication | undefined;
  afterEach(async () => {
    await nest?.close();
    nest = undefined;
  });

  const ready = (options: HealthModuleOptions) =>
    app(HealthModule.forRoot(options)).then((n) => {
      nest = n;
      return request(n.getHttpServer()).get('/health/ready');
    });

  it('answers liveness without running checks', async () => {
    const check = jest.fn(refused);
    nest = await app(HealthModule.forRoot({ checks: { postgres: check } }));
    await request(nest.getHttpServer())
      .get('/health/live')
      .expect(200, { status: 'ok', info: {}, error: {}, details: {} });
    expect(check).not.toHaveBeenCalled();
  });

  it('is ready (200, ok) when every check passes, with the state a check reports', async () => {
    const res = await ready({
      checks: { postgres: up },
      degradingChecks: { kafka: up, consumer: () => ({ state: 'running' }) },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      info: {
        postgres: { status: 'up' },
        kafka: { status: 'up' },
        consumer: { status: 'up', state: 'running' },
      },
      error: {},
      details: {
        postgres: { status: 'up' },
        kafka: { status: 'up' },
        consumer: { status: 'up', state: 'running' },
      },
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('stays ready (200, degraded) with Kafka and the consumer down, and says so', async () => {
    const res = await ready({
      checks: { postgres: up },
      degradingChecks: {
        kafka: refused,
        consumer: () => ({ status: 'down', state: 'connecting' }),
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.details).toEqual({
      postgres: { status: 'up' },
      kafka: { status: 'degraded', state: 'down' },
      consumer: { status: 'degraded', state: 'connecting' },
    });
    expect(JSON.stringify(res.body)).not.toContain('10.0.0.7');
  });

  it('is not ready (503, error) when PostgreSQL fails or times out, without the reasons', async () => {
    const res = await ready({
      timeoutMs: 50,
      checks: { postgres: refused, zipkin: () => new Promise(() => {}) },
      degradingChecks: { kafka: up },
    });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      status: 'error',
      info: { kafka: { status: 'up' } },
      error: { postgres: { status: 'down' }, zipkin: { status: 'down' } },
      details: {
        postgres: { status: 'down' },
        zipkin: { status: 'down' },
        kafka: { status: 'up' },
      },
    });
    expect(JSON.stringify(res.body)).not.toContain('10.0.0.7');
  });

  it('takes checks registered at run time', async () => {
    nest = await app(HealthModule.forRoot({ checks: { postgres: up } }));
    nest.get(ReadinessChecks).register('kafka', refused, { critical: false });
    const res = await request(nest.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body.details.kafka).toEqual({ status: 'degraded', state: 'down' });
  });

  it('says shutting_down (503) once the application shuts down, liveness stays 200', async () => {
    nest = await app(HealthModule.forRoot({ checks: { postgres: up } }));
    const server = nest.getHttpServer();
    // terminus flips to shutting_down in beforeApplicationShutdown, as app.close() calls it.
    await (
      nest as unknown as { callBeforeShutdownHook(signal?: string): Promise<void> }
    ).callBeforeShutdownHook('SIGTERM');
    const res = await request(server).get('/health/ready').expect(503);
    expect(res.body.status).toBe('shutting_down');
    await request(server).get('/health/live').expect(200);
  });

  it('serves the registry as Prometheus text on /metrics', async () => {
    const registry = new MetricsRegistry();
    registry.gauge('ketenlink_outbox_backlog', 'Backlog').set(4);
    nest = await app(HealthModule.forRoot({ registry }));
    const res = await request(nest.getHttpServer()).get('/metrics').expect(200);
    // Express reorders the parameters; both are what Prometheus expects.
    expect(res.headers['content-type']).toMatch(/^text\/plain;/);
    expect(res.headers['content-type']).toContain('version=0.0.4');
    expect(res.text).toContain('\nketenlink_outbox_backlog 4\n');
  });

  it('builds checks from injected dependencies with forRootAsync', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        HealthModule.forRootAsync({
          useFactory: () => ({ checks: { db: async () => Promise.reject(new Error('down')) } }),
        }),
      ],
    }).compile();
    nest = moduleRef.createNestApplication({ logger: false });
    await nest.init();
    await request(nest.getHttpServer()).get('/health/ready').expect(503);
  });

  it('marks the controller and its routes public for the global auth guard', () => {
    // Shared with @ketenlink/auth's @Public(); changing it makes the probes need a token.
    expect(PUBLIC_ROUTE_KEY).toBe('ketenlink:public');
    expect(Reflect.getMetadata(PUBLIC_ROUTE_KEY, HealthController)).toBe(true);
    for (const route of ['live', 'ready', 'metrics'] as const) {
      expect(Reflect.getMetadata(PUBLIC_ROUTE_KEY, HealthController.prototype[route])).toBe(true);
    }
  });

  it('counts a synchronously throwing check as down and keeps only flat safe data', async () => {
    const outcome = await runCheck(() => {
      throw new Error('sync');
    }, 100);
    expect(outcome).toEqual({ up: false, data: {}, reason: 'sync' });
    expect(await runCheck(() => ({ state: 'running', nested: { x: 1 } }), 100)).toEqual({
      up: true,
      data: { state: 'running' },
    });
    expect(await runCheck(() => new Error('an error object is not data'), 100)).toEqual({
      up: true,
      data: {},
    });
  });
});
