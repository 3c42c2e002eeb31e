import { DATA_CATEGORIES, type DataCategory } from '@ketenlink/contracts';
import fc from 'fast-check';
import {
  type ConsentRecord,
  decide,
  PARTICIPANT_ROLES,
  type Participation,
  permittedCategories,
  type Recipient,
  ROLE_DEFAULTS,
} from './index';

// Small time and id ranges so boundaries and collisions happen often.
const time = fc.integer({ min: 0, max: 100 }).map((n) => new Date(n));
const orgId = fc.constantFrom('a', 'b', 'c');
const category = fc.constantFrom(...DATA_CATEGORIES);

const participation: fc.Arbitrary<Participation> = fc.record({
  organisationId: orgId,
  role: fc.constantFrom(...PARTICIPANT_ROLES),
  from: time,
  until: fc.option(time, { nil: undefined }),
});

const consent: fc.Arbitrary<ConsentRecord> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 3 }),
  recipient: fc.oneof(
    orgId.map((id) => ({ kind: 'organisation' as const, id })),
    fc.constant({ kind: 'class' as const, id: 'relatives' as const }),
  ),
  categories: fc.subarray([...DATA_CATEGORIES]),
  purpose: fc.constant('p'),
  legalBasis: fc.constantFrom('consent' as const, 'legal-duty' as const, 'covenant' as const),
  validFrom: time,
  validUntil: fc.option(time, { nil: undefined }),
  revokedAt: fc.option(time, { nil: undefined }),
});

const recipient: fc.Arbitrary<Recipient> = fc.oneof(
  orgId.map((id) => ({ kind: 'organisation' as const, id })),
  fc.constant({ kind: 'class' as const, id: 'relatives' as const }),
  fc.constant({ kind: 'client' as const }),
  fc.constant({ kind: 'operator' as const }),
);

const world = fc.record({
  recipient,
  participations: fc.array(participation, { maxLength: 4 }),
  consents: fc.array(consent, { maxLength: 5 }),
  at: time,
  category,
  legalDutyUntil: fc.option(time, { nil: undefined }),
});

/** Written out independently of ROLE_DEFAULTS.titleBound: probation's supervision duty. */
const PROBATION_TITLE_BOUND: readonly DataCategory[] = [
  'title-and-conditions',
  'incidents-and-violations',
  'risk',
  'consent',
];

const ms = (d: Date | undefined) => (d === undefined ? Infinity : d.getTime());

/** Independent oracle: is some record for this recipient in force at `at` covering `c`? */
function consentCovers(
  w: { recipient: Recipient; consents: ConsentRecord[]; at: Date },
  c: DataCategory,
) {
  const t = w.at.getTime();
  return w.consents.some(
    (r) =>
      (w.recipient.kind === 'organisation' || w.recipient.kind === 'class') &&
      r.recipient.kind === w.recipient.kind &&
      r.recipient.id === w.recipient.id &&
      r.categories.includes(c) &&
      r.validFrom.getTime() <= t &&
      t < ms(r.validUntil) &&
      t < ms(r.revokedAt),
  );
}

function defaultCovers(
  w: { recipient: Recipient; participations: Participation[]; at: Date; legalDutyUntil?: Date },
  c: DataCategory,
) {
  const t = w.at.getTime();
  const dutyOver = w.legalDutyUntil !== undefined && t >= w.legalDutyUntil.getTime();
  // R-CONSENT: relatives get general information (and metadata) without a record.
  if (w.recipient.kind === 'class') return c === 'general-information' || c === 'metadata';
  return (
    w.recipient.kind === 'organisation' &&
    c !== 'identity' &&
    w.participations.some(
      (p) =>
        p.organisationId === (w.recipient as { id: string }).id &&
        p.from.getTime() <= t &&
        t < ms(p.until) &&
        ROLE_DEFAULTS[p.role].categories.includes(c) &&
        !(p.role === 'probation' && dutyOver && PROBATION_TITLE_BOUND.includes(c)),
    )
  );
}

describe('decide: properties over random consent histories', () => {
  it('permits exactly what a default in force or a record in force grants (per recipient kind)', () => {
    fc.assert(
      fc.property(world, (w) => {
        const d = decide(w);
        if (w.recipient.kind === 'client') return d.permit && d.basis === 'data-subject';
        if (w.recipient.kind === 'operator') return d.permit === (w.category === 'metadata');
        if (
          w.recipient.kind === 'class' &&
          (w.category === 'general-information' || w.category === 'metadata')
        ) {
          return d.permit;
        }
        const expected = defaultCovers(w, w.category) || consentCovers(w, w.category);
        return d.permit === expected;
      }),
      { numRuns: 500 },
    );
  });

  it('a permit by record names a record for this recipient that is valid, unrevoked and covers the category', () => {
    fc.assert(
      fc.property(world, (w) => {
        const d = decide(w);
        if (!d.permit || d.consentId === undefined) return true;
        const t = w.at.getTime();
        return w.consents.some(
          (r) =>
            r.id === d.consentId &&
            r.recipient.kind === (w.recipient as { kind: string }).kind &&
            r.recipient.id === (w.recipient as { id: string }).id &&
            r.categories.includes(w.category) &&
            r.validFrom.getTime() <= t &&
            t < ms(r.validUntil) &&
            t < ms(r.revokedAt) &&
            r.legalBasis === d.basis,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('identity reaches an organisation or relatives only through an explicit record', () => {
    fc.assert(
      fc.property(world, (w) => {
        const d = decide({ ...w, category: 'identity' });
        if (w.recipient.kind !== 'organisation' && w.recipient.kind !== 'class') return true;
        return !d.permit || d.consentId !== undefined;
      }),
      { numRuns: 300 },
    );
  });

  it('withdrawing a record at `at` never adds a category and removes what only it granted', () => {
    fc.assert(
      fc.property(world, fc.nat(), (w, pick) => {
        if (w.consents.length === 0) return true;
        const i = pick % w.consents.length;
        const withdrawn = w.consents.map((c, j) => (j === i ? { ...c, revokedAt: w.at } : c));
        const before = permittedCategories(w);
        const after = permittedCategories({ ...w, consents: withdrawn });
        for (const c of after) if (!before.has(c)) return false;
        const others = w.consents.filter((_, j) => j !== i);
        for (const c of w.consents[i].categories) {
          if (
            (w.recipient.kind === 'organisation' || w.recipient.kind === 'class') &&
            !defaultCovers(w, c) &&
            !consentCovers({ ...w, consents: others }, c) &&
            after.has(c)
          ) {
            return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('operators get nothing but metadata', () => {
    fc.assert(
      fc.property(world, (w) => {
        const set = permittedCategories({ ...w, recipient: { kind: 'operator' } });
        return set.size === 1 && set.has('metadata');
      }),
      { numRuns: 200 },
    );
  });
});
