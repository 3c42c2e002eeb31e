import {
  DATA_CATEGORIES,
  type DataCategory,
  type Field,
  fieldsOf,
  loadSchemas,
} from '@ketenlink/contracts';
import { type ConsentRecord, PARTICIPANT_ROLES, type Participation } from '@ketenlink/consent';
import fc from 'fast-check';
// The contracts' own maximal payload per event type (a test fixture, not public API).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { SAMPLES } from '../../../contracts/src/__fixtures__/samples';
import { type DisclosureGrant, entitlementOf, type TrajectoryFacts } from './entitlement';
import type { Reader } from './reader';
import { ClientDataView } from './view';

/**
 * Issue 10 property (a): no actor ever reads a field of a category it is not entitled to at
 * that instant, through the gate's filter, on every real contract payload sample. Actors:
 * staff of organisations in every participation role with any mix of token roles (operator
 * included, unknown roles too), the client, relatives, of this trajectory or another. The oracle
 * below is written from the rules in words (libs/consent README, ADR 0020), not from the code.
 * On failure fast-check prints the seed and path; rerun with FC_SEED=<seed>.
 */

// ---- the oracle -------------------------------------------------------------------------------
const ROLE_DEFAULTS_IN_WORDS: Record<string, readonly DataCategory[]> = {
  probation: [
    'title-and-conditions',
    'incidents-and-violations',
    'risk',
    'participation',
    'general-information',
    'consent',
    'metadata',
  ],
  provider: [
    'title-and-conditions',
    'risk',
    'plan-and-goals',
    'medical',
    'contact-and-logistics',
    'participation',
    'general-information',
    'consent',
    'metadata',
  ],
  'receiving-provider': ['participation', 'general-information', 'metadata'],
  zvh: ['participation', 'general-information', 'consent', 'metadata'],
  referrer: ['participation', 'general-information', 'metadata'],
};
const ALL = [...DATA_CATEGORIES];
const NO_IDENTITY = ALL.filter((c) => c !== 'identity');
const TOKEN_ROLES_IN_WORDS: Record<string, readonly DataCategory[]> = {
  coordinator: ALL,
  'zvh-coordinator': ALL,
  'probation-officer': ALL,
  'placement-officer': ALL,
  'support-worker': NO_IDENTITY,
  'partner-system': NO_IDENTITY,
  referrer: ['participation', 'general-information', 'metadata'],
  auditor: ['metadata'],
  'registry-admin': ['metadata'],
};
/** Relatives without any record (R-CONSENT's general information, when libs/consent adds it). */
// R-CONSENT: general information (and the metadata to show it) without consent, written out
// here rather than imported, so the oracle stays independent of libs/consent.
const RELATIVES_WITHOUT_RECORD: readonly DataCategory[] = ['general-information', 'metadata'];

const T = 'trajectory-T';
const inPeriod = (t: number, from: Date, until?: Date) =>
  from.getTime() <= t && (until === undefined || t < until.getTime());

function oracle(reader: Reader, f: TrajectoryFacts, at: Date): Set<DataCategory> {
  const t = at.getTime();
  const out = new Set<DataCategory>();
  const recordsFor = (kind: 'organisation' | 'class', id: string) =>
    [
      ...f.consents,
      ...(f.grants ?? []).map((g) => ({
        recipient: { kind: 'organisation', id: g.recipientOrganisationId },
        categories: g.categories,
        validFrom: g.validFrom,
        validUntil: g.validUntil,
        revokedAt: undefined,
      })),
    ].filter(
      (c) =>
        c.recipient.kind === kind &&
        c.recipient.id === id &&
        inPeriod(t, c.validFrom, c.validUntil) &&
        (c.revokedAt === undefined || t < c.revokedAt.getTime()),
    );
  if (reader.kind === 'client') return reader.trajectoryId === f.trajectoryId ? new Set(ALL) : out;
  if (reader.kind === 'relative') {
    if (reader.trajectoryId !== f.trajectoryId) return out;
    for (const c of RELATIVES_WITHOUT_RECORD) out.add(c);
    for (const r of recordsFor('class', 'relatives')) for (const c of r.categories) out.add(c);
    return out;
  }
  if (reader.roles.includes('operator')) return new Set(['metadata']);
  const org = reader.organisationId;
  const now = f.participations.filter(
    (p) => p.organisationId === org && inPeriod(t, p.from, p.until),
  );
  // Visible while participating now or while a disclosure grant (not a consent) names it.
  const grantNow = (f.grants ?? []).some(
    (g) => g.recipientOrganisationId === org && inPeriod(t, g.validFrom, g.validUntil),
  );
  if (now.length === 0 && !grantNow) return out; // not visible at all
  const org_ = new Set<DataCategory>();
  for (const p of now) for (const c of ROLE_DEFAULTS_IN_WORDS[p.role]!) org_.add(c);
  for (const r of recordsFor('organisation', org)) for (const c of r.categories) org_.add(c);
  const cap = new Set(reader.roles.flatMap((r) => TOKEN_ROLES_IN_WORDS[r] ?? []));
  for (const c of org_) if (cap.has(c)) out.add(c);
  return out;
}

