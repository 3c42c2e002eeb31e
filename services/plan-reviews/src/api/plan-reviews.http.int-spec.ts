import 'reflect-metadata';
import { mintDevToken } from '@ketenlink/auth';
import request from 'supertest';
import { ReviewTimer } from '../application/timer.service';
import { counts, startPlanReviewsTestApp, type PlanReviewsTestApp } from '../test-support/harness';

/**
 * The HTTP API against the real (test) database: bad input is a 4xx problem+json with nothing
 * stored or emitted; an MDO's step-up is an event; the agenda shows what fell due; reads pass
 * the gate and are logged.
 */
const PROVIDER = 'fz-de-brug';
const OFFICER = 'reclassering-noord';
let t: PlanReviewsTestApp;

beforeAll(async () => {
  t = await startPlanReviewsTestApp();
});
afterAll(async () => {
  await t?.close();
});

const goal = {
  goalId: '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
  description: 'Keep a daytime activity.',
  ownerOrganisationId: PROVIDER,
  targetDate: '2026-09-01',
};
const plan = {
  coordinatingOrganisationId: PROVIDER,
  setting: 'sheltered-housing',
  definitive: true,
  goals: [goal],
  earlyWarningPlan: {
    joint: true,
    signals: [
      {
        level: 'orange',
        description: 'Skips work twice.',
        actions: [{ description: 'Extra check-in.' }],
      },
    ],
  },
  effectiveFrom: '2026-02-01',
};
const meeting = (over: object = {}) => ({
  kind: 'driegesprek',
  heldAt: '2026-01-15T10:00:00+01:00',
  attendees: [
    { role: 'client', attended: true },
    { role: 'probation-officer', organisationId: OFFICER, attended: true },
  ],
  decision: 'none',
  nextDate: '2026-01-29',
  ...over,
});

