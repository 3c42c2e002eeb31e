import fc from 'fast-check';
import type { DataCategory } from '@ketenlink/contracts';
import type { DisclosureGrant } from '@ketenlink/disclosure';
import {
  type ConsentRecord,
  PARTICIPANT_ROLES,
  type Participation,
  ROLE_DEFAULTS,
} from '@ketenlink/consent';
import { fanOut } from './fan-out';
import {
  FULL_NOTICE,
  NOTICE_TYPE,
  REPORT_TYPE,
  TEST_CONTRACTS,
  TEST_REGISTRY,
} from './fan-out.fixtures';
import type { PartnerProfile } from './partner';

/**
 * Property: over random event streams and random participation and consent histories, no
 * partner ever receives a field of a category it was not entitled to at the delivery instant.
 * The oracle is written apart from libs/consent's decide: role defaults while participating
 * ∪ records naming the recipient in force (from ≤ t < until, t < revokedAt) ∪ disclosure grants
 * (e.g. a referral, ADR 0042) in force, which also make the trajectory visible to their
 * recipient; identity never.
 */
const ORGS = ['org-a', 'org-b', 'org-c'] as const;
const T = FULL_NOTICE.trajectoryId;
const DAY = 86_400_000;
const BASE = Date.parse('2026-01-01T00:00:00Z');
const CATS: DataCategory[] = [
  'title-and-conditions',
  'risk',
  'plan-and-goals',
  'medical',
  'incidents-and-violations',
  'contact-and-logistics',
  'general-information',
  'identity',
];

const instant = fc.integer({ min: 0, max: 60 }).map((d) => new Date(BASE + d * DAY));
const participation = fc.record({
  organisationId: fc.constantFrom(...ORGS),
  role: fc.constantFrom(...PARTICIPANT_ROLES),
  from: instant,
  until: fc.option(instant, { nil: undefined }),
});
const consent = fc.record({
  id: fc.uuid(),
  recipient: fc.oneof(
    fc.constantFrom(...ORGS).map((id) => ({ kind: 'organisation' as const, id })),
    fc.constant({ kind: 'class' as const, id: 'relatives' as const }),
  ),
  categories: fc.subarray(CATS, { minLength: 1 }),
  purpose: fc.constant('p'),
  legalBasis: fc.constantFrom('consent' as const, 'covenant' as const),
  validFrom: instant,
  validUntil: fc.option(instant, { nil: undefined }),
  revokedAt: fc.option(instant, { nil: undefined }),
});
const grant = fc.record({
  id: fc.uuid(),
  recipientOrganisationId: fc.constantFrom(...ORGS),
  categories: fc.subarray(CATS, { minLength: 1 }),
  purpose: fc.constant('referral'),
  legalBasis: fc.constant('legal-duty' as const),
  validFrom: instant,
  validUntil: fc.option(instant, { nil: undefined }),
});
const partner = (org: string, relatives: boolean, full: boolean, i: number): PartnerProfile => ({
  organisationId: org,
  audience: relatives ? 'relatives' : 'organisation',
  ...(relatives ? { trajectoryId: T } : {}),
  fullPayloads: full,
  subscriptions: new Set([REPORT_TYPE, NOTICE_TYPE]),
  channels: [{ id: `${org}-c${i}`, kind: 'topic', eventTypes: [] }],
});

function inForce(c: Pick<ConsentRecord, 'validFrom' | 'validUntil' | 'revokedAt'>, t: number) {
  return (
    c.validFrom.getTime() <= t &&
    (c.validUntil === undefined || t < c.validUntil.getTime()) &&
    (c.revokedAt === undefined || t < c.revokedAt.getTime())
  );
}

function oracle(
  p: PartnerProfile,
  parts: Participation[],
  consents: ConsentRecord[],
  grants: DisclosureGrant[],
  at: Date,
) {
  const t = at.getTime();
  const out = new Set<DataCategory>();
  if (p.audience === 'relatives') {
    out.add('general-information').add('metadata');
    for (const c of consents) {
      if (c.recipient.kind === 'class' && inForce(c, t)) c.categories.forEach((x) => out.add(x));
    }
  } else {
    const active = parts.filter(
      (x) =>
        x.organisationId === p.organisationId &&
        x.from.getTime() <= t &&
        (!x.until || t < x.until.getTime()),
    );
    const granted = grants.filter(
      (g) => g.recipientOrganisationId === p.organisationId && inForce(g, t),
    );
    if (active.length === 0 && granted.length === 0) return new Set<DataCategory>();
    for (const a of active) ROLE_DEFAULTS[a.role].categories.forEach((x) => out.add(x));
    for (const g of granted) g.categories.forEach((x) => out.add(x));
    for (const c of consents) {
      if (
        c.recipient.kind === 'organisation' &&
        c.recipient.id === p.organisationId &&
        inForce(c, t)
      ) {
        c.categories.forEach((x) => out.add(x));
      }
    }
  }
  out.delete('identity');
  return out;
}

describe('fan-out property: never a field of a category not entitled at delivery time', () => {
  it('holds for random streams and consent histories', () => {
    const categoriesOf = (type: string) => TEST_REGISTRY.dataCategoriesOf(type);
    fc.assert(
      fc.property(
        fc.array(participation, { maxLength: 6 }),
        fc.array(consent, { maxLength: 6 }),
        fc.array(grant, { maxLength: 3 }),
        fc.array(fc.record({ type: fc.constantFrom(NOTICE_TYPE, REPORT_TYPE), at: instant }), {
          minLength: 1,
          maxLength: 10,
        }),
        fc.array(fc.tuple(fc.constantFrom(...ORGS), fc.boolean(), fc.boolean()), {
          minLength: 1,
          maxLength: 4,
        }),
        (parts, consents, grants, stream, partnerSpecs) => {
          const partners = partnerSpecs.map(([o, rel, full], i) => partner(o, rel, full, i));
          const facts = { trajectoryId: T, participations: parts, consents, grants };
          for (const [i, e] of stream.entries()) {
            const { deliveries } = fanOut(
              { id: `e-${i}`, type: e.type, subject: T, data: FULL_NOTICE },
              partners,
              facts,
              e.at,
              TEST_CONTRACTS,
            );
            const paths = categoriesOf(e.type);
            for (const d of deliveries) {
              const p = partners.find(
                (x) => x.organisationId === d.organisationId && x.channels[0]!.id === d.channel.id,
              )!;
              const allowed = oracle(p, parts, consents, grants, e.at);
              for (const field of Object.keys(d.data)) {
                const c = paths.get(field)!;
                if (!allowed.has(c))
                  throw new Error(
                    `${d.organisationId} got ${field} (${c}) at ${e.at.toISOString()}`,
                  );
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
