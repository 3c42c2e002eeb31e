import { type DataCategory, filterPayload } from '@ketenlink/contracts';
import { entitlementOf } from '@ketenlink/disclosure';
import { trajectoryFacts } from './disclosure';
import { baseState, TRAJECTORY_ID } from './fixtures';
import { type TimelineEntry, timelineFor } from './timeline';

const entries: TimelineEntry[] = [
  {
    eventId: 'e1',
    type: 'nl.ketenlink.trajectory.opened.v1',
    source: 'trajectory',
    time: '2026-01-05T09:00:00.000Z',
    data: {
      trajectoryId: TRAJECTORY_ID,
      openedAt: '2026-01-05T09:00:00.000Z',
      openedBy: { organisationId: 'zvh-utrecht', role: 'coordinator' },
      region: 'Utrecht',
    },
  },
  {
    eventId: 'e2',
    type: 'nl.ketenlink.title.registered.v1',
    source: 'trajectory',
    time: '2026-01-06T09:00:00.000Z',
    data: {
      trajectoryId: TRAJECTORY_ID,
      titleId: '0d4b5c1a-6a8e-4d3c-8f55-0c1f3e9a7b21',
      kind: 'conditional-release',
      startDate: '2026-01-10',
      expectedEndDate: '2027-01-09',
    },
  },
];

const now = new Date('2026-02-01T10:00:00Z');
const view = (permitted: DataCategory[], kind: 'organisation' | 'operator' = 'organisation') =>
  timelineFor(
    entries,
    kind === 'operator' ? { kind: 'operator' } : { kind: 'organisation', id: 'x' },
    new Set(permitted),
    filterPayload,
  );

describe('timeline view', () => {
  it('filters field by field and says what was withheld', () => {
    const items = view(['metadata', 'participation']);
    expect(items.map((i) => i.eventId)).toEqual(['e1']); // the title event shows nothing else
    expect(items[0]).toMatchObject({
      data: {
        trajectoryId: TRAJECTORY_ID,
        openedAt: '2026-01-05T09:00:00.000Z',
        openedBy: { organisationId: 'zvh-utrecht', role: 'coordinator' },
      },
      withheld: ['region'],
      categories: ['metadata', 'participation'],
    });
  });

  it('shows the title to whom title-and-conditions is permitted', () => {
    const items = view(['metadata', 'title-and-conditions']);
    expect(items.map((i) => i.eventId)).toEqual(['e2']);
    expect(items[0]?.data).toEqual(entries[1]?.data);
  });

  it('operators see every entry, metadata only', () => {
    const items = view(['metadata'], 'operator');
    expect(items.map((i) => i.eventId)).toEqual(['e1', 'e2']);
    expect(items[1]?.data).toEqual({ trajectoryId: TRAJECTORY_ID });
  });

  it('an organisation with metadata only sees nothing', () => {
    expect(view(['metadata'])).toEqual([]);
  });

  it('entitlement comes from the one gate (libs/disclosure): the participating ZVH gets its covenant defaults', () => {
    const e = entitlementOf(
      { subject: 'u', organisationId: 'zvh-utrecht', roles: ['zvh-coordinator'] },
      trajectoryFacts(baseState()),
      now,
    );
    expect([...e.permitted].sort()).toEqual([
      'consent',
      'general-information',
      'metadata',
      'participation',
    ]);
    const outsider = entitlementOf(
      { subject: 'u', organisationId: 'elsewhere', roles: ['coordinator'] },
      trajectoryFacts(baseState()),
      now,
    );
    expect([...outsider.permitted]).toEqual([]);
    expect(outsider.visible).toBe(false);
  });
});
