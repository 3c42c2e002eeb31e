import { validatePayload } from '@ketenlink/contracts';
import { baseState, refusal } from './fixtures';
import { changeTitle, endTitle, registerTitle } from './titles';
import type { LegalTitle } from './trajectory';

const title: LegalTitle = {
  id: 't1',
  kind: 'conditional-release',
  startDate: '2026-01-10',
  expectedEndDate: '2027-01-09',
  conditions: [{ type: 'contact-ban', description: 'No contact with the victim' }],
};

describe('legal titles', () => {
  it('registers a title: contract-valid title.registered', () => {
    const r = registerTitle(baseState(), {
      id: '0d4b5c1a-6a8e-4d3c-8f55-0c1f3e9a7b21',
      kind: 'tbs-with-conditions',
      startDate: '2026-01-10',
      expectedEndDate: '2028-01-10',
      conditions: [{ type: 'abstinence', description: 'No alcohol or drugs' }],
    });
    expect(r.events[0]?.type).toBe('nl.ketenlink.title.registered.v1');
    expect(validatePayload(r.events[0]!.type, r.events[0]!.data)).toEqual({ ok: true });
  });

  it.each([
    ['end before start', { expectedEndDate: '2026-01-01' }, /after startDate/],
    ['end equal to start', { expectedEndDate: '2026-01-10' }, /after startDate/],
    ['an unknown kind', { kind: 'life-sentence' }, /kind must be one of/],
    ['an impossible date', { startDate: '2026-02-31' }, /startDate must be a date/],
  ])('refuses %s', (_why, patch, message) => {
    const err = refusal(() =>
      registerTitle(baseState(), {
        id: 't2',
        kind: 'other',
        startDate: '2026-01-10',
        expectedEndDate: '2026-06-10',
        ...(patch as object),
      }),
    );
    expect(err.kind).toBe('unprocessable');
    expect(err.errors.join(' ')).toMatch(message);
  });

  it('extends a title (a court decision)', () => {
    const r = changeTitle(baseState({ titles: [title] }), 't1', {
      effectiveFrom: '2026-06-01',
      expectedEndDate: '2027-07-09',
    });
    expect(r.changes[0]).toMatchObject({
      kind: 'title-updated',
      title: { expectedEndDate: '2027-07-09' },
    });
    expect(r.events[0]).toMatchObject({
      type: 'nl.ketenlink.title.changed.v1',
      data: { titleId: 't1', effectiveFrom: '2026-06-01', expectedEndDate: '2027-07-09' },
    });
  });

  it('refuses a change without content, and one before the start', () => {
    const state = baseState({ titles: [title] });
    expect(refusal(() => changeTitle(state, 't1', { effectiveFrom: '2026-06-01' })).kind).toBe(
      'unprocessable',
    );
    expect(
      refusal(() =>
        changeTitle(state, 't1', { effectiveFrom: '2025-06-01', expectedEndDate: '2027-01-01' }),
      ).kind,
    ).toBe('unprocessable');
  });

  it('ends a title early at a hearing; an ended title cannot change or end again (conflict)', () => {
    const r = endTitle(baseState({ titles: [title] }), 't1', {
      endedOn: '2026-04-01',
      reason: 'ended-early-hearing',
    });
    expect(r.events[0]).toMatchObject({
      type: 'nl.ketenlink.title.ended.v1',
      data: { titleId: 't1', endedOn: '2026-04-01', reason: 'ended-early-hearing' },
    });
    const ended = baseState({
      titles: [{ ...title, actualEndDate: '2026-04-01', endReason: 'ended-early-hearing' }],
    });
    expect(
      refusal(() => endTitle(ended, 't1', { endedOn: '2026-05-01', reason: 'expired' })),
    ).toMatchObject({ kind: 'conflict', code: 'title-ended' });
    expect(
      refusal(() =>
        changeTitle(ended, 't1', { effectiveFrom: '2026-05-01', expectedEndDate: '2027-05-01' }),
      ),
    ).toMatchObject({ kind: 'conflict' });
  });

  it('refuses ending before the start and an unknown title', () => {
    const state = baseState({ titles: [title] });
    expect(
      refusal(() => endTitle(state, 't1', { endedOn: '2025-12-31', reason: 'revoked' })).kind,
    ).toBe('unprocessable');
    expect(
      refusal(() => endTitle(state, 'tx', { endedOn: '2026-12-31', reason: 'revoked' })).kind,
    ).toBe('not-found');
  });
});
