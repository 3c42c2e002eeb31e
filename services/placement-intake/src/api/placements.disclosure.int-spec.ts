import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { mintDevToken } from '@ketenlink/auth';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { calendarDate } from '@ketenlink/dates';
import { deliverFact, register, startPlacementIntakeTestApp } from '../test-support/facts';

/**
 * Issue 10 findings 3, 4 and 5 against the real service and database: every read of a placement
 * goes through the disclosure gate (ADR 0020). Each of these failed before the gate: the
 * addressed provider read the file for ever, a party that had left still read it, a referrer
 * user of the provider got the provider view and an operator token got title and medication;
 * no read left an access-log row; an opener that had left could still refer.
 */
const REFERRER = 'pi-vught';
const PROVIDER = 'fz-de-brug';
let app: INestApplication;
let ds: DataSource;

const token = (org: string, roles: string[]) =>
  mintDevToken({
    sub: `int-${org}-${roles.join('+')}`,
    org,
    roles: roles as never,
    ttlSeconds: 600,
  });
const asReferrer = () => token(REFERRER, ['referrer']);
const asOfficer = (org = PROVIDER) => token(org, ['placement-officer']);

beforeAll(async () => {
  ({ app, ds } = await startPlacementIntakeTestApp());
  await register(app, [REFERRER, 'placing-authority'], [PROVIDER, 'care-provider']);
});

afterAll(async () => {
  await app?.close();
  await ds?.destroy();
});

async function deliver(_trajectoryId: string, type: string, data: object): Promise<void> {
  await deliverFact(app, `nl.ketenlink.trajectory.${type}.v1` as never, data as never);
}

const join = (trajectoryId: string, organisationId: string, role = 'referrer') =>
  deliver(trajectoryId, 'participant-joined', {
    trajectoryId,
    organisationId,
    role,
    from: calendarDate(new Date()),
  });
const leave = (trajectoryId: string, organisationId: string, role = 'referrer') =>
  deliver(trajectoryId, 'participant-left', {
    trajectoryId,
    organisationId,
    role,
    at: new Date().toISOString(),
  });

/** A trajectory opened by `opener`, which joins it as a referrer (as the trajectory service does). */
async function trajectory(opener = REFERRER): Promise<string> {
  const id = randomUUID();
  await deliver(id, 'opened', {
    trajectoryId: id,
    openedAt: new Date().toISOString(),
    openedBy: { organisationId: opener, role: 'referrer' },
  });
  await join(id, opener);
  return id;
}

const requestBody = (trajectoryId: string, providerOrganisationId = PROVIDER) => ({
  trajectoryId,
  providerOrganisationId,
  referrerKind: 'pi-case-manager',
  title: { kind: 'conditional-release', startDate: '2026-01-01', expectedEndDate: '2028-06-30' },
  offenceCategory: 'arson',
  activeSubstanceUse: true,
  needs: ['housing', 'addiction-care'],
  urgency: 'regular',
  medicationNotes: 'clozapine 200 mg, blood tests monthly',
  documents: [{ kind: 'probation-advice', reference: 'dossier/advies-1' }],
});

async function post(path: string, jwt: Promise<string>, body: object = {}) {
  return request(app.getHttpServer())
    .post(path)
    .set('authorization', `Bearer ${await jwt}`)
    .send(body);
}
async function get(path: string, jwt: Promise<string>) {
  return request(app.getHttpServer())
    .get(path)
    .set('authorization', `Bearer ${await jwt}`);
}

