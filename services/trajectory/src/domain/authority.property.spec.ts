/**
 * Issue 10, property (b): no actor's own command ever widens its own entitlement.
 *
 * Random command sequences by random actors (organisations of every kind with random roles,
 * clients, relatives, operators, domain events) over random trajectories, through the PURE
 * domain commands (runCommand). After every accepted command by an organisation, an oracle
 * written independently of libs/consent (its own role table, its own time arithmetic) must
 * find that the organisation receives nothing, at any instant from now on, that it did not
 * receive before. Relatives and operators never change anything. On failure fast-check prints
 * the seed and path; replay with FC_SEED=<seed> (and FC_PATH=<path>).
 */
import { DATA_CATEGORIES, type DataCategory } from '@ketenlink/contracts';
import fc from 'fast-check';
import { applyChanges } from './apply';
import { type Actor, type CaseCommand, runCommand } from './authority';
import { calendarDate, startOfDay } from '@ketenlink/dates';
import { DomainError } from './errors';
import type { Organisation, OrganisationKind } from './organisations';
import { openTrajectory, type TrajectoryState } from './trajectory';

const DAY = 86_400_000;
const T0 = new Date('2026-01-10T10:00:00Z').getTime();

const REGISTRY: Record<string, OrganisationKind> = {
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
const ORGS = [...Object.keys(REGISTRY), 'ghost']; // ghost: not registered
const organisation = (id: string): Organisation | undefined =>
  REGISTRY[id]
    ? { id, kind: REGISTRY[id], name: id, identifiers: {}, activeFrom: '2020-01-01' }
    : undefined;
const ROLES = ['provider', 'probation', 'zvh', 'referrer', 'receiving-provider'] as const;
const USER_ROLES = [
  'coordinator',
  'zvh-coordinator',
  'probation-officer',
  'placement-officer',
  'support-worker',
  'referrer',
  'operator',
] as const;
const TRAJECTORY = '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11';

// --- the oracle: written out from docs/consent-model.md, not from libs/consent ------------------

const ORACLE_DEFAULTS: Record<(typeof ROLES)[number], readonly DataCategory[]> = {
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
const ENDS_WITH_TITLE: readonly DataCategory[] = [
  'title-and-conditions',
  'incidents-and-violations',
  'risk',
  'consent',
];

function oracle(s: TrajectoryState, org: string, t: number): Set<DataCategory> {
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
function instants(a: TrajectoryState, b: TrajectoryState, now: number): number[] {
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

const orgId = fc.constantFrom(...ORGS);
/** `case-lead` / `participant`: an organisation actor resolved against the state at the step. */
type ActorSpec =
  Actor | { kind: 'case-lead' | 'participant'; roles: (typeof USER_ROLES)[number][] };
const caseManagerRoles = fc.subarray(
  USER_ROLES.filter((r) => r !== 'operator'),
  { minLength: 1 },
);
const actor: fc.Arbitrary<ActorSpec> = fc.oneof(
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
type Step = {
  actor: ActorSpec;
  advanceDays: number;
  pick: number;
  make: (s: TrajectoryState, now: number, pick: number) => CaseCommand;
};

const dayOffset = fc.integer({ min: -20, max: 60 });
const categories = fc.subarray([...DATA_CATEGORIES], { minLength: 1, maxLength: 4 });
const date = (now: number, days: number) => calendarDate(new Date(now + days * DAY));
const pickOf = <T>(xs: readonly T[], i: number): T | undefined => xs[i % Math.max(xs.length, 1)];

const command: fc.Arbitrary<Step['make']> = fc.oneof(
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

const step: fc.Arbitrary<Step> = fc.record({
  actor,
  advanceDays: fc.integer({ min: 0, max: 20 }),
  pick: fc.nat(),
  make: command,
});

const opener = fc.constantFrom(
  ['zv-a', 'zvh'] as const,
  ['pr-a', 'probation'] as const,
  ['pa-a', 'referrer'] as const,
  ['cp-a', 'provider'] as const,
  ['mu-a', 'referrer'] as const,
);

function resolve(spec: ActorSpec, s: TrajectoryState, pick: number): Actor {
  if (spec.kind !== 'case-lead' && spec.kind !== 'participant') return spec as Actor;
  const organisationId =
    spec.kind === 'case-lead'
      ? s.trajectory.caseLead.organisationId
      : (pickOf(s.participations, pick)?.organisationId ?? 'ghost');
  return { kind: 'organisation', subject: 'u', organisationId, roles: spec.roles };
}

function opened(org: string, role: (typeof ROLES)[number]): TrajectoryState {
  const o = openTrajectory({
    id: TRAJECTORY,
    participationId: 'p-open',
    now: new Date(T0),
    organisationId: org,
    role: 'coordinator',
    participantRole: role,
    subject: 'u',
  });
  return {
    trajectory: o.trajectory,
    participations: [o.participation],
    titles: [],
    consents: [],
    identityHeldBy: org,
  };
}

describe('property (b): no actor’s own command widens its own entitlement', () => {
  it('holds over random command sequences by random actors', () => {
    let accepted = 0;
    let refused = 0;
    const acceptedTypes = new Set<string>();
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(
        opener,
        fc.array(step, { minLength: 5, maxLength: 40, size: 'medium' }),
        ([org, role], steps) => {
          let state = opened(org, role);
          let now = T0;
          for (const s of steps) {
            now += s.advanceDays * DAY;
            const cmd = s.make(state, now, s.pick);
            const actor = resolve(s.actor, state, s.pick);
            let result;
            try {
              result = runCommand(state, actor, cmd, { now: new Date(now), organisation });
            } catch (err) {
              if (!(err instanceof DomainError)) throw err;
              refused++;
              if (process.env.FC_DEBUG) codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
              continue;
            }
            // Relatives and operators never change a trajectory.
            expect(s.actor.kind).not.toBe('relative');
            if (s.actor.kind === 'organisation') expect(s.actor.roles).not.toContain('operator');
            const after = applyChanges(state, result.changes);
            if (s.actor.kind === 'organisation') {
              for (const t of instants(state, after, now)) {
                const was = oracle(state, s.actor.organisationId, t);
                const gained = [...oracle(after, s.actor.organisationId, t)].filter(
                  (c) => !was.has(c),
                );
                if (gained.length > 0) {
                  throw new Error(
                    `${s.actor.organisationId} widened its own entitlement with ${cmd.type}: ` +
                      `${gained.join(', ')} at ${new Date(t).toISOString()}`,
                  );
                }
              }
            }
            accepted++;
            acceptedTypes.add(`${actor.kind}:${cmd.type}`);
            state = after;
          }
        },
      ),
      {
        numRuns: 150,
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
        ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
      },
    );
    if (process.env.FC_DEBUG) console.log(accepted, refused, [...codes.entries()]);
    // Not vacuous: many commands went through, many were refused.
    expect(accepted).toBeGreaterThan(150);
    expect(refused).toBeGreaterThan(150);
    // Most kinds of command went through at least once (organisation, client and event).
    expect(acceptedTypes.size).toBeGreaterThanOrEqual(8);
  });
});
