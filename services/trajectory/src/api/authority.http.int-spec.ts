import { mintDevToken } from '@ketenlink/auth';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import {
  type Client,
  counts,
  expectProblem,
  startTrajectoryTestApp,
  type TrajectoryTestApp,
} from '../test-support/harness';

/**
 * Issue 10 "Nobody widens their own entitlement", findings 1, 2, 6, 7, 8 and 9 as an attacker
 * would try them over HTTP on the real (test) database: each refusal answers 403/409/422
 * problem+json, stores nothing, and (for commands) is written to the access log.
 */
let t: TrajectoryTestApp;
let ds: DataSource;
let zvh: Client; // case lead (opener)
let id: string;
const BSN = '111222333';

beforeAll(async () => {
  t = await startTrajectoryTestApp();
  ds = t.ds;
  zvh = await t.as('zvh-utrecht', ['zvh-coordinator']);
  await t.register('fz-de-brug', 'care-provider');
  await t.register('reclassering-midden', 'probation-service');
  await t.register('dji-plaatsing', 'placing-authority');
  await t.register('zvh-amsterdam', 'zvh');
  const res = await zvh.post('/trajectories', {
    region: 'Utrecht',
    client: { bsn: BSN, name: 'Jan de Vries', dateOfBirth: '1990-04-12' },
  });
  expect(res.status).toBe(201);
  id = res.body.id;
  for (const [organisationId, role] of [
    ['dji-plaatsing', 'referrer'],
    ['fz-de-brug', 'provider'],
    ['reclassering-midden', 'probation'],
  ]) {
    const joined = await zvh.post(`/trajectories/${id}/participants`, {
      organisationId,
      role,
      from: '2026-01-01',
    });
    expect(joined.status).toBe(201);
  }
});

afterAll(async () => {
  await t?.close();
});

/** Refused with `status`/`type`, no table changed, and (when `logged`) a denied log row. */
async function expectRefused(
  send: () => Promise<request.Response>,
  status: number,
  type: RegExp,
  logged?: string,
): Promise<request.Response> {
  const before = await counts(ds);
  const [{ n: deniedBefore }] = (await ds.query(
    `SELECT count(*)::int AS n FROM access_log WHERE outcome = 'denied'`,
  )) as { n: number }[];
  const res = await send();
  expectProblem(res, status, type);
  expect(await counts(ds)).toEqual(before);
  if (logged) {
    const rows = (await ds.query(
      `SELECT resource, reason FROM access_log WHERE outcome = 'denied' ORDER BY id OFFSET $1`,
      [deniedBefore],
    )) as { resource: string; reason: string }[];
    expect(rows).toContainEqual({ resource: logged, reason: expect.any(String) });
  }
  return res;
}

const identityConsentFor = (org: string, patch: object = {}) => ({
  recipient: { kind: 'organisation', id: org },
  categories: ['identity', 'medical', 'risk', 'title-and-conditions'],
  purpose: 'x',
  legalBasis: 'consent',
  onWordOf: 'client',
  evidenceReference: 'form 1',
  ...patch,
});

describe('finding 1: self-granted consent never reaches the BSN', () => {
  it('a referrer cannot record consent for itself (403, logged), and still gets no identity', async () => {
    const referrer = await t.as('dji-plaatsing', ['coordinator']);
    expectProblem(await referrer.get(`/trajectories/${id}/identity`), 403, /not-permitted$/);
    await expectRefused(
      () => referrer.post(`/trajectories/${id}/consents`, identityConsentFor('dji-plaatsing')),
      403,
      /recipient-cannot-record$/,
      'command:record-consent',
    );
    const again = await referrer.get(`/trajectories/${id}/identity`);
    expectProblem(again, 403, /not-permitted$/);
    expect(JSON.stringify(again.body)).not.toContain(BSN);
  });

  it('a recorder shares only what it holds: the referrer cannot grant medical to another', async () => {
    const referrer = await t.as('dji-plaatsing', ['coordinator']);
    const res = await expectRefused(
      () => referrer.post(`/trajectories/${id}/consents`, identityConsentFor('fz-de-brug')),
      403,
      /recorder-does-not-hold-data$/,
      'command:record-consent',
    );
    expect(res.body.errors.map((e: { message: string }) => e.message)).toEqual(
      expect.arrayContaining(['not held: identity', 'not held: medical']),
    );
  });

  it("an organisation records on the client's word only with an evidence reference", async () => {
    const res = await expectRefused(
      () =>
        zvh.post(
          `/trajectories/${id}/consents`,
          identityConsentFor('fz-de-brug', {
            categories: ['identity'],
            evidenceReference: undefined,
          }),
        ),
      422,
      /invalid-consent$/,
    );
    expect(res.body.errors).toEqual([
      { pointer: '', message: expect.stringMatching(/^evidenceReference/) },
    ]);
  });

  it('covenant records only by a participating ZVH, naming the covenant', async () => {
    const provider = await t.as('fz-de-brug', ['coordinator']);
    const covenant = {
      recipient: { kind: 'organisation', id: 'reclassering-midden' },
      categories: ['participation'],
      purpose: 'case meeting',
      legalBasis: 'covenant',
      onWordOf: 'covenant',
      covenant: 'Convenant ZVH Utrecht 2025',
    };
    await expectRefused(
      () => provider.post(`/trajectories/${id}/consents`, covenant),
      403,
      /covenant-by-zvh-only$/,
      'command:record-consent',
    );
    await expectRefused(
      () => zvh.post(`/trajectories/${id}/consents`, { ...covenant, covenant: undefined }),
      422,
      /invalid-consent$/,
    );
    expect((await zvh.post(`/trajectories/${id}/consents`, covenant)).status).toBe(201);
  });
});

