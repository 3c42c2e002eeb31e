import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HealthController, HealthModule, PUBLIC_ROUTE_KEY, runReadinessChecks } from './health';
import { MetricsRegistry } from './metrics';

async function app(module: ReturnType<typeof HealthModule.forRoot>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const nest = moduleRef.createNestApplication({ logger: false });
  await nest.init();
  return nest;
}

describe('HealthModule', () => {
  let nest: INestApplication | undefined;
  afterEach(async () => {
    await nest?.close();
    nest = undefined;
  });

  it('answers liveness without running checks', async () => {
    const check = jest.fn(async () => {
      throw new Error('never called');
    });
    nest = await app(HealthModule.forRoot({ checks: { postgres: check } }));
    await request(nest.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
    expect(check).not.toHaveBeenCalled();
  });

  it('is ready (200) when every check passes', async () => {
    nest = await app(
      HealthModule.forRoot({ checks: { postgres: async () => {}, kafka: async () => {} } }),
    );
    const res = await request(nest.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { postgres: 'up', kafka: 'up' } });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('is not ready (503) naming failing and timed-out checks, without their reasons', async () => {
    nest = await app(
      HealthModule.forRoot({
        timeoutMs: 50,
        checks: {
          postgres: async () => {},
          kafka: async () => {
            throw new Error('connect ECONNREFUSED 10.0.0.7:9092');
          },
          zipkin: () => new Promise(() => {}),
        },
      }),
    );
    const res = await request(nest.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body).toEqual({
      status: 'unavailable',
      checks: { postgres: 'up', kafka: 'down', zipkin: 'down' },
    });
    expect(JSON.stringify(res.body)).not.toContain('10.0.0.7');
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

  it('counts a synchronously throwing check as down', async () => {
    const { report, failures } = await runReadinessChecks({
      sync: () => {
        throw new Error('sync');
      },
    });
    expect(report).toEqual({ status: 'unavailable', checks: { sync: 'down' } });
    expect(failures).toEqual({ sync: 'sync' });
  });
});