describe('plan-reviews HTTP (real PostgreSQL)', () => {
  it('refuses bad input with a 4xx problem and stores and emits nothing', async () => {
    const id = await t.openTrajectory([
      { organisationId: PROVIDER, role: 'provider' },
      { organisationId: OFFICER, role: 'probation' },
    ]);
    const worker = await t.as(PROVIDER, ['support-worker']);
    const before = await counts(t.ds);
    const cases: [string, unknown, number, RegExp][] = [
      [`/trajectories/${id}/meetings`, meeting({ secret: 'x' }), 400, /validation-error/],
      [`/trajectories/${id}/meetings`, meeting({ kind: 'party' }), 400, /validation-error/],
      [
        `/trajectories/${id}/meetings`,
        meeting({ decision: 'step-up' }),
        409,
        /decision-outside-mdo/,
      ],
      [
        `/trajectories/${id}/meetings`,
        meeting({ nextDate: '2026-01-01' }),
        422,
        /dates-out-of-order/,
      ],
      [
        `/trajectories/${id}/meetings`,
        { ...meeting(), meetingId: '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b' },
        400,
        /validation-error/,
      ],
      [
        `/trajectories/${id}/plans`,
        { ...plan, goals: [{ ...goal, targetDate: 'soon' }] },
        400,
        /validation-error/,
      ],
      [`/trajectories/${id}/plans`, { ...plan, version: 7 }, 400, /validation-error/],
      [
        `/trajectories/${id}/risk-assessments`,
        {
          instrument: 'RISc',
          level: 'high',
          setting: 'ambulant',
          assessedOn: '2026-02-01',
          expiresOn: '2026-01-01',
        },
        422,
        /dates-out-of-order/,
      ],
      [
        `/trajectories/${id}/risk-assessments`,
        {
          instrument: 'crystal-ball',
          level: 'high',
          setting: 'ambulant',
          assessedOn: '2026-02-01',
          expiresOn: '2026-08-01',
        },
        400,
        /validation-error/,
      ],
      [`/trajectories/not-a-uuid/meetings`, meeting(), 400, /./],
    ];
    for (const [path, body, status, type] of cases) {
      const res = await worker.post(path, body);
      expect({ path, status: res.status, type: res.body.type }).toEqual({
        path,
        status,
        type: expect.stringMatching(type),
      });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // An organisation that does not take part: 404, nothing stored.
    const stranger = await t.as('fz-elders', ['support-worker']);
    expect((await stranger.post(`/trajectories/${id}/meetings`, meeting())).status).toBe(404);
    expect(await counts(t.ds)).toEqual(before);
    // A second joint early-warning plan by a non-coordinator: 409.
    const officer = await t.as(OFFICER, ['probation-officer']);
    expect(
      (
        await officer.post(`/trajectories/${id}/plans`, {
          ...plan,
          coordinatingOrganisationId: OFFICER,
        })
      ).status,
    ).toBe(201);
    const afterFirstPlan = await counts(t.ds);
    expect((await worker.post(`/trajectories/${id}/plans`, plan)).status).toBe(409); // coordinating party differs
    expect(await counts(t.ds)).toEqual(afterFirstPlan);
    // A second plan of the same organisation (no planId): 409 plan-exists, not a unique violation.
    const again = await officer.post(`/trajectories/${id}/plans`, {
      ...plan,
      coordinatingOrganisationId: OFFICER,
    });
    expect({ status: again.status, type: again.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/plan-exists/),
    });
    expect(await counts(t.ds)).toEqual(afterFirstPlan);
    expect(afterFirstPlan.plan_versions).toBe(before.plan_versions + 1);
    expect(afterFirstPlan.meetings).toBe(before.meetings);
    // A token of an organisation the registry does not know: 403 (registered-organisation guard).
    const unknown = await mintDevToken({
      sub: 'x',
      org: 'fz-not-registered',
      roles: ['support-worker'],
    });
    const refused = await request(t.app.getHttpServer())
      .get('/agenda')
      .set('authorization', `Bearer ${unknown}`);
    expect(refused.status).toBe(403);
    // Region overrides: unknown rule 422.
    const admin = await t.as('ketenlink', ['registry-admin']);
    expect((await admin.put('/rule-overrides/Groningen', { 'R-NOPE': {} })).status).toBe(422);
  });

  it('an MDO stepping care up emits care.escalated; the agenda shows what fell due; reads are logged', async () => {
    const id = await t.openTrajectory([
      { organisationId: PROVIDER, role: 'provider' },
      { organisationId: OFFICER, role: 'probation' },
    ]);
    const worker = await t.as(PROVIDER, ['support-worker']);
    // A version of the provider's plan makes it the coordinating party (the reviewer).
    expect((await worker.post(`/trajectories/${id}/plans`, plan)).status).toBe(201);
    const res = await worker.post(
      `/trajectories/${id}/meetings`,
      meeting({ kind: 'mdo', decision: 'step-up', nextDate: undefined }),
    );
    expect(res.status).toBe(201);
    const types = (await t.ds.query(`SELECT type FROM outbox WHERE aggregateid = $1 ORDER BY seq`, [
      id,
    ])) as { type: string }[];
    expect(types.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        'nl.ketenlink.plan.versioned.v1',
        'nl.ketenlink.meeting.held.v1',
        'nl.ketenlink.care.escalated.v1',
      ]),
    );
    // The progress report is due three months after the plan; tick the timer after it.
    await t.app.get(ReviewTimer).tick(new Date('2026-05-02T10:00:00Z'));
    const agenda = await worker.get('/agenda');
    expect(agenda.status).toBe(200);
    const mine = agenda.body.items.filter((i: { trajectoryId: string }) => i.trajectoryId === id);
    expect(mine.map((i: { kind: string; state: string }) => `${i.kind}:${i.state}`)).toEqual([
      'progress-report:due',
    ]);
    const plans = await worker.get(`/trajectories/${id}/plans`);
    expect(plans.status).toBe(200);
    expect(plans.body.items[0]).toMatchObject({
      version: 1,
      ownerOrganisationId: PROVIDER,
      goals: [goal],
    });
    const logged = (await t.ds.query(
      `SELECT resource, outcome FROM access_log WHERE trajectory_id = $1`,
      [id],
    )) as { resource: string }[];
    expect(logged.map((r) => r.resource)).toEqual(
      expect.arrayContaining(['plan', 'meeting', 'agenda-item', 'plans']),
    );
  });
});
