import type { DataCategory } from '@ketenlink/contracts';
import { type ConsentRecord, validateConsent } from './index';

const T = (iso: string) => new Date(`${iso}T00:00:00Z`);

const record = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({
  id: 'new',
  recipient: { kind: 'organisation', id: 'org-a' },
  categories: ['medical'],
  purpose: 'placement',
  legalBasis: 'consent',
  validFrom: T('2025-01-01'),
  validUntil: T('2025-07-01'),
  ...over,
});

describe('validateConsent', () => {
  it('accepts a well-formed record with no conflicts', () => {
    expect(validateConsent(record(), [])).toEqual([]);
  });

  it.each([
    ['empty categories', { categories: [] }, /categories is empty/],
    ['unknown category', { categories: ['bsn' as DataCategory] }, /unknown category bsn/],
    ['validUntil equal to validFrom', { validUntil: T('2025-01-01') }, /validUntil must be after/],
    ['validUntil before validFrom', { validUntil: T('2024-01-01') }, /validUntil must be after/],
    ['invalid date', { validFrom: new Date(NaN) }, /valid dates/],
    ['empty purpose', { purpose: ' ' }, /purpose is empty/],
    [
      'empty organisation id',
      { recipient: { kind: 'organisation' as const, id: '' } },
      /recipient/,
    ],
  ])('rejects %s', (_name, over, message) => {
    const errors = validateConsent(record(over), []);
    expect(errors.some((e) => message.test(e))).toBe(true);
  });

  const existing = record({ id: 'old', validFrom: T('2025-03-01'), validUntil: undefined });

  it('rejects an overlapping record for the same recipient and category', () => {
    expect(validateConsent(record(), [existing])).toEqual([
      'overlaps record old for the same recipient and category medical (consent)',
    ]);
  });

  it.each([
    ['another recipient', record({ recipient: { kind: 'organisation', id: 'org-b' } })],
    [
      'relatives instead of an organisation',
      record({ recipient: { kind: 'class', id: 'relatives' } }),
    ],
    ['another category', record({ categories: ['risk'] })],
    ['an adjacent period', record({ validUntil: T('2025-03-01') })],
    ['the same id (replacement)', record({ id: 'old' })],
  ])('allows %s', (_name, candidate) => {
    expect(validateConsent(candidate, [existing])).toEqual([]);
  });

  it('allows a new record starting when the old one was revoked', () => {
    const revoked = { ...existing, revokedAt: T('2025-04-01') };
    expect(
      validateConsent(record({ validFrom: T('2025-04-01'), validUntil: undefined }), [revoked]),
    ).toEqual([]);
    expect(
      validateConsent(record({ validFrom: T('2025-03-15'), validUntil: undefined }), [revoked]),
    ).toHaveLength(1);
  });
});