async function referral(trajectoryId: string, provider = PROVIDER): Promise<string> {
  const res = await post('/placements', asReferrer(), requestBody(trajectoryId, provider));
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const CLIENT_DATA = [
  'title',
  'offenceCategory',
  'activeSubstanceUse',
  'needs',
  'medicationNotes',
  'crucialInformation',
];
const logRows = (trajectoryId: string) =>
  ds.query(
    `SELECT organisation_id, roles, resource, outcome, categories, legal_bases, reason
       FROM access_log WHERE trajectory_id = $1 ORDER BY id`,
    [trajectoryId],
  ) as Promise<
    {
      organisation_id: string;
      roles: string[];
      resource: string;
      outcome: string;
      categories: string[];
      legal_bases: Record<string, string>;
    }[]
  >;

describe('finding 3: a referral is a time-bounded disclosure to the addressed provider only', () => {
  it('any well-formed provider id: that provider reads the file’s categories while the referral is in force, nothing after the refusal; others get 404', async () => {
    const t = await trajectory();
    const anyProvider = `fz-${randomUUID().slice(0, 8)}`;
    await register(app, [anyProvider, 'care-provider'], ['fz-unaddressed', 'care-provider']);
    const id = await referral(t, anyProvider);

    const read = await get(`/placements/${id}`, asOfficer(anyProvider));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      offenceCategory: 'arson',
      needs: ['housing', 'addiction-care'],
      // medical: the referral discloses it to the addressed provider
      medicationNotes: 'clozapine 200 mg, blood tests monthly',
    });
    const rows = await logRows(t);
    const providerRead = rows.filter((r) => r.organisation_id === anyProvider);
    expect(providerRead).toEqual([
      expect.objectContaining({ resource: 'placement', outcome: 'disclosed' }),
    ]);
    // The basis per category names the referral's disclosure record.
    expect(providerRead[0]!.legal_bases.risk).toBe(`legal-duty (disclosure-record:referral ${id})`);
    expect(providerRead[0]!.categories).not.toContain('identity');

    expect((await get(`/placements/${id}`, asOfficer('fz-unaddressed'))).status).toBe(404);

    const refused = await post(`/placements/${id}/refuse`, asOfficer(anyProvider), {
      reasonCode: 'no-capacity',
    });
    expect(refused.status).toBe(200);
    const after = await get(`/placements/${id}`, asOfficer(anyProvider));
    expect(after.status).toBe(404);
    expect(JSON.stringify(after.body)).not.toMatch(/arson|conditional-release/);
    expect((await get('/placements', asOfficer(anyProvider))).body).toEqual([]);
    expect((await logRows(t)).at(-1)).toMatchObject({
      organisation_id: anyProvider,
      outcome: 'denied',
    });
  });

  it('the referrer keeps what a referrer is entitled to (participation and metadata): no title, offence or needs', async () => {
    const t = await trajectory();
    const res = await post('/placements', asReferrer(), requestBody(t));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'requested', providerOrganisationId: PROVIDER });
    for (const field of CLIENT_DATA) expect(res.body).not.toHaveProperty(field);
    expect(res.body.withheld).toEqual(
      expect.arrayContaining(['offenceCategory', 'needs', 'medicationNotes']),
    );
  });
});

