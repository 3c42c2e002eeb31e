import 'reflect-metadata';
import { validatePayload } from '@ketenlink/contracts';
import { CONTEXT_TOPICS, fromKafkaRecord, kafkaClients } from '@ketenlink/messaging';
import { waitFor } from '@ketenlink/testing';
import { counts, startPlanReviewsTestApp, type PlanReviewsTestApp } from '../test-support/harness';

/**
 * Progress notes (R-PROGRESS) against the real test database: a note names a goal of the
 * current plan version and is stored with its `plan.progress-noted` event in the outbox; an
 * unknown goal is a 422 with nothing stored or emitted; the read passes the gate (an outsider
 * gets 404, a reader without plan-and-goals gets the note cut); the periodic report made with
 * the client completes the open progress-report item.
 */
const PROVIDER = 'fz-de-brug';
const OFFICER = 'reclassering-noord';
const GOAL = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
let t: PlanReviewsTestApp;

beforeAll(async () => {
  t = await startPlanReviewsTestApp();
});
afterAll(async () => {
  await t?.close();
});

const plan = {
  coordinatingOrganisationId: PROVIDER,
  setting: 'sheltered-housing',
  definitive: true,
  goals: [
    {
      goalId: GOAL,
      description: 'Keep a daytime activity.',
      ownerOrganisationId: PROVIDER,
      targetDate: '2026-09-01',
    },
  ],
  effectiveFrom: '2026-02-01',
};
const note = (over: object = {}) => ({
  goalId: GOAL,
  notedOn: '2026-04-20',
  text: 'Works four days a week at the bicycle repair shop.',
  periodicReport: false,
  clientTookPart: false,
  ...over,
});

async function trajectoryWithPlan() {
  const id = await t.openTrajectory([
    { organisationId: PROVIDER, role: 'provider' },
    { organisationId: OFFICER, role: 'probation' },
  ]);
  const worker = await t.as(PROVIDER, ['support-worker']);
  const res = await worker.post(`/trajectories/${id}/plans`, plan);
  expect(res.status).toBe(201);
  return { id, worker, planId: res.body.planId as string };
}

const outboxOf = async (id: string, type: string) =>
  (await t.ds.query(
    `SELECT payload FROM outbox WHERE aggregateid = $1 AND type = $2 ORDER BY seq`,
    [id, type],
  )) as { payload: unknown }[];

