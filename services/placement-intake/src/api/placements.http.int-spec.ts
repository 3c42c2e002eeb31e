import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mintDevToken } from '@ketenlink/auth';
import { validatePayload } from '@ketenlink/contracts';
import { configureHttpEdge } from '@ketenlink/http';
import { CONTEXT_TOPICS, eachRecord, fromKafkaRecord, kafkaClients } from '@ketenlink/messaging';
import { databaseUrlFor } from '@ketenlink/persistence';
import { openTestDatabase, waitFor } from '@ketenlink/testing';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { DeadlineSweepService } from '../application/deadlines/deadline-sweep.service';
import { RequestPlacementService } from '../application/placements/request-placement.service';
import { calendarDate } from '@ketenlink/dates';
import { PLACEMENT_INTAKE_MIGRATIONS } from '../infrastructure/migrations';
import { deliverFact, register } from '../test-support/facts';

/**
 * Placement intake over HTTP against its real (test) database and the real Kafka: the happy path
 * emits its events in order on ketenlink.placement.v1, every refused request is a 4xx
 * problem+json that stores and emits nothing, and an illegal transition is a 409.
 */
const PROVIDER = 'fz-de-brug';
const REFERRER = 'reclassering-noord';
let app: INestApplication;
let ds: DataSource;
const kafka = kafkaClients({ clientId: 'placement-intake-int-spec' });

const token = (org: string, roles: string[]) =>
  mintDevToken({ sub: `int-${org}`, org, roles: roles as never, ttlSeconds: 600 });
const asReferrer = () => token(REFERRER, ['referrer']);
const asOfficer = (org = PROVIDER) => token(org, ['placement-officer']);

/**
 * A trajectory opened by `openedBy`, which takes part in it as the trajectory service says (from
 * today, or from `from`).
 */
async function knownTrajectory(openedBy = REFERRER, from?: string): Promise<string> {
  const id = randomUUID();
  await deliverFact(app, 'nl.ketenlink.trajectory.opened.v1', {
    trajectoryId: id,
    openedAt: new Date().toISOString(),
    openedBy: { organisationId: openedBy, role: 'referrer' },
  });
  await participation(id, openedBy, from ? { from } : {});
  return id;
}

/** Delivers trajectory.participant-joined (and -left) to the facts projection. */
async function participation(
  trajectoryId: string,
  organisationId: string,
  opts: { from?: string; leftAt?: string } = {},
): Promise<void> {
  await deliverFact(app, 'nl.ketenlink.trajectory.participant-joined.v1', {
    trajectoryId,
    organisationId,
    role: 'referrer',
    from: opts.from ?? calendarDate(new Date()),
  });
  if (opts.leftAt) {
    await deliverFact(app, 'nl.ketenlink.trajectory.participant-left.v1', {
      trajectoryId,
      organisationId,
      role: 'referrer',
      at: opts.leftAt,
    });
  }
}

beforeAll(async () => {
  process.env.DATABASE_URL = databaseUrlFor('placement-intake', { test: true });
  process.env.PLACEMENT_DEADLINE_SWEEP_INTERVAL_MS = '0'; // the tests sweep with a given `now`
  ds = await openTestDatabase({
    service: 'placement-intake',
    migrations: PLACEMENT_INTAKE_MIGRATIONS,
  });
  const { PlacementIntakeAppModule } = await import('../app.module');
  app = await NestFactory.create(PlacementIntakeAppModule, { logger: false });
  configureHttpEdge(app, { title: 'placement-intake (test)', version: 'test' });
  await app.init();
  await register(
    app,
    [REFERRER, 'probation-service'],
    ['reclassering-zuid', 'probation-service'],
    ['zvh-rotterdam', 'zvh'],
    [PROVIDER, 'care-provider'],
    ['fz-other', 'care-provider'],
  );
});

afterAll(async () => {
  await app?.close();
  await ds?.destroy();
});

async function counts() {
  const [r] = await ds.query(`SELECT
      (SELECT count(*)::int FROM placements) AS placements,
      (SELECT count(*)::int FROM locations) AS locations,
      (SELECT coalesce(sum(version), 0)::int FROM placements) AS placement_versions,
      (SELECT coalesce(sum(occupancy), 0)::int FROM locations) AS occupancy,
      (SELECT count(*)::int FROM outbox) AS outbox`);
  return r as Record<string, number>;
}

