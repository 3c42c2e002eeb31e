import { DATA_CATEGORIES, type DataCategory } from '@ketenlink/contracts';
import {
  type ConsentRecord,
  decide,
  decideAll,
  type ParticipantRole,
  type Participation,
  permittedCategories,
} from './index';

const T = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** The expected defaults, written out independently of ROLE_DEFAULTS. */
const EXPECTED_DEFAULTS: Record<ParticipantRole, { basis: string; categories: DataCategory[] }> = {
  probation: {
    basis: 'legal-duty',
    categories: [
      'title-and-conditions',
      'incidents-and-violations',
      'risk',
      'participation',
      'general-information',
      'consent',
      'metadata',
    ],
  },
  provider: {
    basis: 'legal-duty',
    categories: [
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
  },
  'receiving-provider': {
    basis: 'legal-duty',
    categories: ['participation', 'general-information', 'metadata'],
  },
  zvh: {
    basis: 'covenant',
    categories: ['participation', 'general-information', 'consent', 'metadata'],
  },
  referrer: {
    basis: 'legal-duty',
    categories: ['participation', 'general-information', 'metadata'],
  },
};

const ROLES = Object.keys(EXPECTED_DEFAULTS) as ParticipantRole[];
const CONSENT_STATES = ['none', 'granted', 'revoked', 'expired', 'not-yet-valid'] as const;
const TIMES = ['before', 'during', 'after'] as const;

// Participation runs [2025-01-01, 2025-07-01).
const PARTICIPATION_FROM = T('2025-01-01');
const PARTICIPATION_UNTIL = T('2025-07-01');
const AT: Record<(typeof TIMES)[number], Date> = {
  before: T('2024-12-31'),
  during: T('2025-03-01'),
  after: PARTICIPATION_UNTIL, // the end is exclusive
};

/** A record for `category` whose state at `at` is `state` (boundaries hit exactly). */
function consentFor(
  state: (typeof CONSENT_STATES)[number],
  category: DataCategory,
  at: Date,
): ConsentRecord[] {
  if (state === 'none') return [];
  const base: ConsentRecord = {
    id: 'c1',
    recipient: { kind: 'organisation', id: 'org-a' },
    categories: [category],
    purpose: 'test',
    legalBasis: 'consent',
    validFrom: new Date(at.getTime() - 86_400_000),
  };
  switch (state) {
    case 'granted':
      return [base];
    case 'revoked':
      return [{ ...base, revokedAt: at }];
    case 'expired':
      return [{ ...base, validUntil: at }];
    case 'not-yet-valid':
      return [{ ...base, validFrom: new Date(at.getTime() + 1) }];
  }
}

const table = ROLES.flatMap((role) =>
  DATA_CATEGORIES.flatMap((category) =>
    CONSENT_STATES.flatMap((consent) => TIMES.map((time) => ({ role, category, consent, time }))),
  ),
);

describe('decide: role × category × consent state × time', () => {
  it.each(table)(
    '$role / $category / consent $consent / $time participation',
    ({ role, category, consent, time }) => {
      const at = AT[time];
      const participations: Participation[] = [
        { organisationId: 'org-a', role, from: PARTICIPATION_FROM, until: PARTICIPATION_UNTIL },
      ];
      const decision = decide({
        recipient: { kind: 'organisation', id: 'org-a' },
        participations,
        consents: consentFor(consent, category, at),
        at,
        category,
      });
      const byRole = time === 'during' && EXPECTED_DEFAULTS[role].categories.includes(category);
      const byConsent = consent === 'granted';
      expect(decision.permit).toBe(byRole || byConsent);
      if (byRole) {
        expect(decision).toMatchObject({ permit: true, basis: EXPECTED_DEFAULTS[role].basis });
        expect(decision).not.toHaveProperty('consentId');
      } else if (byConsent) {
        expect(decision).toMatchObject({ permit: true, basis: 'consent', consentId: 'c1' });
      }
    },
  );
});

describe('decide: other recipients', () => {
  const at = T('2025-03-01');
  const participations: Participation[] = [
    { organisationId: 'org-a', role: 'provider', from: PARTICIPATION_FROM },
  ];

  it('lets the client see every category of his own trajectory', () => {
    const all = decideAll({ recipient: { kind: 'client' }, participations: [], consents: [], at });
    for (const category of DATA_CATEGORIES) {
      expect(all[category]).toMatchObject({ permit: true, basis: 'data-subject' });
    }
  });

  it('gives operators metadata only, even with a record naming everything', () => {
    const consents: ConsentRecord[] = [
      {
        id: 'x',
        recipient: { kind: 'organisation', id: 'operator' },
        categories: [...DATA_CATEGORIES],
        purpose: 'p',
        legalBasis: 'consent',
        validFrom: T('2020-01-01'),
      },
    ];
    expect([
      ...permittedCategories({ recipient: { kind: 'operator' }, participations, consents, at }),
    ]).toEqual(['metadata']);
    expect(
      decide({
        recipient: { kind: 'operator' },
        participations,
        consents,
        at,
        category: 'metadata',
      }),
    ).toMatchObject({
      basis: 'operations',
    });
  });

  it('gives relatives general information without a record (R-CONSENT), and problem/treatment categories exactly as a record names', () => {
    const relatives = { kind: 'class', id: 'relatives' } as const;
    expect([
      ...permittedCategories({ recipient: relatives, participations, consents: [], at }),
    ]).toEqual(['general-information', 'metadata']);
    expect(
      decide({
        recipient: relatives,
        participations,
        consents: [],
        at,
        category: 'general-information',
      }),
    ).toEqual({
      permit: true,
      basis: 'general-information',
      rule: 'relatives-general-information',
    });
    const consents: ConsentRecord[] = [
      {
        id: 'rel',
        recipient: relatives,
        categories: ['plan-and-goals'],
        purpose: 'family support',
        legalBasis: 'consent',
        validFrom: T('2025-02-01'),
      },
      {
        id: 'org-only',
        recipient: { kind: 'organisation', id: 'org-a' },
        categories: ['medical'],
        purpose: 'p',
        legalBasis: 'consent',
        validFrom: T('2025-02-01'),
      },
    ];
    expect([
      ...permittedCategories({ recipient: relatives, participations, consents, at }),
    ]).toEqual(['plan-and-goals', 'general-information', 'metadata']);
  });

  it('never gives identity as a role default; a record can', () => {
    const input = { recipient: { kind: 'organisation', id: 'org-a' } as const, participations, at };
    expect(decide({ ...input, consents: [], category: 'identity' }).permit).toBe(false);
    const consents: ConsentRecord[] = [
      {
        id: 'id-1',
        recipient: { kind: 'organisation', id: 'org-a' },
        categories: ['identity'],
        purpose: 'invoicing',
        legalBasis: 'legal-duty',
        validFrom: T('2025-01-01'),
      },
    ];
    expect(decide({ ...input, consents, category: 'identity' })).toEqual({
      permit: true,
      basis: 'legal-duty',
      consentId: 'id-1',
      rule: 'consent-record:legal-duty',
    });
  });

  it('does not let a record for one organisation benefit another', () => {
    const consents: ConsentRecord[] = [
      {
        id: 'c',
        recipient: { kind: 'organisation', id: 'org-b' },
        categories: ['medical'],
        purpose: 'p',
        legalBasis: 'consent',
        validFrom: T('2025-01-01'),
      },
    ];
    const d = decide({
      recipient: { kind: 'organisation', id: 'org-c' },
      participations,
      consents,
      at,
      category: 'medical',
    });
    expect(d.permit).toBe(false);
  });

  it('denies on an invalid instant or an unknown category', () => {
    const input = { recipient: { kind: 'client' } as const, participations, consents: [] };
    expect(decide({ ...input, at: new Date(NaN), category: 'metadata' }).permit).toBe(false);
    expect(decide({ ...input, at, category: 'bsn' as DataCategory }).permit).toBe(false);
  });
});

describe('R-TITLE-END: the end of the title ends the legal duty, not the participation', () => {
  const probation: Participation[] = [
    { organisationId: 'rn', role: 'probation', from: T('2025-01-01') },
  ];
  const rn = { kind: 'organisation', id: 'rn' } as const;
  const ended = T('2025-06-01');

  it('before the end probation has its supervision defaults; from the end on only participation, general information and metadata', () => {
    const before = permittedCategories({
      recipient: rn,
      participations: probation,
      consents: [],
      at: T('2025-05-31'),
      legalDutyUntil: ended,
    });
    expect(before.has('title-and-conditions')).toBe(true);
    expect(before.has('incidents-and-violations')).toBe(true);
    const after = permittedCategories({
      recipient: rn,
      participations: probation,
      consents: [],
      at: ended,
      legalDutyUntil: ended,
    });
    expect([...after]).toEqual(['participation', 'general-information', 'metadata']);
  });

  it('an explicit consent record still works after the duty ended (consent is not duty)', () => {
    const consents: ConsentRecord[] = [
      {
        id: 'c',
        recipient: rn,
        categories: ['risk'],
        purpose: 'after-care',
        legalBasis: 'consent',
        validFrom: T('2025-01-01'),
      },
    ];
    expect(
      decide({
        recipient: rn,
        participations: probation,
        consents,
        at: T('2025-07-01'),
        legalDutyUntil: ended,
        category: 'risk',
      }),
    ).toMatchObject({ permit: true, basis: 'consent', consentId: 'c' });
  });

  it('the provider is not title-bound', () => {
    const provider: Participation[] = [
      { organisationId: 'hp', role: 'provider', from: T('2025-01-01') },
    ];
    expect(
      decide({
        recipient: { kind: 'organisation', id: 'hp' },
        participations: provider,
        consents: [],
        at: T('2025-07-01'),
        legalDutyUntil: ended,
        category: 'medical',
      }).permit,
    ).toBe(true);
  });
});
