import '../test-support/topic-prefix';
import { randomUUID } from 'node:crypto';
import { validatePayload } from '@ketenlink/contracts';
import { waitFor } from '@ketenlink/testing';
import { facts, type GatewayTestApp, startGatewayTestApp } from '../test-support/harness';
import { type ReferenceSubscriber, webhookPartner } from '../test-support/webhook-partner';

/**
 * The must-shows of issue 13 with the REAL contracts (not the unit test's fixture schemas),
 * through real Kafka, PostgreSQL and HTTP receivers (docs/examples/reference-subscriber.ts): the
 * copies are what each partner's receiver got (decided at send time, ADR 0039), and what a
 * partner did not get is the `withheld` decision the consumer audited in the same transaction
 * as the copies it queued. The field probation must never receive is `medicationNotes` of a
 * placement request (medical), and what the placement needs (`needs`, `urgency`:
 * plan-and-goals, a problem/treatment category a provider does get).
 */
const P = 'reclassering-must';
const V = 'fz-must';
const R = 'familie-must';
const TITLE = 'nl.ketenlink.title.registered.v1';
const ACTIVATED = 'nl.ketenlink.agreement.activated.v1';
const NOTIFICATION = 'nl.ketenlink.notification.raised.v1';
const PLACEMENT = 'nl.ketenlink.placement.requested.v1';

let gw: GatewayTestApp;
const receivers = new Map<string, ReferenceSubscriber>();

const count = async (sql: string, params: unknown[]): Promise<number> =>
  ((await gw.ds.query(sql, params)) as { n: number }[])[0]!.n;

beforeAll(async () => {
  gw = await startGatewayTestApp({ PARTNER_WEBHOOK_POLL_MS: '50' });
  await gw.publish([
    facts.organisation('ketenlink-ops', 'platform'),
    facts.organisation(P, 'probation-service'),
    facts.organisation(V, 'care-provider'),
    facts.organisation(R, 'care-provider'),
  ]);
  await waitFor(
    async () =>
      (await count(
        `SELECT count(*)::int AS n FROM facts_organisations WHERE organisation_id = ANY($1)`,
        [[P, V, R]],
      )) === 3,
    { what: 'organisations projected' },
  );
}, 60_000);

afterAll(async () => {
  for (const r of receivers.values()) await r.close();
  await gw?.close();
});

async function partner(
  org: string,
  types: string[],
  extra: { audience?: 'relatives'; trajectoryId?: string } = {},
): Promise<void> {
  receivers.set(org, await webhookPartner(gw, org, types, extra));
}

interface Copy {
  organisation_id: string;
  event_id: string;
  data: Record<string, unknown>;
  categories: string[];
  consent_refs: string[];
}

/** What every partner's receiver got of the trajectory's events. */
const copies = async (trajectoryId: string): Promise<Copy[]> =>
  [...receivers].flatMap(([org, r]) =>
    r.received
      .filter((x) => x.event.subject === trajectoryId)
      .map((x) => ({
        organisation_id: org,
        event_id: x.event.id,
        data: x.event.data,
        categories: String(x.event.datacategories ?? '')
          .split(',')
          .filter(Boolean),
        consent_refs: String(x.event.consentrefs ?? '')
          .split(',')
          .filter(Boolean),
      })),
  );

/** The consumer's decision not to send `eventId` to `org` (same transaction as the copies). */
const withheld = (org: string, eventId: string) =>
  count(
    `SELECT count(*)::int AS n FROM disclosure_audit WHERE organisation_id = $1 AND event_id = $2
        AND outcome = 'withheld'`,
    [org, eventId],
  );

/** Published only when valid against its real schema (a dead letter would only time out). */
function valid<T extends { type: string; data: unknown }>(e: T): T {
  expect(validatePayload(e.type, e.data)).toEqual({ ok: true });
  return e;
}

