import { isVisibleTo, openTrajectory } from './trajectory';

describe('opening a trajectory', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  const opened = openTrajectory({
    id: '5d2b8f8e-3b7a-4a55-8a1f-3f1f2a9c0b11',
    now,
    organisationId: 'org-zvh-rotterdam',
    role: 'coordinator',
    subject: 'user-17',
    region: 'Rotterdam-Rijnmond',
  });

  it('emits trajectory.opened with the pseudonymous id and the opening organisation, not the person', () => {
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
    ]);
    expect(JSON.stringify(opened.events)).not.toContain('user-17');
  });

  it('is visible to the opening organisation only', () => {
    expect(isVisibleTo(opened.trajectory, 'org-zvh-rotterdam')).toBe(true);
    expect(isVisibleTo(opened.trajectory, 'org-other')).toBe(false);
  });
});