describe('finding 2: no self-made provider; the case lead adds participants; roles fit kinds', () => {
  it('the ZVH (case lead) cannot add itself as provider', async () => {
    await expectRefused(
      () =>
        zvh.post(`/trajectories/${id}/participants`, {
          organisationId: 'zvh-utrecht',
          role: 'provider',
          from: '2026-02-01',
        }),
      403,
      /cannot-add-itself$/,
      'command:join',
    );
  });

  it('a role must fit the kind: a ZVH is never a provider; an unregistered organisation never joins', async () => {
    await expectRefused(
      () =>
        zvh.post(`/trajectories/${id}/participants`, {
          organisationId: 'zvh-amsterdam',
          role: 'provider',
          from: '2026-02-01',
        }),
      403,
      /role-does-not-fit-organisation$/,
    );
    await expectRefused(
      () =>
        zvh.post(`/trajectories/${id}/participants`, {
          organisationId: 'nobody-knows-us',
          role: 'provider',
          from: '2026-02-01',
        }),
      403,
      /organisation-not-registered$/,
    );
  });

  it('only the case lead adds or ends others; the case lead hands over to a participant', async () => {
    const probation = await t.as('reclassering-midden', ['probation-officer']);
    await expectRefused(
      () =>
        probation.post(`/trajectories/${id}/participants`, {
          organisationId: 'zvh-amsterdam',
          role: 'zvh',
          from: '2026-02-01',
        }),
      403,
      /not-case-lead$/,
      'command:join',
    );
    await expectRefused(
      () => zvh.post(`/trajectories/${id}/case-lead`, { organisationId: 'zvh-amsterdam' }),
      409,
      /case-lead-must-participate$/,
    );
    const handed = await zvh.post(`/trajectories/${id}/case-lead`, {
      organisationId: 'reclassering-midden',
    });
    expect(handed.status).toBe(200);
    expect(handed.body.events).toEqual(['nl.ketenlink.trajectory.case-lead-transferred.v1']);
    // Now probation adds (and the ZVH no longer can); the one added is told by the event.
    const added = await probation.post(`/trajectories/${id}/participants`, {
      organisationId: 'zvh-amsterdam',
      role: 'zvh',
      from: '2026-02-01',
    });
    expect(added.status).toBe(201);
    const [told] = (await ds.query(
      `SELECT payload FROM outbox WHERE type = 'nl.ketenlink.trajectory.participant-joined.v1'
       AND payload::text LIKE '%zvh-amsterdam%'`,
    )) as { payload: unknown }[];
    expect(told).toBeDefined();
    await expectRefused(
      () =>
        zvh.post(`/trajectories/${id}/participants`, {
          organisationId: 'fz-de-brug',
          role: 'receiving-provider',
          from: '2026-03-01',
        }),
      403,
      /not-case-lead$/,
    );
    // Back to the ZVH for the tests below.
    expect(
      (await probation.post(`/trajectories/${id}/case-lead`, { organisationId: 'zvh-utrecht' }))
        .status,
    ).toBe(200);
  });
});