describe('must-shows with the real schemas (real Kafka, PostgreSQL)', () => {
  it('probation: conditions and the mandatory notification, never medical data nor the placement needs; provider: what the placement needs, medication included; relatives: plan data only with consent, never medical', async () => {
    const t = randomUUID();
    await partner(P, [TITLE, ACTIVATED, PLACEMENT]); // not NOTIFICATION: it is mandatory for probation
    await partner(V, [ACTIVATED, NOTIFICATION, PLACEMENT]);
    await partner(R, [PLACEMENT], { audience: 'relatives', trajectoryId: t });
    await gw.publish([
      facts.opened(t, P),
      facts.joined(t, P, 'probation'),
      facts.joined(t, V, 'provider'),
    ]);
    await waitFor(
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM facts_participations WHERE trajectory_id = $1`,
          [t],
        )) === 2,
      { what: 'participations projected' },
    );

    const agreementId = randomUUID();
    const conditionId = randomUUID();
    const condition = {
      conditionId,
      type: 'abstinence',
      text: 'no alcohol or drugs',
      source: 'court-decision',
    };
    const terms = {
      conditions: [condition],
      notificationTriggers: [],
      contactFrequencies: [],
      driegesprek: { every: { count: 6, unit: 'week' }, nextReviewOn: '2027-01-15' },
      clientGoals: [],
      probationGoals: [],
      lifeAreaOwners: [],
      firstPointOfContact: { party: 'provider', organisationId: V, role: 'support-worker' },
      houseRules: [],
    };
    const placement = (n: number) =>
      valid({
        type: PLACEMENT,
        subject: t,
        data: {
          trajectoryId: t,
          placementId: randomUUID(),
          providerOrganisationId: V,
          referrerOrganisationId: P,
          referrerKind: 'probation',
          titleKind: 'special-conditions-suspended-sentence',
          offenceCategory: 'violence',
          activeSubstanceUse: n === 1,
          needs: ['housing', 'addiction-care'],
          urgency: 'urgent',
          medicationNotes: 'methadone 60 mg daily, dispensed by the pharmacy',
          documentsComplete: true,
          requestedAt: '2026-11-20T10:00:00Z',
          answerDueOn: '2026-12-04',
        },
      });
    const [title, activated, notification, placement1] = await gw.publish([
      valid(facts.title(t, 1)),
      valid({
        type: ACTIVATED,
        subject: t,
        data: {
          trajectoryId: t,
          agreementId,
          version: 1,
          basis: 'signed-agreement',
          parties: { probationOrganisationId: P, providerOrganisationId: V },
          terms,
          activatedAt: '2026-11-10T09:00:00Z',
        },
      }),
      valid({
        type: NOTIFICATION,
        subject: t,
        data: {
          trajectoryId: t,
          notificationId: randomUUID(),
          agreementId,
          agreementVersion: 1,
          kind: 'positive-urine-check',
          urgency: 'urgent',
          condition: { conditionId, type: 'abstinence', text: 'no alcohol or drugs' },
          cause: 'positive urine check on 2026-11-21',
          clientInformed: true,
          raisedAt: '2026-11-21T09:00:00Z',
          raisedBy: { organisationId: V, role: 'support-worker' },
          probationOrganisationId: P,
        },
      }),
      placement(1),
    ]);
    const of = (all: Copy[], org: string, eventId: string) =>
      all.find((c) => c.organisation_id === org && c.event_id === eventId);
    const first = await waitFor(
      async () => {
        const all = await copies(t);
        return [title, activated, notification, placement1].every((e) => of(all, P, e!.id)) &&
          [activated, notification, placement1].every((e) => of(all, V, e!.id))
          ? all
          : undefined;
      },
      { timeoutMs: 30_000, what: "probation's and provider's copies received" },
    );

    // Probation: the title's conditions, the agreement's terms, the notification unsubscribed.
    expect(of(first, P, title!.id)!.data.conditions).toEqual([
      { type: 'abstinence', description: 'condition 1' },
    ]);
    // (the terms' goals, house rules and life-area owners are plan-and-goals: not probation's)
    const { clientGoals, probationGoals, lifeAreaOwners, houseRules, ...forProbation } = terms;
    expect(of(first, P, activated!.id)!.data.terms).toEqual(forProbation);
    expect([clientGoals, probationGoals, lifeAreaOwners, houseRules]).toHaveLength(4);
    expect(of(first, P, notification!.id)!.data).toMatchObject({
      kind: 'positive-urine-check',
      cause: 'positive urine check on 2026-11-21',
      condition: { conditionId, type: 'abstinence', text: 'no alcohol or drugs' },
    });
    // …and of the placement request the title and risk, never what the placement needs.
    const pPlacement = of(first, P, placement1!.id)!;
    expect(pPlacement.data).toMatchObject({
      titleKind: expect.any(String),
      offenceCategory: 'violence',
    });
    expect(pPlacement.data).not.toHaveProperty('medicationNotes');
    expect(pPlacement.data).not.toHaveProperty('needs');
    expect(pPlacement.data).not.toHaveProperty('urgency');
    for (const c of first.filter((x) => x.organisation_id === P)) {
      expect(c.categories).not.toContain('medical');
      expect(c.categories).not.toContain('plan-and-goals');
    }
    // Provider: what the placement needs (medication included), the agreement's terms in full.
    expect(of(first, V, activated!.id)!.data.terms).toEqual(terms);
    expect(of(first, V, placement1!.id)!.data).toMatchObject({
      needs: ['housing', 'addiction-care'],
      urgency: 'urgent',
      offenceCategory: 'violence',
      medicationNotes: 'methadone 60 mg daily, dispensed by the pharmacy',
    });
    expect(of(first, V, placement1!.id)!.categories).toEqual(
      expect.arrayContaining(['plan-and-goals', 'medical']),
    );
    // Relatives without a consent record: nothing of the placement request (the decision is
    // audited in the same transaction as the copies above, so this is final, not early).
    expect(await withheld(R, placement1!.id)).toBe(1);
    expect(of(first, R, placement1!.id)).toBeUndefined();

    // A consent record for relatives on plan-and-goals: the next request reaches them, cut.
    const consentId = randomUUID();
    await gw.publish([
      facts.consent(t, consentId, { kind: 'class', id: 'relatives' }, ['plan-and-goals']),
    ]);
    await waitFor(
      async () =>
        (await count(`SELECT count(*)::int AS n FROM facts_consents WHERE consent_id = $1`, [
          consentId,
        ])) === 1,
      { what: 'consent projected' },
    );
    const [placement2] = await gw.publish([placement(2)]);
    const toRelatives = await waitFor(async () => of(await copies(t), R, placement2!.id), {
      timeoutMs: 30_000,
      what: 'the relatives copy received',
    });
    expect(toRelatives.data).toMatchObject({
      needs: ['housing', 'addiction-care'],
      urgency: 'urgent',
    });
    expect(toRelatives.data).not.toHaveProperty('offenceCategory');
    expect(toRelatives.data).not.toHaveProperty('titleKind');
    expect(toRelatives.data).not.toHaveProperty('medicationNotes');
    expect(toRelatives.categories).not.toContain('medical');
    expect(toRelatives.consent_refs).toEqual([consentId]);
  }, 120_000);
});
