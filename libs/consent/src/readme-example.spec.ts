import { type ConsentRecord, decide, type Participation, permittedCategories } from './index';

const T = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('README worked example', () => {
  const participations: Participation[] = [
    { organisationId: 'rn', role: 'probation', from: T('2025-01-01') },
    { organisationId: 'hp', role: 'provider', from: T('2025-01-01'), until: T('2025-09-01') },
  ];
  const consents: ConsentRecord[] = [
    {
      id: 'rel-plan',
      recipient: { kind: 'class', id: 'relatives' },
      categories: ['plan-and-goals'],
      purpose: 'family involvement',
      legalBasis: 'consent',
      validFrom: T('2025-02-01'),
      revokedAt: T('2025-04-01'),
    },
    {
      id: 'hp-identity',
      recipient: { kind: 'organisation', id: 'hp' },
      categories: ['identity'],
      purpose: 'client records',
      legalBasis: 'consent',
      validFrom: T('2025-02-01'),
    },
  ];
  const sorted = (s: ReadonlySet<string>) => [...s].sort();
  const at = (iso: string) => ({ participations, consents, at: T(iso) });

  it('on 1 March', () => {
    expect(
      sorted(
        permittedCategories({ ...at('2025-03-01'), recipient: { kind: 'organisation', id: 'rn' } }),
      ),
    ).toEqual([
      'consent',
      'general-information',
      'incidents-and-violations',
      'metadata',
      'participation',
      'risk',
      'title-and-conditions',
    ]);
    expect(
      decide({
        ...at('2025-03-01'),
        recipient: { kind: 'organisation', id: 'hp' },
        category: 'identity',
      }),
    ).toEqual({
      permit: true,
      basis: 'consent',
      consentId: 'hp-identity',
      rule: 'consent-record:consent',
    });
    expect(
      sorted(
        permittedCategories({ ...at('2025-03-01'), recipient: { kind: 'class', id: 'relatives' } }),
      ),
    ).toEqual(['general-information', 'metadata', 'plan-and-goals']);
    expect(
      sorted(permittedCategories({ ...at('2025-03-01'), recipient: { kind: 'operator' } })),
    ).toEqual(['metadata']);
  });

  it('from the withdrawal on, relatives get general information only; the others are unaffected', () => {
    expect(
      sorted(
        permittedCategories({ ...at('2025-04-01'), recipient: { kind: 'class', id: 'relatives' } }),
      ),
    ).toEqual(['general-information', 'metadata']);
    expect(
      permittedCategories({ ...at('2025-04-01'), recipient: { kind: 'organisation', id: 'rn' } })
        .size,
    ).toBe(7);
    expect(
      permittedCategories({ ...at('2025-04-01'), recipient: { kind: 'organisation', id: 'hp' } })
        .size,
    ).toBe(10);
  });

  it('after the placement ends, hp keeps only what its own record grants', () => {
    expect(
      sorted(
        permittedCategories({ ...at('2025-09-01'), recipient: { kind: 'organisation', id: 'hp' } }),
      ),
    ).toEqual(['identity']);
  });
});
