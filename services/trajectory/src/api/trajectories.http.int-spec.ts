import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mintDevToken } from '@ketenlink/auth';
import { validatePayload } from '@ketenlink/contracts';
import { configureHttpEdge } from '@ketenlink/http';
import { databaseUrlFor } from '@ketenlink/persistence';
import { openTestDatabase } from '@ketenlink/testing';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { TRAJECTORY_MIGRATIONS } from '../infrastructure/migrations';

/**
 * The HTTP edge of the trajectory service against its real (test) database: every refused
 * request answers 4xx problem+json and leaves no row and no outbox event behind.
 */
let app: INestApplication;
let ds: DataSource;
const token = (org: string, roles: string[], ttlSeconds = 600) =>
  mintDevToken({ sub: 'int-user', org, roles: roles as never, ttlSeconds });

beforeAll(async () => {
  process.env.DATABASE_URL = databaseUrlFor('trajectory', { test: true });
  ds = await openTestDatabase({ service: 'trajectory', migrations: TRAJECTORY_MIGRATIONS });
  // Imported after DATABASE_URL is set: the module reads it when it is defined.
  const { TrajectoryAppModule } = await import('../app.module');
  app = await NestFactory.create(TrajectoryAppModule, { logger: false });
  configureHttpEdge(app, { title: 'trajectory (test)', version: 'test' });
  await app.init();
});

afterAll(async () => {
  await app?.close();
  await ds?.destroy();
});

async function counts(): Promise<{ trajectories: number; outbox: number }> {
  const [t] = await ds.query('SELECT count(*)::int AS n FROM trajectories');
  const [o] = await ds.query('SELECT count(*)::int AS n FROM outbox');
  return { trajectories: t.n, outbox: o.n };
}

function expectProblem(res: request.Response, status: number, type: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    type: expect.stringMatching(type),
    title: expect.any(String),
  });
  expect(JSON.stringify(res.body)).not.toMatch(/at .+\.ts:\d+/); // no stack traces
}

describe('POST /trajectories and GET /trajectories/:id (real PostgreSQL)', () => {
  let openedId: string;

  it('opens a trajectory for the caller organisation: one row, one contract-valid event in the outbox', async () => {
    const res = await request(app.getHttpServer())
      .post('/trajectories')
      .set('authorization', `Bearer ${await token('org-zvh-a', ['zvh-coordinator'])}`)
      .send({ region: 'Midden-Nederland' });
    expect(res.status).toBe(201);
    openedId = res.body.id;
    expect(res.body).toMatchObject({
      openedBy: { organisationId: 'org-zvh-a', role: 'coordinator' },
    });
    const [row] = await ds.query('SELECT type, aggregateid, payload, headers FROM outbox');
    expect(row).toMatchObject({ type: 'nl.ketenlink.trajectory.opened.v1', aggregateid: openedId });
    expect(validatePayload(row.type, row.payload)).toEqual({ ok: true });
    expect(row.headers).toMatchObject({
      specversion: '1.0',
      source: 'trajectory',
      subject: openedId,
    });
    expect(await counts()).toEqual({ trajectories: 1, outbox: 1 });
  });

  it.each([
    ['an unknown field', { region: 'Utrecht', bsn: '123456782' }, /validation-error$/],
    ['a wrong type', { region: 42 }, /validation-error$/],
    ['a value outside the rules', { region: '<script>' }, /validation-error$/],
  ])(
    'refuses %s with 400 problem+json, storing and emitting nothing',
    async (_what, body, type) => {
      const before = await counts();
      const res = await request(app.getHttpServer())
        .post('/trajectories')
        .set('authorization', `Bearer ${await token('org-zvh-a', ['zvh-coordinator'])}`)
        .send(body);
      expectProblem(res, 400, type);
      expect(await counts()).toEqual(before);
    },
  );

  it('refuses malformed JSON with 400 problem+json', async () => {
    const before = await counts();
    const res = await request(app.getHttpServer())
      .post('/trajectories')
      .set('authorization', `Bearer ${await token('org-zvh-a', ['zvh-coordinator'])}`)
      .set('content-type', 'application/json')
      .send('{"region": ');
    expectProblem(res, 400, /malformed-json$/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a missing or expired token (401) and a wrong role (403), storing nothing', async () => {
    const before = await counts();
    const server = app.getHttpServer();
    const none = await request(server).post('/trajectories').send({});
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expectProblem(none, 401, /./);
    const expired = await request(server)
      .post('/trajectories')
      .set('authorization', `Bearer ${await token('org-zvh-a', ['zvh-coordinator'], -60)}`)
      .send({});
    expectProblem(expired, 401, /./);
    const forged = await request(server)
      .post('/trajectories')
      .set('authorization', 'Bearer abc.def.ghi')
      .send({});
    expectProblem(forged, 401, /./);
    const wrongRole = await request(server)
      .post('/trajectories')
      .set('authorization', `Bearer ${await token('org-reclassering', ['probation-officer'])}`)
      .send({});
    expectProblem(wrongRole, 403, /./);
    expect(await counts()).toEqual(before);
  });

  it('shows a trajectory to its own organisation only: another organisation gets 404 problem+json', async () => {
    const own = await request(app.getHttpServer())
      .get(`/trajectories/${openedId}`)
      .set('authorization', `Bearer ${await token('org-zvh-a', ['zvh-coordinator'])}`);
    expect(own.status).toBe(200);
    expect(own.body.id).toBe(openedId);
    const other = await request(app.getHttpServer())
      .get(`/trajectories/${openedId}`)
      .set('authorization', `Bearer ${await token('org-other', ['coordinator'])}`);
    expectProblem(other, 404, /trajectory-not-found$/);
    expect(JSON.stringify(other.body)).not.toContain('Midden-Nederland');
  });

  it('refuses a malformed id with 400', async () => {
    const res = await request(app.getHttpServer())
      .get('/trajectories/not-a-uuid')
      .set('authorization', `Bearer ${await token('org-zvh-a', ['zvh-coordinator'])}`);
    expectProblem(res, 400, /./);
  });
});