describe('progress notes (real PostgreSQL)', () => {
  it('stores a note on a goal of the current plan and emits a schema-valid plan.progress-noted', async () => {
    const { id, worker, planId } = await trajectoryWithPlan();
    const res = await worker.post(`/trajectories/${id}/progress-notes`, note());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      goalId: GOAL,
      planId,
      planVersion: 1,
      authorOrganisationId: PROVIDER,
      periodicReport: false,
    });
    const [row] = (await t.ds.query(
      `SELECT plan_id, goal_id, body FROM progress_notes WHERE trajectory_id = $1`,
      [id],
    )) as { plan_id: string; goal_id: string; body: { noteId: string } }[];
    expect(row).toMatchObject({ plan_id: planId, goal_id: GOAL });
    const events = await outboxOf(id, 'nl.ketenlink.plan.progress-noted.v1');
    expect(events).toHaveLength(1);
    const payload =
      typeof events[0]!.payload === 'string' ? JSON.parse(events[0]!.payload) : events[0]!.payload;
    expect(validatePayload('nl.ketenlink.plan.progress-noted.v1', payload)).toEqual({ ok: true });
    expect(payload).toMatchObject({ noteId: row!.body.noteId, goalId: GOAL, planId });
    // The app's outbox relay puts it on the reviews topic (real Kafka), schema-valid.
    await waitFor(
      async () =>
        (
          (await t.ds.query(
            `SELECT count(*)::int AS n FROM outbox WHERE aggregateid = $1 AND published_at IS NULL`,
            [id],
          )) as { n: number }[]
        )[0]!.n === 0,
      { timeoutMs: 30_000, what: 'outbox published' },
    );
    const kafka = kafkaClients({ clientId: 'plan-reviews-progress-int' });
    const admin = kafka.admin();
    const partitions = await admin.topicOffsets(CONTEXT_TOPICS.reviews);
    await admin.disconnect();
    const reader = kafka.reader();
    const onKafka: unknown[] = [];
    for (const p of partitions) {
      for (const r of await reader.read(CONTEXT_TOPICS.reviews, p.partition, p.low, 100_000)) {
        const e = fromKafkaRecord(r.key, r.value, r.headers as never);
        if (e.type === 'nl.ketenlink.plan.progress-noted.v1' && e.subject === id)
          onKafka.push(e.data);
      }
    }
    expect(onKafka).toEqual([payload]);
    expect(validatePayload('nl.ketenlink.plan.progress-noted.v1', onKafka[0])).toEqual({
      ok: true,
    });
    const list = await worker.get(`/trajectories/${id}/progress-notes`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ noteId: row!.body.noteId, text: note().text }),
    ]);
    const logged = (await t.ds.query(`SELECT resource FROM access_log WHERE trajectory_id = $1`, [
      id,
    ])) as { resource: string }[];
    expect(logged.map((r) => r.resource)).toEqual(
      expect.arrayContaining(['progress-note', 'progress-notes']),
    );
  });

  it('refuses an unknown goal (422), a periodic report without the client (422) and bad bodies (400): nothing stored or emitted', async () => {
    const { id, worker } = await trajectoryWithPlan();
    const before = await counts(t.ds);
    const cases: [unknown, number, RegExp][] = [
      [note({ goalId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a' }), 422, /unknown-goal/],
      [note({ periodicReport: true }), 422, /client-not-involved/],
      [note({ notedOn: '2999-01-01' }), 422, /dates-out-of-order/],
      [note({ goalId: 'goal-1' }), 400, /validation-error/],
      [note({ planId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a' }), 400, /validation-error/],
      [note({ text: '' }), 400, /validation-error/],
    ];
    for (const [body, status, type] of cases) {
      const res = await worker.post(`/trajectories/${id}/progress-notes`, body);
      expect({ body, status: res.status, type: res.body.type }).toEqual({
        body,
        status,
        type: expect.stringMatching(type),
      });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await counts(t.ds)).toEqual(before);
  });

  it('reads go through the gate: an outsider gets 404, a reader without plan-and-goals gets the note cut', async () => {
    const { id, worker } = await trajectoryWithPlan();
    expect((await worker.post(`/trajectories/${id}/progress-notes`, note())).status).toBe(201);
    const stranger = await t.as('fz-elders', ['support-worker']);
    const before = await counts(t.ds);
    expect((await stranger.get(`/trajectories/${id}/progress-notes`)).status).toBe(404);
    expect((await stranger.post(`/trajectories/${id}/progress-notes`, note())).status).toBe(404);
    expect(await counts(t.ds)).toEqual(before);
    const denied = (await t.ds.query(
      `SELECT outcome FROM access_log WHERE trajectory_id = $1 AND organisation_id = 'fz-elders'`,
      [id],
    )) as { outcome: string }[];
    expect(denied.map((r) => r.outcome)).toContain('denied');
    // Probation without the client's consent: not entitled to plan-and-goals.
    const officer = await t.as(OFFICER, ['probation-officer']);
    const cut = await officer.get(`/trajectories/${id}/progress-notes`);
    expect(cut.status).toBe(200);
    expect(cut.body.items).toHaveLength(1);
    expect(cut.body.items[0].text).toBeUndefined();
    expect(cut.body.items[0].goalId).toBeUndefined();
    expect(cut.body.items[0].withheld).toEqual(expect.arrayContaining(['text', 'goalId']));
  });

  it('the periodic progress report with the client completes the progress-report item; a plain note does not', async () => {
    const { id, worker } = await trajectoryWithPlan();
    const open = async () =>
      (await t.ds.query(
        `SELECT id, state, due_on::text AS due_on FROM review_items
          WHERE trajectory_id = $1 AND kind = 'progress-report' ORDER BY due_on`,
        [id],
      )) as { id: string; state: string; due_on: string }[];
    const [first] = await open();
    expect(first).toMatchObject({ state: 'scheduled', due_on: '2026-05-01' });
    expect((await worker.post(`/trajectories/${id}/progress-notes`, note())).status).toBe(201);
    expect(await open()).toEqual([first]);
    const res = await worker.post(
      `/trajectories/${id}/progress-notes`,
      note({
        notedOn: '2026-04-28',
        periodicReport: true,
        clientTookPart: true,
        clientWords: 'Work keeps me steady.',
      }),
    );
    expect(res.status).toBe(201);
    expect(await open()).toEqual([
      { ...first, state: 'completed' },
      { id: expect.any(String), state: 'scheduled', due_on: '2026-07-28' },
    ]);
    const next = (await open())[1]!;
    const scheduled = (await outboxOf(id, 'nl.ketenlink.review.scheduled.v1')).map((c) =>
      typeof c.payload === 'string' ? JSON.parse(c.payload) : c.payload,
    );
    expect(scheduled).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reviewId: next.id, reason: 'progress-noted' }),
      ]),
    );
    const completed = await outboxOf(id, 'nl.ketenlink.review.completed.v1');
    const payloads = completed.map((c) =>
      typeof c.payload === 'string' ? JSON.parse(c.payload) : c.payload,
    );
    expect(payloads).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reviewId: first!.id,
          kind: 'progress-report',
          completedOn: '2026-04-28',
        }),
      ]),
    );
  });
});