describe('finding 4: nothing after leaving; every read logged; a departed opener cannot refer', () => {
  it('after the referrer and the provider left the trajectory, GET /placements/:id is 404 for both', async () => {
    const t = await trajectory();
    const id = await referral(t);
    await join(t, PROVIDER, 'provider');
    expect((await get(`/placements/${id}`, asOfficer())).status).toBe(200);
    expect((await get(`/placements/${id}`, asReferrer())).status).toBe(200);

    await leave(t, REFERRER);
    await leave(t, PROVIDER, 'provider');
    for (const jwt of [asReferrer(), asOfficer()]) {
      const res = await get(`/placements/${id}`, jwt);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toMatch(/arson|conditional-release|addiction/);
    }
    expect((await get(`/placements/${id}/candidates`, asOfficer())).status).toBe(404);
    const listed = (await get('/placements', asReferrer())).body as { id: string }[];
    expect(listed.map((p) => p.id)).not.toContain(id);
  });

  it('every read leaves an access-log row with the categories and the basis of each', async () => {
    const t = await trajectory();
    const id = await referral(t);
    await get(`/placements/${id}`, asReferrer());
    const rows = await logRows(t);
    const referrerRead = rows.filter((r) => r.organisation_id === REFERRER).at(-1)!;
    expect(referrerRead).toMatchObject({
      outcome: 'disclosed',
      roles: ['referrer'],
      categories: ['metadata', 'participation'],
      legal_bases: {
        metadata: 'legal-duty (role-default:referrer)',
        participation: 'legal-duty (role-default:referrer)',
      },
    });
    // The log is append-only.
    await expect(ds.query(`UPDATE access_log SET outcome = 'denied'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(ds.query(`DELETE FROM access_log`)).rejects.toThrow(/append-only/);
  });

  it('an opener that has left may not refer: 422 unknown trajectory, nothing stored', async () => {
    const t = await trajectory();
    await leave(t, REFERRER);
    const [{ n: before }] = await ds.query(`SELECT count(*)::int AS n FROM placements`);
    const res = await post('/placements', asReferrer(), requestBody(t));
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/unknown-trajectory$/);
    const [{ n: afterCount }] = await ds.query(`SELECT count(*)::int AS n FROM placements`);
    expect(afterCount).toBe(before);
    const [{ n: grants }] = await ds.query(
      `SELECT count(*)::int AS n FROM referral_disclosures WHERE trajectory_id = $1`,
      [t],
    );
    expect(grants).toBe(0);
  });
});

describe('finding 5: roles inside an organisation count; operator means metadata only', () => {
  let t: string;
  let id: string;
  beforeAll(async () => {
    t = await trajectory();
    id = await referral(t);
    const loc = await post('/locations', asOfficer(), {
      label: 'Huize Gate',
      forensicMix: 'spread',
      substancePolicy: 'use-tolerated',
      expertise: ['addiction'],
      capacity: 3,
      excludedOffenceCategories: [],
    });
    expect(
      (await post(`/placements/${id}/accept`, asOfficer(), { locationId: loc.body.id })).status,
    ).toBe(200);
    const intakeAt = new Date(Date.now() + 86_400_000).toISOString();
    expect(
      (await post(`/placements/${id}/intake`, asOfficer(), { scheduledFor: intakeAt })).status,
    ).toBe(200);
    const contact = await post(`/placements/${id}/first-contact`, asOfficer(), {
      at: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(contact.status).toBe(200);
    const info = await post(`/placements/${id}/crucial-information`, asOfficer(), {
      medication: 'clozapine 200 mg',
    });
    expect(info.status).toBe(200);
    expect(info.body.crucialInformation).toEqual({ medication: 'clozapine 200 mg' });
  });

  it('a referrer user of the provider organisation does not get the provider view', async () => {
    const res = await get(`/placements/${id}`, token(PROVIDER, ['referrer']));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toMatch(/clozapine|arson|conditional-release/);
    for (const field of CLIENT_DATA) expect(res.body).not.toHaveProperty(field);
  });

  it('a token with operator,placement-officer gets metadata only (no title, offence, medication); candidates 403', async () => {
    const jwt = () => token(PROVIDER, ['operator', 'placement-officer']);
    const res = await get(`/placements/${id}`, jwt());
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toMatch(/clozapine|arson|conditional-release|addiction/);
    for (const field of [...CLIENT_DATA, 'providerOrganisationId', 'intakeScheduledFor']) {
      expect(res.body).not.toHaveProperty(field);
    }
    expect(res.body).toMatchObject({ id, status: 'intake-scheduled' });
    const list = await get('/placements', jwt());
    expect(JSON.stringify(list.body)).not.toMatch(/clozapine|arson/);
    expect((await get(`/placements/${id}/candidates`, jwt())).status).toBe(403);
    const last = (await logRows(t)).at(-1)!;
    expect(last).toMatchObject({ outcome: 'denied', resource: 'placement-candidates' });
  });

  it('the placement officer of the provider still gets the provider view with crucial information', async () => {
    const res = await get(`/placements/${id}`, asOfficer());
    expect(res.body.crucialInformation).toEqual({ medication: 'clozapine 200 mg' });
    expect(res.body.offenceCategory).toBe('arson');
  });
});
