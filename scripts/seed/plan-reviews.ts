/**
 * Demo data for plan-reviews (called by scripts/seed-demo.ts): the provider's plan with goals and
 * a joint early-warning plan, a risk assessment (ambulant, high: a safety plan falls due), and the
 * first driegesprek with an agreed next date; then prints the coordinator's agenda commands.
 * The service learns the trajectory and its participants from Kafka, so each write is retried
 * (bounded) until it stops answering 404. Idempotent enough for a demo: reruns add versions.
 */
import { createHash } from 'node:crypto';
import { mintDevToken } from '@ketenlink/auth';
import { addDays, calendarDate } from '@ketenlink/dates';

const URL = `http://127.0.0.1:${process.env.PLAN_REVIEWS_PORT ?? 3004}`;
const PROVIDER = 'fz-de-brug';

/**
 * The demo plan's id, the same for every run on one trajectory (a rerun versions it, even before
 * plan-reviews has learned the trajectory) and another for another trajectory (a fresh clone on a
 * machine whose databases hold an earlier demo opens a new trajectory): a name-based UUID (v5
 * layout) of the trajectory id.
 */
function demoPlanId(trajectoryId: string): string {
  const h = createHash('sha1').update(`ketenlink-demo-plan:${trajectoryId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export async function seedPlanReviews(trajectoryId: string): Promise<void> {
  const token = await mintDevToken({
    sub: 'demo-support-worker',
    org: PROVIDER,
    roles: ['support-worker'],
    ttlSeconds: 3600,
  });
  const post = async (path: string, body: object): Promise<void> => {
    for (let attempt = 0; attempt < 60; attempt++) {
      const res = await fetch(`${URL}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status === 201) return;
      if (res.status !== 404)
        throw new Error(`plan-reviews ${path}: ${res.status} ${await res.text()}`);
      await new Promise((r) => setTimeout(r, 500)); // the trajectory's events are still on their way
    }
    throw new Error(
      `plan-reviews never learned trajectory ${trajectoryId} (is it running on ${URL}?)`,
    );
  };
  const today = calendarDate(new Date());
  // A rerun versions the provider's plan (one plan per organisation) instead of adding one.
  const known = await fetch(`${URL}/trajectories/${trajectoryId}/plans`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const existing = known.ok
    ? ((await known.json()) as { items: { planId: string; ownerOrganisationId: string }[] }).items
    : [];
  const planId =
    existing.find((p) => p.ownerOrganisationId === PROVIDER)?.planId ?? demoPlanId(trajectoryId);
  await post(`/trajectories/${trajectoryId}/plans`, {
    planId,
    coordinatingOrganisationId: PROVIDER,
    setting: 'ambulant',
    definitive: true,
    goals: [
      {
        goalId: '6f0e2a1c-3b4d-4e5f-9a8b-7c6d5e4f3a21',
        description: 'A daytime activity four days a week.',
        lifeArea: 'work-and-daytime',
        ownerOrganisationId: PROVIDER,
        ownerRole: 'client',
        targetDate: addDays(today, 90),
      },
    ],
    earlyWarningPlan: {
      joint: true,
      signals: [
        {
          level: 'green',
          description: 'Keeps appointments.',
          actions: [{ description: 'Weekly contact as agreed.' }],
        },
        {
          level: 'orange',
          description: 'Misses the daytime activity twice in a week.',
          actions: [{ description: 'Check-in the next day.', ownerRole: 'support-worker' }],
        },
        {
          level: 'red',
          description: 'Reports use.',
          actions: [
            {
              description: 'Inform the probation officer the same day.',
              ownerRole: 'support-worker',
            },
          ],
        },
      ],
    },
    relapsePrevention: {
      description: 'Avoid the old network; call the buddy.',
      triggers: ['payday'],
    },
    effectiveFrom: today,
  });
  await post(`/trajectories/${trajectoryId}/risk-assessments`, {
    instrument: 'HKT-R',
    level: 'high',
    authorRole: 'practitioner',
    setting: 'ambulant',
    assessedOn: today,
    expiresOn: addDays(today, 182),
    reason: 'after-placement',
  });
  await post(`/trajectories/${trajectoryId}/meetings`, {
    kind: 'driegesprek',
    heldAt: new Date().toISOString(),
    attendees: [
      { role: 'client', attended: true },
      { role: 'support-worker', organisationId: PROVIDER, attended: true },
    ],
    outcome: 'Roles, notification triggers and contact frequencies agreed.',
    decision: 'none',
    nextDate: addDays(today, 14),
  });
  console.log(`
Plan reviews (${URL}): the provider's agenda, its plans and assessments for the demo trajectory
  export WORKER=${token}
  curl -s "${URL}/agenda?include=scheduled" -H "authorization: Bearer $WORKER"
  curl -s ${URL}/trajectories/${trajectoryId}/plans -H "authorization: Bearer $WORKER"
  curl -s ${URL}/trajectories/${trajectoryId}/risk-assessments -H "authorization: Bearer $WORKER"`);
}