describe('finding 6: withdrawal works forward, by the client, the recorder or on the client’s word', () => {
  let recordId: string;
  beforeAll(async () => {
    const res = await zvh.post(`/trajectories/${id}/consents`, {
      recipient: { kind: 'organisation', id: 'fz-de-brug' },
      categories: ['identity'],
      purpose: 'intake',
      legalBasis: 'consent',
      onWordOf: 'client',
      evidenceReference: 'form 7',
      validFrom: '2026-12-01T00:00:00Z',
    });
    expect(res.status).toBe(201);
    recordId = res.body.id;
  });

  it("refuses a withdrawal dated before the record's start (422), storing nothing", async () => {
    await expectRefused(
      () =>
        zvh.post(`/trajectories/${id}/consents/${recordId}/revoke`, {
          revokedAt: '2026-01-01T00:00:00Z',
        }),
      422,
      /withdrawal-before-start$/,
      'command:revoke-consent',
    );
  });

  it('refuses another case manager without the client’s word (403)', async () => {
    const probation = await t.as('reclassering-midden', ['probation-officer']);
    await expectRefused(
      () => probation.post(`/trajectories/${id}/consents/${recordId}/revoke`, {}),
      403,
      /not-recorder$/,
      'command:revoke-consent',
    );
    const onWord = await probation.post(`/trajectories/${id}/consents/${recordId}/revoke`, {
      onWordOf: 'client',
    });
    expect(onWord.status).toBe(200);
  });
});

describe('finding 7: the end of the title ends probation’s legal duty', () => {
  it('probation reads titles while the title runs; from its end on it does not, still participating', async () => {
    const probation = await t.as('reclassering-midden', ['probation-officer']);
    const reg = await zvh.post(`/trajectories/${id}/titles`, {
      kind: 'conditional-release',
      startDate: '2026-01-01',
      expectedEndDate: '2027-06-01',
    });
    expect(reg.status).toBe(201);
    expect((await probation.get(`/trajectories/${id}/titles`)).status).toBe(200);
    const ended = await zvh.post(`/trajectories/${id}/titles/${reg.body.id}/end`, {
      endedOn: '2026-02-01',
      reason: 'ended-early-hearing',
    });
    expect(ended.status).toBe(200);
    expectProblem(
      await probation.get(`/trajectories/${id}/titles`),
      403,
      /category-not-permitted$/,
    );
    expect((await probation.get(`/trajectories/${id}/participants`)).status).toBe(200);
    // No retraction: ending a title emits title.ended, never consent.revoked.
    expect(ended.body.events).toEqual(['nl.ketenlink.title.ended.v1']);
  });

  it('probation cannot revive its own duty by registering a new title itself', async () => {
    const probation = await t.as('reclassering-midden', ['probation-officer']);
    await expectRefused(
      () =>
        probation.post(`/trajectories/${id}/titles`, {
          kind: 'other',
          startDate: '2026-03-01',
          expectedEndDate: '2027-03-01',
        }),
      403,
      /widens-own-entitlement$/,
      'command:register-title',
    );
  });
});

describe('finding 8: no token lives longer than the cap', () => {
  it('refuses a 100-year token (401)', async () => {
    const token = await mintDevToken({
      sub: 'x',
      org: 'zvh-utrecht',
      roles: ['zvh-coordinator'],
      ttlSeconds: 100 * 365 * 86400,
    });
    const res = await request(t.app.getHttpServer())
      .get(`/trajectories/${id}`)
      .set('authorization', `Bearer ${token}`);
    expectProblem(res, 401, /unauthorized$/);
  });
});

