import { DomainError } from './errors';
import type { TrajectoryState } from './trajectory';

/** A trajectory opened on 2026-01-05 by a ZVH, for the pure tests. */
export const TRAJECTORY_ID = '7f0c9a52-3c1e-4d7b-9a8e-1b2c3d4e5f60';

export function baseState(overrides: Partial<TrajectoryState> = {}): TrajectoryState {
  return {
    trajectory: {
      id: TRAJECTORY_ID,
      openedAt: new Date('2026-01-05T09:00:00Z'),
      openedBy: { organisationId: 'zvh-utrecht', role: 'coordinator', subject: 'u1' },
      caseLead: { organisationId: 'zvh-utrecht' },
    },
    participations: [
      {
        id: 'p-zvh',
        organisationId: 'zvh-utrecht',
        role: 'zvh',
        from: new Date('2026-01-04T23:00:00Z'),
      },
    ],
    titles: [],
    consents: [],
    ...overrides,
  };
}

/** The DomainError a command throws (fails the test when it throws nothing). */
export function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}
