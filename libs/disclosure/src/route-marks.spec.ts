import 'reflect-metadata';
import { Controller, Get, type INestApplication, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DisclosureGate } from './gate';
import { DisclosesClientData, MetadataOnly, routesOf, ungatedRoutes } from './route-marks';

const facts = {
  trajectoryId: 't',
  participations: [{ organisationId: 'fz', role: 'provider' as const, from: new Date(0) }],
  consents: [],
};
const gate = new DisclosureGate({ record: async () => undefined });
const reader = { subject: 'u', organisationId: 'fz', roles: ['placement-officer'] };

@Controller('things')
class ThingsController {
  @Get(':id')
  @DisclosesClientData()
  gated() {
    return gate.disclose({ reader, facts, trajectoryId: 't', resource: 'thing' }, () => ({
      body: { medication: 'x' },
      categories: ['medical'],
    }));
  }

  /** Claims the gate but builds its answer itself. */
  @Get(':id/sneaky')
  @DisclosesClientData()
  sneaky() {
    return { medication: 'x' };
  }

  @Post()
  @MetadataOnly('answers the new id only')
  create() {
    return { id: 'n' };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

/** A new route added without the gate: what the per-service route tests must catch. */
@Controller('new')
class NewController {
  @Get()
  leak() {
    return { offenceCategory: 'arson' };
  }
}

@Module({ imports: [ThingsModule], controllers: [NewController] })
class AppWithNewRouteModule {}

describe('route enumeration: every route is gated or metadata-only with a reason', () => {
  it('reads every route of a module tree (imports and dynamic modules included)', () => {
    const dynamic = { module: class Dyn {}, controllers: [NewController] };
    @Module({ imports: [dynamic, ThingsModule] })
    class Root {}
    expect(routesOf(Root).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /new',
      'POST /things',
      'GET /things/:id',
      'GET /things/:id/sneaky',
    ]);
  });

  it('passes when every route is marked; fails for a new ungated route and for a stale allow-list entry', () => {
    expect(ungatedRoutes(routesOf(ThingsModule))).toEqual([]);
    expect(ungatedRoutes(routesOf(AppWithNewRouteModule))).toEqual([
      'GET /new (NewController.leak) is neither @DisclosesClientData() nor @MetadataOnly(reason)',
    ]);
    expect(
      ungatedRoutes(routesOf(AppWithNewRouteModule), { 'GET /new': 'liveness probe, no data' }),
    ).toEqual([]);
    expect(ungatedRoutes(routesOf(ThingsModule), { 'GET /gone': 'was a health route' })).toEqual([
      'allow-list entry GET /gone matches no route',
    ]);
    // A reason must say something.
    expect(ungatedRoutes(routesOf(AppWithNewRouteModule), { 'GET /new': 'ok' })).toHaveLength(1);
  });

  describe('at run time a gated route must answer what the gate returned', () => {
    let app: INestApplication;
    beforeAll(async () => {
      const m = await Test.createTestingModule({ imports: [ThingsModule] }).compile();
      app = m.createNestApplication({ logger: false });
      await app.init();
    });
    afterAll(() => app.close());

    it('gated answer → 200; an answer built around the gate → 500 with no data', async () => {
      const ok = await request(app.getHttpServer()).get('/things/1');
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ medication: 'x' });
      const sneaky = await request(app.getHttpServer()).get('/things/1/sneaky');
      expect(sneaky.status).toBe(500);
      expect(JSON.stringify(sneaky.body)).not.toContain('medication');
    });
  });
});
