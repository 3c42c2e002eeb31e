/**
 * Property (b) of issue 10 ("no actor's own command widens its own entitlement"), shared by the
 * pure run (domain/authority.property.spec.ts) and the bounded run against the real HTTP API
 * (api/authority.property.int-spec.ts): the registry, random actors and commands, and an oracle
 * of entitlement written out from docs/consent-model.md, independently of libs/consent.
 */
import { DATA_CATEGORIES, type DataCategory } from '@ketenlink/contracts';
import { calendarDate, startOfDay } from '@ketenlink/dates';
import fc from 'fast-check';
import type { Actor, CaseCommand } from '../domain/authority';
import type { Organisation, OrganisationKind } from '../domain/organisations';
import type { TrajectoryState } from '../domain/trajectory';

export const DAY = 86_400_000;
export const T0 = new Date('2026-01-10T10:00:00Z').getTime();

export const REGISTRY: Record<string, OrganisationKind> = {
  'cp-a': 'care-provider',
  'cp-b': 'care-provider',
  'pr-a': 'probation-service',
  'pr-b': 'probation-service',
  'zv-a': 'zvh',
  'zv-b': 'zvh',
  'pa-a': 'placing-authority',
  'pi-a': 'prison',
  'mu-a': 'municipality',
  ops: 'platform',
};
export const ORGS = [...Object.keys(REGISTRY), 'ghost']; // ghost: not registered
export const organisation = (id: string): Organisation | undefined =>
  REGISTRY[id]
    ? { id, kind: REGISTRY[id], name: id, identifiers: {}, activeFrom: '2020-01-01' }
    : undefined;
export const ROLES = ['provider', 'probation', 'zvh', 'referrer', 'receiving-provider'] as const;
export const USER_ROLES = [
  'coordinator',
  'zvh-coordinator',
  'probation-officer',
  'placement-officer',
  'support-worker',
  'referrer',
  'operator',
] as const;
export const TRAJECTORY = '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11';

// --- the oracle: written out from docs/consent-model.md, not from libs/consent ------------------

