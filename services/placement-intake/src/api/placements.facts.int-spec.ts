import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { mintDevToken } from '@ketenlink/auth';
import {
  CONTEXT_TOPICS,
  type CloudEvent,
  kafkaClients,
  type ProducerPort,
} from '@ketenlink/messaging';
import { connectEventConsumer } from '@ketenlink/service-runtime';
import { waitFor } from '@ketenlink/testing';
import {
  publishTrajectoryFacts,
  trajectoryFactEvent,
  trajectoryFactEvents,
  trajectoryFactsProjected,
  uniqueOrganisationId,
} from '@ketenlink/trajectory-facts';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { startPlacementIntakeTestApp } from '../test-support/facts';

/**
 * placement-intake on the shared facts projection (@ketenlink/trajectory-facts), fed by real
 * events on the real trajectory topic and its own consumer: a token of an unregistered
 * organisation gets 403; consent records reach the gate (before: `consents: []`); the referrer's
 * withdrawal ends the referral's disclosure (the provider then gets 404), refused transitions 409.
 */
const REFERRER = uniqueOrganisationId('pi');
const PROVIDER = uniqueOrganisationId('fz');
const UNREGISTERED = uniqueOrganisationId('fz');

let app: INestApplication;
let ds: DataSource;
let producer: ProducerPort;

const token = (org: string, roles: string[]) =>
  mintDevToken({ sub: `facts-${org}`, org, roles: roles as never, ttlSeconds: 600 });
const asReferrer = () => token(REFERRER, ['referrer']);
const asOfficer = (org = PROVIDER) => token(org, ['placement-officer']);

async function publish(events: readonly CloudEvent[]): Promise<void> {
  await publishTrajectoryFacts(producer, events);
  await waitFor(() => trajectoryFactsProjected(ds, events), {
    timeoutMs: 60_000,
    what: `${events.length} trajectory events consumed`,
  });
}

beforeAll(async () => {
  ({ app, ds } = await startPlacementIntakeTestApp());
  const consumer = await connectEventConsumer(app, {
    name: 'placement-intake',
    group: `placement-intake-facts-${randomUUID().slice(0, 8)}`,
    topics: [CONTEXT_TOPICS.trajectory],
  });
  await app.startAllMicroservices();
  await waitFor(() => consumer.state() === 'running', { timeoutMs: 60_000, what: 'group joined' });
  producer = kafkaClients({ clientId: 'placement-intake-facts-int' }).producer();
  await producer.connect();
  await publish([
    trajectoryFactEvents.organisation(REFERRER, 'placing-authority'),
    trajectoryFactEvents.organisation(PROVIDER, 'care-provider'),
  ]);
}, 120_000);

afterAll(async () => {
  await producer?.disconnect();
  await app?.close();
  await ds?.destroy();
});

const get = async (path: string, jwt: Promise<string>) =>
  request(app.getHttpServer())
    .get(path)
    .set('authorization', `Bearer ${await jwt}`);
const post = async (path: string, jwt: Promise<string>, body: object = {}) =>
  request(app.getHttpServer())
    .post(path)
    .set('authorization', `Bearer ${await jwt}`)
    .send(body);

async function trajectory(): Promise<string> {
  const events = trajectoryFactEvents.trajectory({ opener: REFERRER });
  await publish(events);
  return events[0]!.subject;
}

