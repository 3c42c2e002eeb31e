import { mintDevToken } from '@ketenlink/auth';
import { validatePayload } from '@ketenlink/contracts';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import {
  expectProblem,
  kindFor,
  startTrajectoryTestApp,
  type TrajectoryTestApp,
} from '../test-support/harness';

/**
 * The HTTP edge of the trajectory service against its real (test) database: every refused
 * request answers 4xx problem+json and leaves no row and no outbox event behind.
 */
let t: TrajectoryTestApp;
let ds: DataSource;
/** A token for `org`, registered in the organisation registry first. */
const token = async (org: string, roles: string[], ttlSeconds = 600) => {
  await t.register(org, kindFor(org, roles));
  return mintDevToken({ sub: 'int-user', org, roles: roles as never, ttlSeconds });
};

beforeAll(async () => {
  t = await startTrajectoryTestApp();
  ds = t.ds;
});

afterAll(async () => {
  await t?.close();
});

async function counts(): Promise<{ trajectories: number; outbox: number }> {
  const [tr] = await ds.query('SELECT count(*)::int AS n FROM trajectories');
  const [o] = await ds.query('SELECT count(*)::int AS n FROM outbox');
  return { trajectories: tr.n, outbox: o.n };
}

describe('POST /trajectories and GET /trajectories/:id (real PostgreSQL)', () => {
  let openedId: string;

  it('opens a trajectory for the caller organisation: one row, contract-valid events in the outbox', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/trajectories')
      .set('authorization', `Bearer ${await token('org-zvh-a', ['zvh-coordinator'])}`)
      .send({ region: 'Midden-Nederland' });
    expect(res.status).toBe(201);
    openedId = res.body.id;
    expect(res.body).toMatchObject({
      openedBy: { organisationId: 'org-zvh-a', role: 'coordinator' },
    });
    const rows = await ds.query(
      'SELECT type, aggregateid, payload, headers FROM outbox ORDER BY seq',
    );
    expect(rows.map((r: { type: string }) => r.type)).toEqual([
      'nl.ketenlink.trajectory.opened.v1',
      'nl.ketenlink.trajectory.participant-joined.v1',
    ]);
    const row = rows[0];
    expect(row).toMatchObject({ aggregateid: openedId });
    expect(validatePayload(row.type, row.payload)).toEqual({ ok: true });
    expect(row.headers).toMatchObject({
      specversion: '1.0',
      source: 'trajectory',
      subject: openedId,
    });
    expect(await counts()).toEqual({ trajectories: 1, outbox: 2 });
  });

  it.each([
    ['an unknown field', { region: 'Utrecht', bsn: '123456782' }, /validation-error$/],
    ['a wrong type', { region: 42 }, /validation-error$/],
    ['a value outside the rules', { region: '<script>' }, /validation-error$/],
  ])(
    'refuses %s with 400 problem+json, storing and emitting nothing',
    async (_what, body, type) => {
      const before = await counts();
      const res = await request(t.app.getHttpServer())
        .post('/trajectories')
        .set('authorization', `Bearer ${await token('org-zvh-a', ['zvh-coordinator'])}`)
        .send(body);
      expectProblem(res, 400, type);
      expect(await counts()).toEqual(before);
    },
  );

  it('refuses malformed JSON with 400 problem+json', async () => {
    const before = await counts();
    const res = await request(t.app.getHttpServer())
      .post('/trajectories')
      .set('authorization', `Bearer ${await token('org-zvh-a', ['zvh-coordinator'])}`)
      .set('content-type', 'application/json')
      .send('{"region": ');
    expectProblem(res, 400, /malformed-json$/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a missing or expired token (401) and a wrong role (403), storing nothing', async () => {
    const before = await counts();
    const server = t.app.getHttpServer();
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
    const own = await request(t.app.getHttpServer())
      .get(`/trajectories/${openedId}`)
      .set('authorization', `Bearer ${await token('org-zvh-a', ['zvh-coordinator'])}`);
    expect(own.status).toBe(200);
    expect(own.body.id).toBe(openedId);
    const other = await request(t.app.getHttpServer())
      .get(`/trajectories/${openedId}`)
      .set('authorization', `Bearer ${await token('org-other', ['coordinator'])}`);
    expectProblem(other, 404, /trajectory-not-found$/);
    expect(JSON.stringify(other.body)).not.toContain('Midden-Nederland');
  });

  it('refuses a malformed id with 400', async () => {
    const res = await request(t.app.getHttpServer())
      .get('/trajectories/not-a-uuid')
      .set('authorization', `Bearer ${await token('org-zvh-a', ['zvh-coordinator'])}`);
    expectProblem(res, 400, /./);
  });
});