export const ORACLE_DEFAULTS: Record<(typeof ROLES)[number], readonly DataCategory[]> = {
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
export const ENDS_WITH_TITLE: readonly DataCategory[] = [
  'title-and-conditions',
  'incidents-and-violations',
  'risk',
  'consent',
];

export function oracle(s: TrajectoryState, org: string, t: number): Set<DataCategory> {
  const out = new Set<DataCategory>();
  const ends = s.titles.map((x) => x.actualEndDate);
  const dutyOver =
    ends.length > 0 &&
    ends.every((e) => e !== undefined) &&
    t >= startOfDay([...(ends as string[])].sort().reverse()[0]!).getTime();
  for (const p of s.participations) {
    if (p.organisationId !== org) continue;
    if (!(p.from.getTime() <= t && (p.until === undefined || t < p.until.getTime()))) continue;
    for (const c of ORACLE_DEFAULTS[p.role]) {
      if (!(p.role === 'probation' && dutyOver && ENDS_WITH_TITLE.includes(c))) out.add(c);
    }
  }
  for (const r of s.consents) {
    if (r.recipient.kind !== 'organisation' || r.recipient.id !== org) continue;
    const live =
      r.validFrom.getTime() <= t &&
      (r.validUntil === undefined || t < r.validUntil.getTime()) &&
      (r.revokedAt === undefined || t < r.revokedAt.getTime());
    if (live) r.categories.forEach((c) => out.add(c));
  }
  return out;
}

/** Instants from now on: every boundary in either state, plus a spread of later instants. */
export function instants(a: TrajectoryState, b: TrajectoryState, now: number): number[] {
  const set = new Set<number>([now, now + 3_600_000, now + DAY, now + 30 * DAY, now + 3650 * DAY]);
  for (const s of [a, b]) {
    for (const p of s.participations) [p.from, p.until].forEach((d) => d && set.add(+d));
    for (const c of s.consents) {
      [c.validFrom, c.validUntil, c.revokedAt].forEach((d) => d && set.add(+d));
    }
    for (const x of s.titles) if (x.actualEndDate) set.add(+startOfDay(x.actualEndDate));
  }
  return [...set].filter((t) => t >= now);
}

// --- random actors and commands ----------------------------------------------------------------

export const orgId = fc.constantFrom(...ORGS);
/** `case-lead` / `participant`: an organisation actor resolved against the state at the step. */
export type ActorSpec =
  Actor | { kind: 'case-lead' | 'participant'; roles: (typeof USER_ROLES)[number][] };
export const caseManagerRoles = fc.subarray(
  USER_ROLES.filter((r) => r !== 'operator'),
  { minLength: 1 },
);
export const actor: fc.Arbitrary<ActorSpec> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('case-lead' as const), roles: caseManagerRoles }),
  },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('participant' as const), roles: caseManagerRoles }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('organisation' as const),
      subject: fc.constant('u'),
      organisationId: orgId,
      roles: fc.subarray([...USER_ROLES], { minLength: 1 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('client' as const),
      subject: fc.constant('c'),
      trajectoryId: fc.oneof(
        { weight: 4, arbitrary: fc.constant(TRAJECTORY) },
        { weight: 1, arbitrary: fc.constant('00000000-0000-4000-8000-000000000000') },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('relative' as const),
      subject: fc.constant('r'),
      trajectoryId: fc.constant(TRAJECTORY),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constant({ kind: 'event' as const, type: 'nl.ketenlink.client.placed.v1' }),
  },
);

/** A command template; ids of existing records are picked by index when the step runs. */
export type Step = {
  actor: ActorSpec;
  advanceDays: number;
  pick: number;
  make: (s: TrajectoryState, now: number, pick: number) => CaseCommand;
};

export const dayOffset = fc.integer({ min: -20, max: 60 });
export const categories = fc.subarray([...DATA_CATEGORIES], { minLength: 1, maxLength: 4 });
export const date = (now: number, days: number) => calendarDate(new Date(now + days * DAY));
export const pickOf = <T>(xs: readonly T[], i: number): T | undefined =>
  xs[i % Math.max(xs.length, 1)];

export const command: fc.Arbitrary<Step['make']> = fc.oneof(
  fc
    .record({
      org: orgId,
      role: fc.constantFrom(...ROLES),
      from: dayOffset,
      len: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }),
    })
    .map((c) => (_s: TrajectoryState, now: number, pick: number): CaseCommand => ({
      type: 'join',
      input: {
        id: `p${pick}-${now}`,
        organisationId: c.org,
        role: c.role,
        from: date(now, c.from),
        ...(c.len !== undefined ? { until: date(now, c.from + c.len) } : {}),
      },
    })),
  fc
    .option(fc.integer({ min: -5, max: 5 }), { nil: undefined })
    .map((at) => (s: TrajectoryState, now: number, pick: number): CaseCommand => ({
      type: 'leave',
      participationId: pickOf(s.participations, pick)?.id ?? 'none',
      ...(at !== undefined ? { at: new Date(now + at * DAY) } : {}),
    })),
  orgId.map((org) => (): CaseCommand => ({ type: 'transfer-case-lead', organisationId: org })),
  fc
    .record({ start: dayOffset, len: fc.integer({ min: 1, max: 400 }) })
    .map((c) => (_s: TrajectoryState, now: number, pick: number): CaseCommand => ({
      type: 'register-title',
      input: {
        id: `t${pick}-${now}`,
        kind: 'other',
        startDate: date(now, c.start - 30),
        expectedEndDate: date(now, c.start + c.len),
      },
    })),
  fc
    .integer({ min: -10, max: 30 })
    .map((d) => (s: TrajectoryState, now: number, pick: number): CaseCommand => ({
      type: 'end-title',
      titleId: pickOf(s.titles, pick)?.id ?? 'none',
      input: { endedOn: date(now, d), reason: 'ended-early-hearing' },
    })),
  fc
    .integer({ min: 1, max: 300 })
    .map((d) => (s: TrajectoryState, now: number, pick: number): CaseCommand => ({
      type: 'change-title',
      titleId: pickOf(s.titles, pick)?.id ?? 'none',
      input: { effectiveFrom: date(now, 0), expectedEndDate: date(now, d) },
    })),
  fc
    .record({
      recipient: fc.oneof(
        orgId.map((id) => ({ kind: 'organisation' as const, id })),
        fc.constant({ kind: 'class' as const, id: 'relatives' as const }),
      ),
      categories,
      basis: fc.constantFrom('consent' as const, 'legal-duty' as const, 'covenant' as const),
      onWordOf: fc.constantFrom(
        'client' as const,
        'legal-representative' as const,
        'court-order' as const,
        'statutory-provision' as const,
        'covenant' as const,
      ),
      from: fc.integer({ min: -10, max: 30 }),
      len: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
      evidence: fc.boolean(),
      covenant: fc.boolean(),
    })
    .map((c) => (_s: TrajectoryState, now: number, pick: number): CaseCommand => ({
      type: 'record-consent',
      consent: {
        id: `c${pick}-${now}`,
        recipient: c.recipient,
        categories: c.categories,
        purpose: 'p',
        legalBasis: c.basis,
        validFrom: new Date(now + c.from * DAY),
        ...(c.len !== undefined ? { validUntil: new Date(now + (c.from + c.len) * DAY) } : {}),
        onWordOf: c.onWordOf,
        ...(c.evidence ? { evidenceReference: 'form' } : {}),
        ...(c.covenant ? { covenant: 'Convenant' } : {}),
      },
    })),
  fc
    .record({
      at: fc.option(fc.integer({ min: -20, max: 5 }), { nil: undefined, freq: 2 }),
      onWordOf: fc.option(fc.constantFrom('client' as const), { nil: undefined }),
    })
    .map((c) => (s: TrajectoryState, now: number, pick: number): CaseCommand => ({
      type: 'revoke-consent',
      consentId:
        pickOf(
          s.consents.filter((c) => c.revokedAt === undefined),
          pick,
        )?.id ?? 'none',
      ...(c.at !== undefined ? { at: new Date(now + c.at * DAY) } : {}),
      ...(c.onWordOf ? { onWordOf: c.onWordOf } : {}),
    })),
);

export const step: fc.Arbitrary<Step> = fc.record({
  actor,
  advanceDays: fc.integer({ min: 0, max: 20 }),
  pick: fc.nat(),
  make: command,
});

export const opener = fc.constantFrom(
  ['zv-a', 'zvh'] as const,
  ['pr-a', 'probation'] as const,
  ['pa-a', 'referrer'] as const,
  ['cp-a', 'provider'] as const,
  ['mu-a', 'referrer'] as const,
);

export function resolve(spec: ActorSpec, s: TrajectoryState, pick: number): Actor {
  if (spec.kind !== 'case-lead' && spec.kind !== 'participant') return spec as Actor;
  const organisationId =
    spec.kind === 'case-lead'
      ? s.trajectory.caseLead.organisationId
      : (pickOf(s.participations, pick)?.organisationId ?? 'ghost');
  return { kind: 'organisation', subject: 'u', organisationId, roles: spec.roles };
}