function expectProblem(res: request.Response, status: number, type?: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String) });
  if (type) expect(res.body.type).toMatch(type);
  expect(JSON.stringify(res.body)).not.toMatch(/at .+\.ts:\d+/);
}

const FULL_DOCS = [
  { kind: 'probation-advice', reference: 'dossier/advies-1' },
  {
    kind: 'risk-assessment',
    riskAssessment: {
      instrument: 'RISc',
      author: 'Reclassering advisor',
      assessedOn: '2026-10-01',
      setting: 'sheltered housing',
      validUntil: '2027-10-01',
    },
  },
  { kind: 'placement-letter' },
];

const requestBody = (trajectoryId: string, over: Record<string, unknown> = {}) => ({
  trajectoryId,
  providerOrganisationId: PROVIDER,
  referrerKind: 'probation',
  title: { kind: 'conditional-release', startDate: '2026-01-01', expectedEndDate: '2028-06-30' },
  offenceCategory: 'arson',
  activeSubstanceUse: true,
  needs: ['housing', 'addiction-care'],
  urgency: 'regular',
  djiPlacementReference: 'IFZO-2026-77',
  documents: FULL_DOCS.slice(0, 2),
  ...over,
});

const location = (over: Record<string, unknown> = {}) => ({
  label: 'Huize De Brug',
  forensicMix: 'spread',
  substancePolicy: 'use-tolerated',
  expertise: ['addiction'],
  capacity: 3,
  excludedOffenceCategories: ['sexual-against-minors'],
  ...over,
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

/** The placement events of one trajectory, read back from Kafka (fresh group, from the start). */
async function eventsOnKafka(subject: string, expected: number) {
  const seen: { type: string; data: unknown }[] = [];
  const consumer = kafka.consumer({ groupId: `placement-int-reader-${randomUUID()}` });
  await consumer.run({
    topics: [CONTEXT_TOPICS.placement],
    fromBeginning: true,
    onBatch: eachRecord(async (r) => {
      const e = fromKafkaRecord(r.key, r.value, r.headers);
      if (e.subject === subject) seen.push({ type: e.type, data: e.data });
    }),
  });
  try {
    await waitFor(() => seen.length >= expected, {
      timeoutMs: 60_000,
      what: `${expected} events for ${subject} on ${CONTEXT_TOPICS.placement}`,
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('placement intake over HTTP (real PostgreSQL and Kafka)', () => {
  let trajectoryId: string;
  let placementId: string;
  let locationId: string;
  let fullLocationId: string;

  it('registers locations of the officer’s own organisation; another organisation sees none of them', async () => {
    const a = await post('/locations', asOfficer(), location());
    expect(a.status).toBe(201);
    locationId = a.body.id;
    expect(a.body).toMatchObject({ providerOrganisationId: PROVIDER, occupancy: 0, freePlaces: 3 });
    const full = await post(
      '/locations',
      asOfficer(),
      location({ label: 'Vol Huis', capacity: 0 }),
    );
    fullLocationId = full.body.id;
    const other = await get(`/locations/${locationId}`, asOfficer('fz-other'));
    expectProblem(other, 404, /location-not-found$/);
    const update = await request(app.getHttpServer())
      .put(`/locations/${locationId}`)
      .set('authorization', `Bearer ${await asOfficer('fz-other')}`)
      .send(location({ capacity: 9 }));
    expectProblem(update, 404);
    expect((await get('/locations', asOfficer('fz-other'))).body).toEqual([]);
  });

  it('request → documents completed → accepted → intake scheduled → moved in, events in this order on Kafka', async () => {
    trajectoryId = await knownTrajectory();
    const req = await post('/placements', asReferrer(), requestBody(trajectoryId));
    expect(req.status).toBe(201);
    placementId = req.body.id;
    expect(req.body).toMatchObject({
      status: 'requested',
      referrerOrganisationId: REFERRER,
      missingDocuments: ['placement-letter'],
    });
    expect(req.body.answerDueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const docs = await post(`/placements/${placementId}/documents`, asReferrer(), {
      documents: [FULL_DOCS[2]],
    });
    expect(docs.status).toBe(200);
    expect(docs.body.missingDocuments).toEqual([]);
    expect(docs.body.answerDueOn <= req.body.answerDueOn).toBe(true);

    const candidates = await get(`/placements/${placementId}/candidates`, asOfficer());
    expect(candidates.status).toBe(200);
    expect(candidates.body.candidates.map((c: { locationId: string }) => c.locationId)).toEqual([
      locationId,
      fullLocationId,
    ]);
    expect(candidates.body.candidates[0]).toMatchObject({ eligible: true });
    expect(candidates.body.candidates[0].explanation).toContain(
      'forensic-mix: spread mix (preferred for this offence category) → +5',
    );
    expect(candidates.body.candidates[1]).toMatchObject({
      eligible: false,
      suggestedRefusalReason: 'no-capacity',
    });

    const accepted = await post(`/placements/${placementId}/accept`, asOfficer(), { locationId });
    expect(accepted.status).toBe(200);
    expect((await get(`/locations/${locationId}`, asOfficer())).body).toMatchObject({
      occupancy: 0,
      reserved: 1,
      freePlaces: 2,
    });
    const intakeAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const intake = await post(`/placements/${placementId}/intake`, asOfficer(), {
      scheduledFor: intakeAt,
    });
    expect(intake.body).toMatchObject({ status: 'intake-scheduled', intakeScheduledFor: intakeAt });
    const contact = await post(`/placements/${placementId}/first-contact`, asOfficer(), {
      at: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(contact.status).toBe(200);
    const moved = await post(`/placements/${placementId}/move-in`, asOfficer(), {});
    expect(moved.body).toMatchObject({ status: 'placed', locationId });
    expect((await get(`/locations/${locationId}`, asOfficer())).body).toMatchObject({
      occupancy: 1,
      reserved: 0,
      freePlaces: 2,
    });

    const outbox: { type: string; payload: unknown; aggregateid: string }[] = await ds.query(
      `SELECT type, payload, aggregateid FROM outbox WHERE aggregateid = $1 ORDER BY seq`,
      [trajectoryId],
    );
    const expectedTypes = [
      'nl.ketenlink.placement.requested.v1',
      'nl.ketenlink.placement.documents-completed.v1',
      'nl.ketenlink.placement.accepted.v1',
      'nl.ketenlink.intake.scheduled.v1',
      'nl.ketenlink.client.placed.v1',
    ];
    expect(outbox.map((r) => r.type)).toEqual(expectedTypes);

    const onKafka = await eventsOnKafka(trajectoryId, 5);
    expect(onKafka.map((e) => e.type)).toEqual(expectedTypes);
    for (const e of onKafka) expect(validatePayload(e.type, e.data)).toEqual({ ok: true });
    expect(onKafka[4]!.data).toEqual({
      trajectoryId,
      placementId,
      providerOrganisationId: PROVIDER,
      locationId,
      movedInAt: moved.body.movedInAt,
    });
    // No identity, and the requested event's title is there only as the contract allows.
    expect(JSON.stringify(onKafka)).not.toMatch(/bsn|dateOfBirth/i);
  });

  it('R-LOCATION: the location-level view lists residents but never their title', async () => {
    const res = await get(`/locations/${locationId}`, asOfficer());
    expect(res.status).toBe(200);
    expect(res.body.residents).toEqual([{ placementId, movedInAt: expect.any(String) }]);
    const body = JSON.stringify(res.body);
    for (const leak of [
      'conditional-release',
      '2028-06-30',
      'title',
      'IFZO-2026-77',
      'arson',
      trajectoryId,
    ]) {
      expect(body).not.toContain(leak);
    }
    const list = JSON.stringify((await get('/locations', asOfficer())).body);
    expect(list).not.toContain('conditional-release');
    expect(list).not.toContain('arson');
  });

  it('shows a placement to its referrer and provider only; medical information to the provider only', async () => {
    await post(`/placements/${placementId}/crucial-information`, asOfficer(), {
      medication: 'methadone 40 mg daily',
    });
    const provider = await get(`/placements/${placementId}`, asOfficer());
    expect(provider.body.crucialInformation).toEqual({ medication: 'methadone 40 mg daily' });
    const referrer = await get(`/placements/${placementId}`, asReferrer());
    expect(referrer.status).toBe(200);
    expect(referrer.body.crucialInformation).toBeUndefined();
    expect(referrer.body.crucialInformationRecordedAt).toEqual(expect.any(String));
    expectProblem(
      await get(`/placements/${placementId}`, asOfficer('fz-other')),
      404,
      /placement-not-found$/,
    );
    expectProblem(
      await get(`/placements/${placementId}`, token('reclassering-zuid', ['referrer'])),
      404,
    );
  });

  describe('refused input: 4xx problem+json, nothing stored, nothing emitted', () => {
    let knownId: string;
    beforeAll(async () => {
      knownId = await knownTrajectory();
    });

    it.each([
      ['an unknown field', 400, (id: string) => requestBody(id, { bsn: '123456782' })],
      [
        'an invalid date',
        400,
        (id: string) =>
          requestBody(id, { title: { kind: 'other', expectedEndDate: '2027-02-30' } }),
      ],
      [
        'a date-time where a date belongs',
        400,
        (id: string) =>
          requestBody(id, { title: { kind: 'other', expectedEndDate: '2027-02-01T00:00:00Z' } }),
      ],
      [
        'a title ending before it starts',
        422,
        (id: string) =>
          requestBody(id, {
            title: { kind: 'other', startDate: '2026-06-01', expectedEndDate: '2026-05-01' },
          }),
      ],
      [
        'a title without duration',
        422,
        (id: string) => requestBody(id, { title: { kind: 'other' } }),
      ],
      [
        'an unknown offence category',
        400,
        (id: string) => requestBody(id, { offenceCategory: 'jaywalking' }),
      ],
      [
        'a risk assessment expiring before it was made',
        422,
        (id: string) =>
          requestBody(id, {
            documents: [
              {
                kind: 'risk-assessment',
                riskAssessment: { ...FULL_DOCS[1]!.riskAssessment!, validUntil: '2026-01-01' },
              },
            ],
          }),
      ],
      [
        'a risk assessment without instrument',
        400,
        (id: string) =>
          requestBody(id, {
            documents: [
              {
                kind: 'risk-assessment',
                riskAssessment: { author: 'x', assessedOn: '2026-01-01', setting: 'y' },
              },
            ],
          }),
      ],
      [
        'a bad provider id',
        400,
        (id: string) => requestBody(id, { providerOrganisationId: 'FZ De Brug' }),
      ],
      ['an unknown trajectory', 422, () => requestBody(randomUUID())],
    ])('a request with %s → %i', async (_what, status, body) => {
      const before = await counts();
      const res = await post('/placements', asReferrer(), body(knownId));
      expectProblem(res, status);
      expect(await counts()).toEqual(before);
    });

    it('a trajectory opened by another organisation looks unknown (422)', async () => {
      const foreign = await knownTrajectory('zvh-rotterdam');
      const before = await counts();
      expectProblem(
        await post('/placements', asReferrer(), requestBody(foreign)),
        422,
        /unknown-trajectory$/,
      );
      expect(await counts()).toEqual(before);
    });

    it('wrong role (403) and wrong organisation (404) change nothing', async () => {
      const before = await counts();
      expectProblem(await post('/placements', asOfficer(), requestBody(knownId)), 403);
      expectProblem(await post('/locations', asReferrer(), location()), 403);
      expectProblem(
        await post(`/placements/${placementId}/refuse`, asOfficer('fz-other'), {
          reasonCode: 'no-capacity',
        }),
        404,
      );
      expectProblem(
        await post(`/placements/${placementId}/refuse`, asReferrer(), {
          reasonCode: 'no-capacity',
        }),
        403,
      );
      expectProblem(
        await post(
          `/placements/${placementId}/documents`,
          token('reclassering-zuid', ['referrer']),
          { documents: [] },
        ),
        404,
      );
      expect(await counts()).toEqual(before);
    });

    describe('on an open request', () => {
      let openId: string;
      beforeAll(async () => {
        const res = await post('/placements', asReferrer(), requestBody(await knownTrajectory()));
        openId = res.body.id;
      });

      it.each([
        ['an unknown reason code', 'refuse', 400, { reasonCode: 'dislike' }],
        ["'other' without text", 'refuse', 422, { reasonCode: 'other' }],
        ["'other' with blank text", 'refuse', 422, { reasonCode: 'other', reasonText: '   ' }],
        ['an unknown field', 'refuse', 400, { reasonCode: 'no-capacity', extra: 1 }],
        ['a location without capacity', 'accept', 409, {}],
        ['a location of another provider', 'accept', 404, { locationId: randomUUID() }],
        ['a waitlist without bridging flag', 'waitlist', 400, {}],
      ])('%s → %s %i', async (_what, action, status, body) => {
        const payload =
          action === 'accept' && status === 409 ? { locationId: fullLocationId } : body;
        const before = await counts();
        expectProblem(await post(`/placements/${openId}/${action}`, asOfficer(), payload), status);
        expect(await counts()).toEqual(before);
      });

      it('schedule intake before accept → 409, nothing changed', async () => {
        const before = await counts();
        const res = await post(`/placements/${openId}/intake`, asOfficer(), {
          scheduledFor: new Date(Date.now() + 86_400_000).toISOString(),
        });
        expectProblem(res, 409, /illegal-placement-transition$/);
        expect(res.body).toMatchObject({
          command: 'schedule-intake',
          placementStatus: 'requested',
        });
        expect(await counts()).toEqual(before);
      });

      it('move-in before accept → 409, nothing changed', async () => {
        const before = await counts();
        expectProblem(
          await post(`/placements/${openId}/move-in`, asOfficer(), {}),
          409,
          /illegal-placement-transition$/,
        );
        expect(await counts()).toEqual(before);
      });

      it('accept after refuse → 409, nothing changed', async () => {
        expect(
          (
            await post(`/placements/${openId}/refuse`, asOfficer(), {
              reasonCode: 'risk-to-co-residents',
            })
          ).status,
        ).toBe(200);
        const before = await counts();
        const res = await post(`/placements/${openId}/accept`, asOfficer(), { locationId });
        expectProblem(res, 409, /illegal-placement-transition$/);
        expect(res.body.detail).toBe('cannot accept a placement that is refused');
        expect(await counts()).toEqual(before);
      });
    });

    it('refuse after move-in → 409, nothing changed', async () => {
      const before = await counts();
      expectProblem(
        await post(`/placements/${placementId}/refuse`, asOfficer(), { reasonCode: 'no-capacity' }),
        409,
      );
      expect(await counts()).toEqual(before);
    });
  });

  it('waiting list with bridging support, then accepted: the referrer sees it in its list', async () => {
    const trajectory = await knownTrajectory();
    const id = (await post('/placements', asReferrer(), requestBody(trajectory))).body.id;
    const w = await post(`/placements/${id}/waitlist`, asOfficer(), {
      bridgingAmbulant: true,
      bridgingNote: 'Weekly ambulant support by the FACT team',
    });
    expect(w.body).toMatchObject({ status: 'waitlisted', waitlist: { bridgingAmbulant: true } });
    expect((await post(`/placements/${id}/accept`, asOfficer(), { locationId })).status).toBe(200);
    const types: { type: string }[] = await ds.query(
      `SELECT type FROM outbox WHERE aggregateid = $1 ORDER BY seq`,
      [trajectory],
    );
    expect(types.map((t) => t.type)).toEqual([
      'nl.ketenlink.placement.requested.v1',
      'nl.ketenlink.placement.waitlisted.v1',
      'nl.ketenlink.placement.accepted.v1',
    ]);
    const mine = (await get('/placements', asReferrer())).body as { id: string }[];
    expect(mine.map((p) => p.id)).toContain(id);
    expect((await get('/placements', token('reclassering-zuid', ['referrer']))).body).toEqual([]);
  });

  it('two officers accepting for the last free place at once: one wins, the other gets 409', async () => {
    const last = (
      await post('/locations', asOfficer(), location({ label: 'Een Plek', capacity: 1 }))
    ).body.id;
    const ids = await Promise.all(
      [1, 2].map(async () => {
        const res = await post('/placements', asReferrer(), requestBody(await knownTrajectory()));
        return res.body.id as string;
      }),
    );
    const results = await Promise.all(
      ids.map((id) => post(`/placements/${id}/accept`, asOfficer(), { locationId: last })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expectProblem(
      results.find((r) => r.status === 409)!,
      409,
      /no-capacity$/,
    );
    expect((await get(`/locations/${last}`, asOfficer())).body).toMatchObject({
      reserved: 1,
      freePlaces: 0,
    });
  });

  describe('deadline sweep (R-IFZO-5D, R-INTAKE-24H), each overdue event once', () => {
    it('reports an unanswered request after its due date, once', async () => {
      const requestedAt = new Date('2026-12-18T10:00:00+01:00'); // Friday before Christmas
      const p = await app.get(RequestPlacementService).execute(
        {
          // The referrer must take part at `requestedAt`, whatever day the test runs on.
          trajectoryId: await knownTrajectory(REFERRER, calendarDate(requestedAt)),
          providerOrganisationId: PROVIDER,
          referrerOrganisationId: REFERRER,
          referrerKind: 'pi-case-manager',
          title: { kind: 'other', remainingMonths: 12 },
          offenceCategory: 'property',
          activeSubstanceUse: false,
          needs: [],
          urgency: 'urgent',
          documents: [],
        },
        requestedAt,
      );
      expect(p.answerDueOn).toBe('2027-01-05'); // 10 working days: skips 25/26 Dec and 1 Jan
      const sweep = app.get(DeadlineSweepService);
      const overdue = (): Promise<{ n: number }[]> =>
        ds.query(
          `SELECT count(*)::int AS n FROM outbox WHERE aggregateid = $1 AND type = 'nl.ketenlink.placement.answer-overdue.v1'`,
          [p.trajectoryId],
        );
      await sweep.sweep(new Date('2027-01-05T22:59:00Z')); // 23:59 in Amsterdam: still in time
      expect((await overdue())[0]!.n).toBe(0);
      await sweep.sweep(new Date('2027-01-05T23:00:00Z'));
      await sweep.sweep(new Date('2027-01-06T12:00:00Z'));
      expect((await overdue())[0]!.n).toBe(1);
      const [row] = await ds.query(
        `SELECT payload FROM outbox WHERE aggregateid = $1 AND type LIKE '%answer-overdue%'`,
        [p.trajectoryId],
      );
      expect(validatePayload('nl.ketenlink.placement.answer-overdue.v1', row.payload)).toEqual({
        ok: true,
      });
    });

    it('reports missing crucial information 24 h after first contact, once', async () => {
      const trajectory = await knownTrajectory();
      const res = await post(
        '/placements',
        asReferrer(),
        requestBody(trajectory, { documents: FULL_DOCS }),
      );
      const id = res.body.id;
      const loc = await post('/locations', asOfficer(), location({ label: 'Huize Twee' }));
      await post(`/placements/${id}/accept`, asOfficer(), { locationId: loc.body.id });
      await post(`/placements/${id}/intake`, asOfficer(), {
        scheduledFor: new Date(Date.now() + 60_000).toISOString(),
      });
      const contactAt = new Date(Date.now() - 1000);
      await post(`/placements/${id}/first-contact`, asOfficer(), { at: contactAt.toISOString() });
      const sweep = app.get(DeadlineSweepService);
      const count = async () =>
        (
          await ds.query(
            `SELECT count(*)::int AS n FROM outbox WHERE aggregateid = $1 AND type = 'nl.ketenlink.intake.crucial-info-overdue.v1'`,
            [trajectory],
          )
        )[0].n;
      await sweep.sweep(new Date(contactAt.getTime() + 23 * 3_600_000));
      expect(await count()).toBe(0);
      await sweep.sweep(new Date(contactAt.getTime() + 25 * 3_600_000));
      await sweep.sweep(new Date(contactAt.getTime() + 30 * 3_600_000));
      expect(await count()).toBe(1);
      const [p] = await ds.query(
        `SELECT crucial_info_overdue_notified_at FROM placements WHERE id = $1`,
        [id],
      );
      expect(p.crucial_info_overdue_notified_at).not.toBeNull();
    });
  });

  describe('a referrer organisation that takes part in the trajectory (not its opener)', () => {
    const ZVH = 'zvh-rotterdam';
    const asZvh = () => token(ZVH, ['referrer']);

    it('may request a placement (201)', async () => {
      const trajectoryId = await knownTrajectory();
      await participation(trajectoryId, ZVH, { from: '2026-01-01' });
      const before = await counts();
      const res = await post('/placements', asZvh(), requestBody(trajectoryId));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ trajectoryId, referrerOrganisationId: ZVH });
      const after = await counts();
      expect(after.placements).toBe(before.placements! + 1);
      expect(after.outbox).toBe(before.outbox! + 1);
    });

    it.each([
      ['has left', { from: '2026-01-01', leftAt: new Date(Date.now() - 60_000).toISOString() }],
      ['joins only later', { from: '2999-01-01' }],
    ])('that %s looks like an unknown trajectory (422)', async (_what, opts) => {
      const trajectoryId = await knownTrajectory();
      await participation(trajectoryId, ZVH, opts);
      const before = await counts();
      expectProblem(
        await post('/placements', asZvh(), requestBody(trajectoryId)),
        422,
        /unknown-trajectory$/,
      );
      expect(await counts()).toEqual(before);
    });

    it('one that never took part looks like an unknown trajectory (422)', async () => {
      const trajectoryId = await knownTrajectory();
      await participation(trajectoryId, 'zvh-utrecht', { from: '2026-01-01' });
      const before = await counts();
      expectProblem(
        await post('/placements', asZvh(), requestBody(trajectoryId)),
        422,
        /unknown-trajectory$/,
      );
      expect(await counts()).toEqual(before);
    });
  });
});
