import { validatePayload } from '@ketenlink/contracts';
import { baseState, refusal, TRAJECTORY_ID } from './fixtures';
import { activeParticipations, joinParticipant, leaveParticipant } from './participants';

const now = new Date('2026-02-01T10:00:00Z');

describe('participants', () => {
  it('joining emits participant-joined with the dates as given; until is inclusive', () => {
    const r = joinParticipant(baseState(), {
      id: 'p1',
      organisationId: 'reclassering-midden',
      role: 'probation',
      from: '2026-02-01',
      until: '2026-07-31',
    });
    expect(r.events).toEqual([
      {
        type: 'nl.ketenlink.trajectory.participant-joined.v1',
        data: {
          trajectoryId: TRAJECTORY_ID,
          organisationId: 'reclassering-midden',
          role: 'probation',
          from: '2026-02-01',
          until: '2026-07-31',
        },
      },
    ]);
    expect(validatePayload(r.events[0]!.type, r.events[0]!.data)).toEqual({ ok: true });
    const change = r.changes[0];
    expect(change?.kind).toBe('participation-added');
    if (change?.kind !== 'participation-added') return;
    // Exclusive end: the start of the day after the last day (summer time: UTC+2).
    expect(change.participation.until?.toISOString()).toBe('2026-07-31T22:00:00.000Z');
  });

  it.each([
    ['until before from', { from: '2026-03-01', until: '2026-02-28' }, /until lies before from/],
    ['an impossible date', { from: '2026-02-30' }, /from must be a date/],
    ['a bad organisation id', { from: '2026-02-01', organisationId: 'Org X' }, /organisationId/],
  ])('refuses %s as invalid', (_why, patch, message) => {
    const err = refusal(() =>
      joinParticipant(baseState(), {
        id: 'p1',
        organisationId: 'fz-de-brug',
        role: 'provider',
        ...patch,
      }),
    );
    expect(err.kind).toBe('unprocessable');
    expect(err.errors.join(' ')).toMatch(message);
  });

  it('refuses the same organisation in the same role for an overlapping period (conflict)', () => {
    const err = refusal(() =>
      joinParticipant(baseState(), {
        id: 'p2',
        organisationId: 'zvh-utrecht',
        role: 'zvh',
        from: '2026-03-01',
      }),
    );
    expect(err).toMatchObject({ kind: 'conflict', code: 'participation-overlaps' });
  });

  it('leaving ends the participation at the instant given; later the organisation is out', () => {
    const state = baseState();
    const at = new Date('2026-02-01T09:00:00Z');
    const r = leaveParticipant(state, 'p-zvh', at, now);
    expect(r.events[0]).toEqual({
      type: 'nl.ketenlink.trajectory.participant-left.v1',
      data: {
        trajectoryId: TRAJECTORY_ID,
        organisationId: 'zvh-utrecht',
        role: 'zvh',
        at: '2026-02-01T09:00:00.000Z',
      },
    });
    const after = baseState({
      participations: [{ ...state.participations[0]!, until: at }],
    });
    expect(activeParticipations(after, now)).toEqual([]);
    expect(refusal(() => leaveParticipant(after, 'p-zvh', now, now))).toMatchObject({
      kind: 'conflict',
      code: 'participation-ended',
    });
  });

  it('refuses leaving before joining, and an unknown participation', () => {
    expect(
      refusal(() => leaveParticipant(baseState(), 'p-zvh', new Date('2025-12-01T00:00:00Z'), now))
        .kind,
    ).toBe('unprocessable');
    expect(refusal(() => leaveParticipant(baseState(), 'nope', now, now)).kind).toBe('not-found');
  });
});