async function referral(t: string): Promise<string> {
  const res = await post('/placements', asReferrer(), {
    trajectoryId: t,
    providerOrganisationId: PROVIDER,
    referrerKind: 'pi-case-manager',
    title: { kind: 'conditional-release', startDate: '2026-01-01', expectedEndDate: '2028-06-30' },
    offenceCategory: 'arson',
    activeSubstanceUse: true,
    needs: ['housing'],
    urgency: 'regular',
    documents: [{ kind: 'probation-advice', reference: 'dossier/advies-1' }],
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const placementCount = async () =>
  ((await ds.query(`SELECT count(*)::int AS n FROM placements`)) as { n: number }[])[0]!.n;

describe('the projected organisation registry guards the edge', () => {
  it('a token of an organisation that is not registered gets 403 (problem+json); a registered one passes', async () => {
    const before = await placementCount();
    const res = await get('/placements', asOfficer(UNREGISTERED));
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const t = await trajectory();
    const refused = await post('/placements', token(UNREGISTERED, ['referrer']), {
      trajectoryId: t,
    });
    expect(refused.status).toBe(403);
    expect(await placementCount()).toBe(before);
    expect((await get('/placements', asOfficer())).status).toBe(200);

    // Registered, then its active period ends (organisation.changed): 403 again.
    await publish([trajectoryFactEvents.organisation(UNREGISTERED, 'care-provider')]);
    expect((await get('/placements', asOfficer(UNREGISTERED))).status).toBe(200);
    await publish([
      trajectoryFactEvent('nl.ketenlink.organisation.changed.v1', {
        organisationId: UNREGISTERED,
        kind: 'care-provider',
        identifiers: {},
        activeFrom: '2020-01-01',
        activeUntil: '2021-01-01',
      }),
    ]);
    expect((await get('/placements', asOfficer(UNREGISTERED))).status).toBe(403);
  }, 90_000);
});

describe('the projected consent records reach the gate', () => {
  it('a consent record for the referrer lets it read the categories it names, until withdrawn', async () => {
    const t = await trajectory();
    const id = await referral(t);
    // A referrer user whose token also carries a role that reaches risk (roles count, ADR 0020).
    const asCaseManager = () => token(REFERRER, ['referrer', 'coordinator']);
    const before = await get(`/placements/${id}`, asCaseManager());
    expect(before.status).toBe(200);
    expect(before.body).not.toHaveProperty('offenceCategory');

    const consentId = randomUUID();
    await publish([
      trajectoryFactEvent('nl.ketenlink.consent.granted.v1', {
        trajectoryId: t,
        consentId,
        recipient: { kind: 'organisation', id: REFERRER },
        categories: ['risk'],
        purpose: 'follow-up of the placement',
        legalBasis: 'consent',
        validFrom: new Date(Date.now() - 60_000).toISOString(),
      }),
    ]);
    const withConsent = await get(`/placements/${id}`, asCaseManager());
    expect(withConsent.body).toMatchObject({ offenceCategory: 'arson', activeSubstanceUse: true });
    expect(withConsent.body).not.toHaveProperty('needs');
    const [row] = (await ds.query(
      `SELECT legal_bases FROM access_log WHERE trajectory_id = $1 AND organisation_id = $2 ORDER BY id DESC LIMIT 1`,
      [t, REFERRER],
    )) as { legal_bases: Record<string, string> }[];
    expect(row!.legal_bases.risk).toContain(consentId);

    await publish([
      trajectoryFactEvent('nl.ketenlink.consent.revoked.v1', {
        trajectoryId: t,
        consentId,
        revokedAt: new Date().toISOString(),
      }),
    ]);
    expect((await get(`/placements/${id}`, asCaseManager())).body).not.toHaveProperty(
      'offenceCategory',
    );
  }, 90_000);
});

describe('the referrer withdraws a placement request', () => {
  it('ends the referral disclosure: the provider gets 404; placement.withdrawn in the outbox', async () => {
    const t = await trajectory();
    const id = await referral(t);
    expect((await get(`/placements/${id}`, asOfficer())).status).toBe(200);

    // Not the provider's to withdraw (role), nor another referrer's (404).
    expect((await post(`/placements/${id}/withdraw`, asOfficer())).status).toBe(403);
    const other = uniqueOrganisationId('pi');
    await publish([trajectoryFactEvents.organisation(other, 'placing-authority')]);
    expect((await post(`/placements/${id}/withdraw`, token(other, ['referrer']))).status).toBe(404);

    const res = await post(`/placements/${id}/withdraw`, asReferrer(), {
      reasonText: 'the client chose another provider',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'withdrawn' });
    const [grant] = (await ds.query(
      `SELECT ended_at, end_reason FROM referral_disclosures WHERE placement_id = $1`,
      [id],
    )) as { ended_at: Date | null; end_reason: string }[];
    expect(grant).toMatchObject({ end_reason: 'withdrawn', ended_at: expect.any(Date) });
    const outbox = (await ds.query(
      `SELECT type FROM outbox WHERE payload->>'placementId' = $1 ORDER BY seq`,
      [id],
    )) as { type: string }[];
    expect(outbox.map((r) => r.type)).toContain('nl.ketenlink.placement.withdrawn.v1');

    const after = await get(`/placements/${id}`, asOfficer());
    expect(after.status).toBe(404);
    expect(JSON.stringify(after.body)).not.toMatch(/arson|conditional-release/);
    const listed = (await get('/placements', asOfficer())).body as { id: string }[];
    expect(listed.map((p) => p.id)).not.toContain(id);
    // The referrer still sees its own request (participation and metadata).
    expect((await get(`/placements/${id}`, asReferrer())).body).toMatchObject({
      status: 'withdrawn',
    });
  }, 90_000);

  it('withdrawn or refused: a (further) withdrawal is 409 and changes nothing', async () => {
    const t = await trajectory();
    const id = await referral(t);
    expect((await post(`/placements/${id}/withdraw`, asReferrer())).status).toBe(200);
    const again = await post(`/placements/${id}/withdraw`, asReferrer());
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);

    const refusedId = await referral(t);
    expect(
      (await post(`/placements/${refusedId}/refuse`, asOfficer(), { reasonCode: 'no-capacity' }))
        .status,
    ).toBe(200);
    const events = async () =>
      (
        (await ds.query(
          `SELECT count(*)::int AS n FROM outbox WHERE payload->>'placementId' = $1`,
          [refusedId],
        )) as { n: number }[]
      )[0]!.n;
    const n = await events();
    expect((await post(`/placements/${refusedId}/withdraw`, asReferrer())).status).toBe(409);
    expect(await events()).toBe(n);
    const [row] = (await ds.query(`SELECT status FROM placements WHERE id = $1`, [refusedId])) as {
      status: string;
    }[];
    expect(row!.status).toBe('refused');
  }, 90_000);
});
