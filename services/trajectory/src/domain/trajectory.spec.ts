import { validatePayload } from '@ketenlink/contracts';
import { entitlementOf } from '@ketenlink/disclosure';
import { trajectoryFacts } from './disclosure';
import { openTrajectory, type TrajectoryState } from './trajectory';

describe('opening a trajectory', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  const opened = openTrajectory({
    id: '5d2b8f8e-3b7a-4a55-8a1f-3f1f2a9c0b11',
    participationId: '0a4c3f0e-1b2a-4c5d-8e9f-a0b1c2d3e4f5',
    now,
    organisationId: 'org-zvh-rotterdam',
    role: 'coordinator',
    participantRole: 'zvh',
    subject: 'user-17',
    region: 'Rotterdam-Rijnmond',
  });
  const state: TrajectoryState = {
    trajectory: opened.trajectory,
    participations: [opened.participation],
    titles: [],
    consents: [],
  };

  it('emits trajectory.opened and the opener joining, with the pseudonymous id only', () => {
    expect(opened.events).toEqual([
      {
        type: 'nl.ketenlink.trajectory.opened.v1',
        data: {
          trajectoryId: '5d2b8f8e-3b7a-4a55-8a1f-3f1f2a9c0b11',
          openedAt: '2026-11-23T10:00:00.000Z',
          openedBy: { organisationId: 'org-zvh-rotterdam', role: 'coordinator' },
          region: 'Rotterdam-Rijnmond',
        },
      },
      {
        type: 'nl.ketenlink.trajectory.participant-joined.v1',
        data: {
          trajectoryId: '5d2b8f8e-3b7a-4a55-8a1f-3f1f2a9c0b11',
          organisationId: 'org-zvh-rotterdam',
          role: 'zvh',
          from: '2026-11-23',
        },
      },
    ]);
    for (const e of opened.events) expect(validatePayload(e.type, e.data)).toEqual({ ok: true });
    expect(JSON.stringify(opened.events)).not.toContain('user-17');
  });

  it('the opener participates from the start of the day (Amsterdam time)', () => {
    expect(opened.participation.from.toISOString()).toBe('2026-11-22T23:00:00.000Z');
  });

  it('is visible to participating organisations only; operators see its metadata', () => {
    const as = (organisationId: string, roles: string[] = ['coordinator']) => ({
      subject: 'u',
      organisationId,
      roles,
    });
    // The one gate's decision (libs/disclosure) on this trajectory's facts.
    const sees = (reader: ReturnType<typeof as>, at: Date) =>
      entitlementOf(reader, trajectoryFacts(state), at).visible;
    expect(sees(as('org-zvh-rotterdam'), now)).toBe(true);
    expect(sees(as('org-other'), now)).toBe(false);
    expect(sees(as('org-ops', ['operator']), now)).toBe(true);
    // An operator sees metadata only.
    expect([
      ...entitlementOf(as('org-ops', ['operator']), trajectoryFacts(state), now).permitted,
    ]).toEqual(['metadata']);
    // Not before the participation started.
    expect(sees(as('org-zvh-rotterdam'), new Date('2026-11-22T22:59:59Z'))).toBe(false);
  });
});