// ---- the world --------------------------------------------------------------------------------
const time = fc
  .integer({ min: 0, max: 60 })
  .map((n) => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000));
const org = fc.constantFrom('org-a', 'org-b', 'org-c');
const categories = fc.subarray([...DATA_CATEGORIES], { minLength: 1 });

const participation: fc.Arbitrary<Participation> = fc.record(
  {
    organisationId: org,
    role: fc.constantFrom(...PARTICIPANT_ROLES),
    from: time,
    until: time,
  },
  { requiredKeys: ['organisationId', 'role', 'from'] },
);
const consent: fc.Arbitrary<ConsentRecord> = fc.record(
  {
    id: fc.uuid(),
    recipient: fc.oneof(
      org.map((id) => ({ kind: 'organisation' as const, id })),
      fc.constant({ kind: 'class' as const, id: 'relatives' as const }),
    ),
    categories,
    purpose: fc.constant('p'),
    legalBasis: fc.constantFrom('consent' as const, 'legal-duty' as const, 'covenant' as const),
    validFrom: time,
    validUntil: time,
    revokedAt: time,
  },
  { requiredKeys: ['id', 'recipient', 'categories', 'purpose', 'legalBasis', 'validFrom'] },
);
const grant: fc.Arbitrary<DisclosureGrant> = fc.record(
  {
    id: fc.uuid(),
    recipientOrganisationId: org,
    categories,
    purpose: fc.constant('referral'),
    legalBasis: fc.constant('legal-duty' as const),
    validFrom: time,
    validUntil: time,
  },
  {
    requiredKeys: [
      'id',
      'recipientOrganisationId',
      'categories',
      'purpose',
      'legalBasis',
      'validFrom',
    ],
  },
);
const TOKEN_ROLES = [...Object.keys(TOKEN_ROLES_IN_WORDS), 'operator', 'no-such-role'];
const reader: fc.Arbitrary<Reader> = fc.oneof(
  fc.record({
    subject: fc.constant('u'),
    organisationId: org,
    roles: fc.subarray(TOKEN_ROLES, { minLength: 1 }),
  }),
  fc.record({
    kind: fc.constant('client' as const),
    subject: fc.constant('c'),
    trajectoryId: fc.constantFrom(T, 'trajectory-U'),
  }),
  fc.record({
    kind: fc.constant('relative' as const),
    subject: fc.constant('r'),
    trajectoryId: fc.constantFrom(T, 'trajectory-U'),
  }),
);
const facts: fc.Arbitrary<TrajectoryFacts> = fc.record({
  trajectoryId: fc.constant(T),
  participations: fc.array(participation, { maxLength: 5 }),
  consents: fc.array(consent, { maxLength: 4 }),
  grants: fc.array(grant, { maxLength: 2 }),
});
const eventType = fc.constantFrom(...(Object.keys(SAMPLES) as (keyof typeof SAMPLES)[]));

// ---- the field check --------------------------------------------------------------------------
const registry = loadSchemas();
const views = new Map<string, { view: ClientDataView; categoryOf: Map<string, DataCategory> }>();
function viewOf(type: string) {
  let v = views.get(type);
  if (!v) {
    const fields = fieldsOf(registry.schemaOf(type));
    const categoryOf = new Map<string, DataCategory>();
    const walk = (level: ReadonlyMap<string, Field>) => {
      for (const f of level.values()) {
        categoryOf.set(f.path, f.category);
        if (f.shape.kind === 'object') walk(f.shape.fields);
        if (f.shape.kind === 'array') walk(f.shape.element);
      }
    };
    walk(fields);
    v = { view: ClientDataView.fromSchema(registry.schemaOf(type)), categoryOf };
    views.set(type, v);
  }
  return v;
}

/** Every leaf path present in a filtered payload (`conditions[].type`). */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  if (Array.isArray(value)) {
    const objects = value.filter((e) => e !== null && typeof e === 'object' && !Array.isArray(e));
    if (objects.length === 0) return [prefix];
    return objects.flatMap((e) => leafPaths(e, `${prefix}[]`));
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

describe('property (a): no actor reads a field of a category it is not entitled to', () => {
  it('through the gate’s filter, on every contract sample, at every instant', () => {
    fc.assert(
      fc.property(reader, facts, time, eventType, (r, f, at, type) => {
        const entitlement = entitlementOf(r, f, at);
        const entitled = oracle(r, f, at);
        const { view, categoryOf } = viewOf(type);
        const { data, categories: used } = view.filter(SAMPLES[type], entitlement.permitted);
        for (const path of leafPaths(data)) {
          if (path === '') continue;
          const c = categoryOf.get(path);
          if (c === undefined || !entitled.has(c)) {
            throw new Error(`${type}: ${path} (${c}) reached a reader not entitled to it`);
          }
        }
        for (const c of used) expect(entitled.has(c)).toBe(true);
        // And the gate withholds nothing the reader is entitled to (same set as the oracle).
        expect([...entitlement.permitted].sort()).toEqual([...entitled].sort());
        expect(entitlement.visible || entitlement.permitted.size === 0).toBe(true);
      }),
      { numRuns: 1000, ...(seed !== undefined ? { seed } : {}) },
    );
  });
});
