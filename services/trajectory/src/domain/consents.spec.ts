import { validatePayload } from '@ketenlink/contracts';
import { recordConsent, revokeConsent } from './consents';
import { baseState, refusal } from './fixtures';
import type { ConsentEntry } from './trajectory';

const now = new Date('2026-02-01T10:00:00Z');
const consent = (overrides: Partial<ConsentEntry> = {}): ConsentEntry => ({
  id: '9a7e2d44-2b1c-4e0f-a6b3-7c5d8e1f0a32',
  recipient: { kind: 'class', id: 'relatives' },
  categories: ['plan-and-goals'],
  purpose: 'Family support meetings',
  legalBasis: 'consent',
  validFrom: new Date('2026-02-01T00:00:00Z'),
  onWordOf: 'client',
  recordedAt: now,
  recordedBy: { subject: 'u1', organisationId: 'zvh-utrecht' },
  ...overrides,
});

describe('consent records', () => {
  it('a valid record emits consent.granted without who recorded it', () => {
    const r = recordConsent(baseState(), consent());
    expect(r.events[0]?.type).toBe('nl.ketenlink.consent.granted.v1');
    expect(validatePayload(r.events[0]!.type, r.events[0]!.data)).toEqual({ ok: true });
    expect(JSON.stringify(r.events)).not.toContain('u1');
  });

  it.each([
    ['an unknown category', { categories: ['diary'] as never }, /unknown category diary/],
    ['an empty purpose', { purpose: ' ' }, /purpose is empty/],
    [
      'an end before the start',
      { validUntil: new Date('2026-01-01T00:00:00Z') },
      /validUntil must be after validFrom/,
    ],
    ['an unknown source', { onWordOf: 'neighbour' as never }, /onWordOf must be one of/],
  ])('refuses %s as invalid', (_why, patch, message) => {
    const err = refusal(() => recordConsent(baseState(), consent(patch)));
    expect(err.kind).toBe('unprocessable');
    expect(err.errors.join(' ')).toMatch(message);
  });

  it('refuses a record overlapping one for the same recipient and category (conflict)', () => {
    const state = baseState({ consents: [consent()] });
    const err = refusal(() =>
      recordConsent(
        state,
        consent({ id: '1b7e2d44-2b1c-4e0f-a6b3-7c5d8e1f0a32', legalBasis: 'covenant' }),
      ),
    );
    expect(err).toMatchObject({ kind: 'conflict', code: 'consent-overlaps' });
  });

  it('a record after a withdrawal does not overlap the withdrawn one', () => {
    const withdrawn = consent({
      revokedAt: new Date('2026-01-20T00:00:00Z'),
      validFrom: new Date('2026-01-01T00:00:00Z'),
    });
    const r = recordConsent(
      baseState({ consents: [withdrawn] }),
      consent({ id: '2b7e2d44-2b1c-4e0f-a6b3-7c5d8e1f0a32' }),
    );
    expect(r.changes).toHaveLength(1);
  });

  it('withdrawal: now or in the past, once', () => {
    const state = baseState({ consents: [consent()] });
    const r = revokeConsent(state, consent().id, now, now);
    expect(r.events[0]).toEqual({
      type: 'nl.ketenlink.consent.revoked.v1',
      data: {
        trajectoryId: state.trajectory.id,
        consentId: consent().id,
        revokedAt: now.toISOString(),
      },
    });
    expect(
      refusal(() => revokeConsent(state, consent().id, new Date(now.getTime() + 60_000), now)).kind,
    ).toBe('unprocessable');
    const revoked = baseState({ consents: [consent({ revokedAt: now })] });
    expect(refusal(() => revokeConsent(revoked, consent().id, now, now))).toMatchObject({
      kind: 'conflict',
      code: 'consent-revoked',
    });
    expect(refusal(() => revokeConsent(state, 'nope', now, now)).kind).toBe('not-found');
  });
});
