import { randomUUID } from 'node:crypto';
import { validatePayload } from '@ketenlink/contracts';
import {
  trajectoryFactEvent,
  trajectoryFactEvents,
  uniqueOrganisationId,
} from '@ketenlink/trajectory-facts';
import type request from 'supertest';
import { OverdueSweepService } from '../application/overdue-sweep.service';
import { termsFor } from '../domain/fixtures';
import {
  type AgreementsTestApp,
  type Client,
  counts,
  startAgreementsTestApp,
} from '../test-support/harness';

/**
 * The agreements service against real PostgreSQL and Kafka (facts through real trajectory events):
 * lifecycle over HTTP with refusals as 409/422/400 problem+json that change nothing, optimistic
 * locking with two writers, the gate for an outsider / a non-party participant / an operator, the
 * client's own view and signature, and the once-only overdue sweep.
 */
let t: AgreementsTestApp;
const PROBATION = uniqueOrganisationId('reclassering');
const PROVIDER = uniqueOrganisationId('fz');
const REFERRER = uniqueOrganisationId('pi');
const OUTSIDER = uniqueOrganisationId('fz-other');
const OPS = uniqueOrganisationId('ketenlink-ops');
const trajectoryId = randomUUID();
const titleId = randomUUID();
let officer: Client;
let worker: Client;
let referrer: Client;
let outsider: Client;
let operator: Client;
let client: Client;

function problem(res: request.Response, status: number, type: RegExp) {
  expect({ status: res.status, body: res.body }).toMatchObject({
    status,
    body: { status, type: expect.stringMatching(type) },
  });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}
const outbox = async () =>
  (await t.ds.query(`SELECT type, payload FROM outbox ORDER BY seq`)) as {
    type: string;
    payload: unknown;
  }[];

beforeAll(async () => {
  process.env.AGREEMENTS_URGENT_ACK_MINUTES = '30';
  t = await startAgreementsTestApp();
  officer = await t.as(PROBATION, ['probation-officer']);
  worker = await t.as(PROVIDER, ['support-worker']);
  referrer = await t.as(REFERRER, ['referrer']);
  outsider = await t.as(OUTSIDER, ['support-worker']);
  operator = await t.as(OPS, ['operator', 'probation-officer']);
  client = await t.asClient(trajectoryId);
  await t.publish(
    trajectoryFactEvents.trajectory({
      trajectoryId,
      opener: REFERRER,
      participants: [
        { organisationId: PROBATION, role: 'probation' },
        { organisationId: PROVIDER, role: 'provider' },
      ],
      titles: [
        {
          titleId,
          kind: 'conditional-release',
          startDate: '2026-01-01',
          expectedEndDate: '2027-12-31',
          conditions: [{ type: 'abstinence', description: 'No alcohol or drugs; urine checks.' }],
        },
      ],
    }),
  );
}, 180_000);

afterAll(async () => {
  await t?.close();
});

const parties = { probationOrganisationId: PROBATION, providerOrganisationId: PROVIDER };
const { conditions: _c, ...termsWithoutConditions } = termsFor(parties, {
  notificationTriggers: [],
});
let agreementId: string;
let conditionId: string;