describe('finding 9: the client and relatives read their own views', () => {
  it('the client sees his whole trajectory in plain language; logged with basis data-subject', async () => {
    const client = await t.asPerson('client', id);
    const res = await client.get('/me/trajectory');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      trajectoryId: id,
      youAre: 'client',
      firstPointOfContact: 'Test organisation zvh-utrecht',
      withheld: [],
    });
    expect(res.body.organisations).toContainEqual(
      expect.objectContaining({ name: 'Test organisation fz-de-brug' }),
    );
    expect(res.body.legalTitles).toHaveLength(1);
    const [log] = (await ds.query(
      `SELECT outcome, legal_bases FROM access_log WHERE resource = 'own-view' ORDER BY id DESC LIMIT 1`,
    )) as { outcome: string; legal_bases: Record<string, string> }[];
    expect(log!.outcome).toBe('disclosed');
    expect(log!.legal_bases['title-and-conditions']).toMatch(/^data-subject/);
  });

  it('a relative gets general information without consent, titles only with it; the client decides', async () => {
    const relative = await t.asPerson('relative', id);
    const client = await t.asPerson('client', id);
    const before = await relative.get('/me/trajectory');
    expect(before.status).toBe(200);
    expect(before.body.firstPointOfContact).toBe('Test organisation zvh-utrecht');
    expect(before.body).not.toHaveProperty('legalTitles');
    expect(before.body.withheld).toEqual(
      expect.arrayContaining(['legalTitles', 'organisations', 'consents']),
    );
    const granted = await client.post('/me/trajectory/consents', {
      recipient: { kind: 'class', id: 'relatives' },
      categories: ['title-and-conditions'],
      purpose: 'My mother may know my conditions',
      legalBasis: 'consent',
      onWordOf: 'client',
    });
    expect(granted.status).toBe(201);
    expect((await relative.get('/me/trajectory')).body.legalTitles).toHaveLength(1);
    const withdrawn = await client.post(`/me/trajectory/consents/${granted.body.id}/revoke`, {});
    expect(withdrawn.status).toBe(200);
    expect((await relative.get('/me/trajectory')).body).not.toHaveProperty('legalTitles');
  });

  it('relatives change nothing; the client only his own trajectory; organisations have no "me"', async () => {
    const relative = await t.asPerson('relative', id);
    const grant = {
      recipient: { kind: 'class', id: 'relatives' },
      categories: ['medical'],
      purpose: 'x',
      legalBasis: 'consent',
      onWordOf: 'client',
    };
    await expectRefused(() => relative.post('/me/trajectory/consents', grant), 403, /forbidden$/);
    const stranger = await t.asPerson('client', '00000000-0000-4000-8000-000000000000');
    expectProblem(await stranger.get('/me/trajectory'), 404, /trajectory-not-found$/);
    expectProblem(await zvh.get('/me/trajectory'), 403, /forbidden$/);
    // A client token passes no role check: the organisations' API stays closed to it.
    const client = await t.asPerson('client', id);
    expectProblem(await client.get(`/trajectories/${id}`), 403, /forbidden$/);
  });
});

describe('the organisation registry', () => {
  it('a token of an unregistered organisation gets 403, whatever its roles', async () => {
    const token = await mintDevToken({ sub: 'x', org: 'not-registered', roles: ['coordinator'] });
    const res = await request(t.app.getHttpServer())
      .post('/trajectories')
      .set('authorization', `Bearer ${token}`)
      .send({});
    expectProblem(res, 403, /forbidden$/);
    expect(JSON.stringify(res.body)).toMatch(/not registered/);
  });

  it('an organisation past its active period gets 403', async () => {
    await t.register('fz-gesloten', 'care-provider', '2025-12-31');
    const gone = await t.as('fz-gesloten', ['coordinator']);
    expectProblem(await gone.get(`/trajectories/${id}`), 403, /forbidden$/);
  });

  it('registry administrators register and change entries; the change is an event', async () => {
    const admin = await t.as('ketenlink', ['registry-admin']);
    const entry = {
      id: 'gemeente-utrecht',
      kind: 'municipality',
      name: 'Gemeente Utrecht',
      identifiers: { oin: '00000001002220647000' },
      activeFrom: '2025-01-01',
    };
    expect((await admin.post('/organisations', entry)).status).toBe(201);
    expectProblem(await admin.post('/organisations', entry), 409, /organisation-exists$/);
    expectProblem(
      await admin.post('/organisations', { ...entry, id: 'x', identifiers: { oin: '12' } }),
      400,
      /validation-error$/,
    );
    const { id: _omit, ...rest } = entry;
    const changed = await admin.put('/organisations/gemeente-utrecht', {
      ...rest,
      activeUntil: '2030-12-31',
    });
    expect(changed.status).toBe(200);
    const events = (await ds.query(
      `SELECT type AS event_type FROM outbox WHERE aggregateid = 'gemeente-utrecht' ORDER BY seq`,
    )) as { event_type: string }[];
    expect(events.map((e) => e.event_type)).toEqual([
      'nl.ketenlink.organisation.registered.v1',
      'nl.ketenlink.organisation.changed.v1',
    ]);
    expectProblem(await zvh.post('/organisations', { ...entry, id: 'y' }), 403, /forbidden$/);
  });
});