describe('agreements over HTTP (real PostgreSQL and Kafka)', () => {
  it('bad input → 400/422 problem+json, nothing stored or emitted', async () => {
    const before = await counts(t.ds);
    const bad: [object, number][] = [
      [{ parties, terms: termsWithoutConditions, bsn: '123456782' }, 400],
      [
        {
          parties,
          terms: {
            ...termsWithoutConditions,
            driegesprek: { every: { count: 0, unit: 'week' }, nextReviewOn: '2027-01-01' },
          },
        },
        400,
      ],
      [{ parties, terms: { ...termsWithoutConditions, clientGoals: ['<script>'] } }, 400],
      [
        {
          parties: { ...parties, providerOrganisationId: OUTSIDER },
          terms: {
            ...termsWithoutConditions,
            firstPointOfContact: { party: 'probation', organisationId: PROBATION },
          },
        },
        422,
      ],
      [
        {
          parties,
          terms: {
            ...termsWithoutConditions,
            firstPointOfContact: { party: 'probation', organisationId: PROVIDER },
          },
        },
        422,
      ],
    ];
    for (const [body, status] of bad) {
      const res = await officer.post(`/trajectories/${trajectoryId}/agreements`, body);
      problem(
        res,
        status,
        status === 400 ? /validation-error$/ : /(invalid-terms|party-not-participating)$/,
      );
    }
    expect(await counts(t.ds)).toEqual(before);
  });

  it('drafts with the title’s conditions as the starting point; provider and probation see the same conditions', async () => {
    const res = await officer.post(`/trajectories/${trajectoryId}/agreements`, {
      parties,
      terms: termsWithoutConditions,
    });
    expect(res.status).toBe(201);
    agreementId = res.body.agreementId;
    const conditions = res.body.versions[0].terms.conditions;
    expect(conditions).toEqual([
      expect.objectContaining({
        type: 'abstinence',
        source: 'title-registration',
        titleId,
        text: 'No alcohol or drugs; urine checks.',
      }),
    ]);
    conditionId = conditions[0].conditionId;
    const seenByProvider = await worker.get(`/agreements/${agreementId}`);
    expect(seenByProvider.status).toBe(200);
    expect(seenByProvider.body.versions[0].terms.conditions).toEqual(conditions);
    // the party grant: probation sees the client's goals of the agreement it is party to
    expect(res.body.versions[0].terms.clientGoals).toEqual(['Find daytime work']);
    const events = await outbox();
    expect(events.map((e) => e.type)).toEqual(['nl.ketenlink.agreement.drafted.v1']);
    expect(validatePayload(events[0]!.type, events[0]!.payload)).toEqual({ ok: true });
  });

  it('refuses activation without three signatures, a second open agreement, an outdated version (409, nothing changed)', async () => {
    const before = await counts(t.ds);
    problem(
      await officer.post(`/agreements/${agreementId}/activation`, {}),
      409,
      /signatures-missing$/,
    );
    problem(
      await officer.post(`/trajectories/${trajectoryId}/agreements`, {
        parties,
        terms: termsWithoutConditions,
      }),
      409,
      /agreement-exists$/,
    );
    problem(
      await officer.post(`/agreements/${agreementId}/signatures`, { version: 2 }),
      409,
      /outdated-version$/,
    );
    problem(
      await client.post(`/agreements/${agreementId}/signatures`, { version: 1 }),
      403,
      /forbidden$/,
    );
    expect(await counts(t.ds)).toEqual(before);
  });

  it('the client reads his agreement in plain language and signs it in his own view; then it is activated', async () => {
    const own = await client.get('/me/agreement');
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      awaitingYourSignature: true,
      version: 1,
      conditions: [{ what: 'No alcohol or drugs', from: 'this comes with your sentence' }],
    });
    expect(own.body.contact).toContain('You meet your probation officer every 2 weeks.');
    expect((await client.post('/me/agreement/signature', { version: 1 })).status).toBe(201);
    problem(await client.post('/me/agreement/signature', { version: 1 }), 409, /already-signed$/);
    expect(
      (await officer.post(`/agreements/${agreementId}/signatures`, { version: 1 })).status,
    ).toBe(201);
    expect(
      (await worker.post(`/agreements/${agreementId}/signatures`, { version: 1 })).status,
    ).toBe(201);
    const act = await worker.post(`/agreements/${agreementId}/activation`, {});
    expect(act.status).toBe(200);
    expect(act.body).toMatchObject({ status: 'active', inForce: 1 });
    expect((await client.get('/me/agreement')).body).toMatchObject({
      status: 'active',
      youSigned: true,
      awaitingYourSignature: false,
    });
    const activated = (await outbox()).find(
      (e) => e.type === 'nl.ketenlink.agreement.activated.v1',
    );
    expect(activated?.payload).toMatchObject({
      version: 1,
      terms: { driegesprek: { every: { count: 3, unit: 'month' } } },
    });
  });

  it('two writers amend at once: one wins, the other gets 409 (optimistic locking)', async () => {
    const current = await officer.get(`/agreements/${agreementId}`);
    const revision = current.body.revision;
    const terms = current.body.versions[0].terms;
    const [a, b] = await Promise.all([
      officer.post(`/agreements/${agreementId}/amendments`, {
        revision,
        terms: { ...terms, clientGoals: ['Goal A'] },
        reason: 'A',
      }),
      worker.post(`/agreements/${agreementId}/amendments`, {
        revision,
        terms: { ...terms, clientGoals: ['Goal B'] },
        reason: 'B',
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    problem(loser, 409, /concurrent-change$/);
    const after = await officer.get(`/agreements/${agreementId}`);
    expect(after.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(
      (await outbox()).filter((e) => e.type === 'nl.ketenlink.agreement.amended.v1'),
    ).toHaveLength(1);
    const diff = await officer.get(`/agreements/${agreementId}/diff?from=1&to=2`);
    expect(diff.body.changes).toEqual({
      clientGoals: [
        {
          change: 'changed',
          before: ['Find daytime work'],
          after: [a.status === 201 ? 'Goal A' : 'Goal B'],
        },
      ],
    });
    expect(after.body).toMatchObject({ status: 'amendment-pending', inForce: 1 });
  });

  it('a notification reaches probation as an event naming its condition; the officer acknowledges it', async () => {
    const res = await worker.post(`/agreements/${agreementId}/notifications`, {
      kind: 'positive-urine-check',
      urgency: 'urgent',
      conditionId,
      cause: 'Positive for cocaine',
      agreedWithClient: 'Extra check on Wednesday',
      clientInformed: true,
    });
    expect(res.status).toBe(201);
    const raised = (await outbox()).find((e) => e.type === 'nl.ketenlink.notification.raised.v1');
    expect(raised?.payload).toMatchObject({
      probationOrganisationId: PROBATION,
      condition: { conditionId, type: 'abstinence' },
      urgency: 'urgent',
    });
    const list = await officer.get(`/trajectories/${trajectoryId}/notifications`);
    expect(list.body).toEqual([
      expect.objectContaining({
        notificationId: res.body.notificationId,
        cause: 'Positive for cocaine',
        condition: expect.objectContaining({ conditionId }),
      }),
    ]);
    // the provider reads back what it recorded (own record), the client his own
    expect((await worker.get(`/trajectories/${trajectoryId}/notifications`)).body[0]).toMatchObject(
      { cause: 'Positive for cocaine' },
    );
    problem(
      await worker.post(`/notifications/${res.body.notificationId}/acknowledgement`, {}),
      403,
      /forbidden$/,
    );
    const ack = await officer.post(`/notifications/${res.body.notificationId}/acknowledgement`, {
      response: 'Calling today',
    });
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledged).toMatchObject({ response: 'Calling today' });
  });

  it('the gate: an outsider gets 404, a non-party participant and an operator only what their entitlement allows; each read logged', async () => {
    for (const path of [
      `/agreements/${agreementId}`,
      `/trajectories/${trajectoryId}/agreements`,
      `/trajectories/${trajectoryId}/notifications`,
    ]) {
      problem(await outsider.get(path), 404, /not-found$/);
    }
    // the referrer takes part, but is no party: participation and metadata, no conditions or goals
    const asReferrer = await referrer.get(`/agreements/${agreementId}`);
    expect(asReferrer.status).toBe(200);
    expect(asReferrer.body.parties).toEqual(parties);
    // general information only (R-CONSENT): who the client's first point of contact is
    for (const v of asReferrer.body.versions as Record<string, unknown>[]) {
      expect(Object.keys(v.terms as object)).toEqual(['firstPointOfContact']);
    }
    expect(asReferrer.body.withheld).toEqual(
      expect.arrayContaining([
        'versions[].terms.conditions[].text',
        'versions[].terms.clientGoals',
      ]),
    );
    const notesForReferrer = await referrer.get(`/trajectories/${trajectoryId}/notifications`);
    expect(notesForReferrer.body[0].cause).toBeUndefined();
    // an operator token (even with probation-officer) sees metadata only
    const asOperator = await operator.get(`/agreements/${agreementId}`);
    expect(asOperator.status).toBe(200);
    expect(asOperator.body.parties).toBeUndefined();
    for (const v of asOperator.body.versions as Record<string, unknown>[]) {
      expect(v.terms).toBeUndefined();
      expect(v.createdBy).toBeUndefined();
      // when each signature was made is metadata; who signed (participation) is not for operators
      for (const sig of (v.signatures ?? []) as object[]) expect(Object.keys(sig)).toEqual(['at']);
    }
    expect(Object.keys(asOperator.body).sort()).toEqual([
      'agreementId',
      'basis',
      'inForce',
      'revision',
      'status',
      'trajectoryId',
      'versions',
      'withheld',
    ]);
    const log = (await t.ds.query(
      `SELECT organisation_id, outcome, categories FROM access_log WHERE organisation_id = ANY($1) ORDER BY id`,
      [[OUTSIDER, REFERRER, OPS]],
    )) as { organisation_id: string; outcome: string; categories: string[] }[];
    expect(
      log.filter((r) => r.organisation_id === OUTSIDER).every((r) => r.outcome === 'denied'),
    ).toBe(true);
    expect(log.find((r) => r.organisation_id === OPS)).toMatchObject({
      outcome: 'disclosed',
      categories: ['metadata'],
    });
    // commands: an outsider cannot act either (404), an operator token never acts (403)
    const before = await counts(t.ds);
    problem(
      await outsider.post(`/agreements/${agreementId}/notifications`, {
        kind: 'other',
        urgency: 'routine',
        cause: 'x',
        clientInformed: false,
      }),
      404,
      /not-found$/,
    );
    problem(
      await operator.post(`/agreements/${agreementId}/signatures`, { version: 2 }),
      403,
      /forbidden$/,
    );
    expect(await counts(t.ds)).toEqual(before);
  });

  it('the overdue sweep reports an unacknowledged urgent notification and a missed inspectorate deadline exactly once', async () => {
    const urgent = await worker.post(`/agreements/${agreementId}/notifications`, {
      kind: 'rising-risk',
      urgency: 'urgent',
      cause: 'Lost his job',
      clientInformed: true,
    });
    const incident = await worker.post(`/trajectories/${trajectoryId}/incidents`, {
      kind: 'absconding',
      occurredAt: new Date().toISOString(),
      description: 'Did not return',
    });
    expect(incident.body).toMatchObject({
      reportable: true,
      inspectorateDeadline: expect.any(String),
    });
    const sweep = t.app.get(OverdueSweepService);
    expect(await sweep.sweep(new Date())).toBe(0);
    const later = new Date(Date.parse(incident.body.inspectorateDeadline) + 1000);
    // two instances sweeping at once: SKIP LOCKED and the flag make it once in total
    const [x, y] = await Promise.all([sweep.sweep(later), sweep.sweep(later)]);
    expect(x + y).toBe(2);
    expect(await sweep.sweep(later)).toBe(0);
    const types = (await outbox()).map((e) => e.type);
    expect(
      types.filter((ty) => ty === 'nl.ketenlink.notification.acknowledgement-overdue.v1'),
    ).toHaveLength(1);
    expect(types.filter((ty) => ty === 'nl.ketenlink.incident.report-overdue.v1')).toHaveLength(1);
    const overdue = (await outbox()).find(
      (e) => e.type === 'nl.ketenlink.notification.acknowledgement-overdue.v1',
    );
    expect(overdue?.payload).toMatchObject({
      notificationId: urgent.body.notificationId,
      probationOrganisationId: PROBATION,
    });
  });

  it('terminates; a terminated agreement refuses amendment (409, nothing changed); every emitted event is contract-valid', async () => {
    const current = await officer.get(`/agreements/${agreementId}`);
    const ended = await worker.post(`/agreements/${agreementId}/termination`, {
      reason: 'placement-ended',
      on: '2026-12-20',
    });
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe('terminated');
    const before = await counts(t.ds);
    problem(
      await officer.post(`/agreements/${agreementId}/amendments`, {
        revision: ended.body.revision,
        terms: { ...current.body.versions[0].terms, houseRules: [] },
      }),
      409,
      /agreement-terminated$/,
    );
    expect(await counts(t.ds)).toEqual(before);
    const invalid = (await outbox())
      .map((e) => validatePayload(e.type, e.payload))
      .filter((r) => !r.ok);
    expect(invalid).toEqual([]);
  });

  it('the end of the last legal title ends the open agreement (title.ended through Kafka)', async () => {
    const other = randomUUID();
    const otherTitle = randomUUID();
    await t.publish(
      trajectoryFactEvents.trajectory({
        trajectoryId: other,
        opener: REFERRER,
        participants: [
          { organisationId: PROBATION, role: 'probation' },
          { organisationId: PROVIDER, role: 'provider' },
        ],
        titles: [
          {
            titleId: otherTitle,
            kind: 'conditional-release',
            startDate: '2026-01-01',
            expectedEndDate: '2027-12-31',
            conditions: [{ type: 'reporting-duty', description: 'Reports every week.' }],
          },
        ],
      }),
    );
    const talk = await worker.post(`/trajectories/${other}/recorded-talks`, {
      parties,
      terms: termsWithoutConditions,
      heldOn: '2026-12-01',
    });
    expect(talk.body).toMatchObject({ status: 'active', basis: 'recorded-talk' });
    const ended = trajectoryFactEvent('nl.ketenlink.title.ended.v1', {
      trajectoryId: other,
      titleId: otherTitle,
      endedOn: '2026-12-15',
      reason: 'ended-early-hearing',
    });
    await t.publish([ended]);
    const after = await worker.get(`/agreements/${talk.body.agreementId}`);
    expect(after.body).toMatchObject({
      status: 'terminated',
      termination: { reason: 'title-ended', on: '2026-12-15' },
    });
    const terminated = (await outbox()).filter(
      (e) =>
        e.type === 'nl.ketenlink.agreement.terminated.v1' &&
        (e.payload as { trajectoryId: string }).trajectoryId === other,
    );
    expect(terminated).toHaveLength(1);
  });
});
