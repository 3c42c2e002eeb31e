import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { openTestDatabase } from '@ketenlink/testing';
import type { DataSource, EntityManager } from 'typeorm';
import type { Location } from '../domain/location';
import { DEFAULT_MATCHING_CONFIG, type MatchingConfig } from '../domain/matching';
import type { Placement } from '../domain/placement';
import { SqlLocationStore } from './location.store';
import { PLACEMENT_INTAKE_MIGRATIONS } from './migrations';
import { SqlPlacementStore } from './placement.store';

/**
 * The SQL stores against the real (test) database, the queries being the point: every field
 * of a placement and a location survives the round trip, updates bump the version, locks hold
 * and SKIP LOCKED skips, lists filter and order as the API promises.
 */
let ds: DataSource;
let placements: SqlPlacementStore;
let locations: SqlLocationStore;

beforeAll(async () => {
  ds = await openTestDatabase({
    service: 'placement-intake',
    migrations: PLACEMENT_INTAKE_MIGRATIONS,
  });
  placements = new SqlPlacementStore(ds);
  locations = new SqlLocationStore(ds);
});

afterAll(async () => {
  await ds?.destroy();
});

const org = () => `org-${randomUUID().slice(0, 8)}`;

function location(providerOrganisationId: string, over: Partial<Location> = {}): Location {
  return {
    id: randomUUID(),
    providerOrganisationId,
    label: 'De Brug, Utrecht',
    forensicMix: 'spread',
    substancePolicy: 'abstinent',
    expertise: ['lvb', 'addiction'],
    capacity: 8,
    occupancy: 2,
    excludedOffenceCategories: ['arson'],
    ...over,
  };
}

function minimal(provider: string, referrer: string, over: Partial<Placement> = {}): Placement {
  return {
    id: randomUUID(),
    trajectoryId: randomUUID(),
    providerOrganisationId: provider,
    referrerOrganisationId: referrer,
    referrerKind: 'probation',
    title: { kind: 'tbs-with-conditions', remainingMonths: 18 },
    offenceCategory: 'violence',
    activeSubstanceUse: false,
    needs: ['housing'],
    urgency: 'regular',
    documents: [],
    status: 'requested',
    requestedAt: new Date('2026-11-23T09:15:00.000Z'),
    answerDueOn: '2026-12-07',
    ...over,
  };
}

/** Every optional field set, as a placement late in its life would have it. */
function full(provider: string, referrer: string, locationId: string): Placement {
  return minimal(provider, referrer, {
    title: {
      kind: 'tbs-with-conditions',
      startDate: '2025-01-10',
      expectedEndDate: '2028-01-09',
    },
    needs: ['housing', 'lvb-support'],
    urgency: 'urgent',
    djiPlacementReference: 'DJI-2026-0042',
    documents: [
      {
        kind: 'probation-advice',
        attachedAt: new Date('2026-11-23T09:15:00.000Z'),
        reference: 'dms://advice/1',
      },
      {
        kind: 'risk-assessment',
        attachedAt: new Date('2026-11-24T10:00:00.000Z'),
        riskAssessment: {
          instrument: 'HKT-R',
          author: 'dr. A',
          assessedOn: '2026-11-01',
          setting: 'clinic',
          validUntil: '2027-11-01',
        },
      },
    ],
    status: 'placed',
    documentsCompletedAt: new Date('2026-11-24T10:00:00.000Z'),
    decidedAt: new Date('2026-11-25T08:00:00.000Z'),
    locationId,
    waitlist: { bridgingAmbulant: true, bridgingNote: 'weekly visits' },
    intakeScheduledFor: new Date('2026-12-01T13:00:00.000Z'),
    movedInAt: new Date('2026-12-03T11:00:00.000Z'),
    firstContactAt: new Date('2026-12-01T13:30:00.000Z'),
    crucialInformation: {
      medication: 'none',
      notes: 'allergic to penicillin',
      recordedAt: new Date('2026-12-02T08:00:00.000Z'),
    },
    answerOverdueNotifiedAt: new Date('2026-12-08T00:00:00.000Z'),
    crucialInfoOverdueNotifiedAt: new Date('2026-12-02T14:00:00.000Z'),
  });
}

const versionOf = async (table: string, id: string): Promise<number> => {
  const [r] = (await ds.query(`SELECT version FROM ${table} WHERE id = $1`, [id])) as {
    version: number;
  }[];
  return r!.version;
};

/** Runs `work` in a transaction held open until the returned `release` is called. */
async function holdTransaction(
  work: (tx: EntityManager) => Promise<unknown>,
): Promise<{ release: () => Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const done = ds.transaction(async (tx) => {
    await work(tx);
    started();
    await released;
  });
  await Promise.race([ready, done]); // a failing `work` fails here instead of hanging
  return {
    release: async () => {
      release();
      await done;
    },
  };
}

describe('SqlPlacementStore', () => {
  it('a placement with every field set reads back exactly as written', async () => {
    const provider = org();
    const loc = location(provider);
    await ds.transaction((tx) => locations.insert(tx, loc, new Date()));
    const p = full(provider, org(), loc.id);
    await ds.transaction((tx) => placements.insert(tx, p));
    expect(await placements.findById(p.id)).toStrictEqual(p);
  });

  it('a placement with no optional field reads back without any extra key', async () => {
    const p = minimal(org(), org());
    await ds.transaction((tx) => placements.insert(tx, p));
    expect(await placements.findById(p.id)).toStrictEqual(p);
    expect(await placements.findById(randomUUID())).toBeUndefined();
  });

  it('update writes the new state, clears what the domain cleared and bumps the version', async () => {
    const p = minimal(org(), org(), {
      refusal: { reasonCode: 'other', reasonText: 'no room' },
    });
    await ds.transaction((tx) => placements.insert(tx, p));
    expect(await versionOf('placements', p.id)).toBe(1);
    const { refusal: _dropped, ...rest } = p;
    const next: Placement = { ...rest, status: 'waitlisted', decidedAt: new Date() };
    await ds.transaction((tx) => placements.update(tx, next));
    expect(await placements.findById(p.id)).toStrictEqual(next);
    expect(await versionOf('placements', p.id)).toBe(2);
  });

  it('findForUpdate holds the row: another transaction cannot lock it meanwhile', async () => {
    const p = minimal(org(), org());
    await ds.transaction((tx) => placements.insert(tx, p));
    const holder = await holdTransaction(async (tx) =>
      expect(await placements.findForUpdate(tx, p.id)).toStrictEqual(p),
    );
    try {
      await expect(
        ds.transaction(async (tx) => {
          await tx.query(`SET LOCAL lock_timeout = '200ms'`);
          await placements.findForUpdate(tx, p.id);
        }),
      ).rejects.toThrow(/lock timeout/);
    } finally {
      await holder.release();
    }
    await ds.transaction(async (tx) =>
      expect(await placements.findForUpdate(tx, p.id)).toStrictEqual(p),
    );
  });

  it('lists what an organisation referred or was asked for, newest first, at most 200', async () => {
    const me = org();
    const asked = minimal(me, org(), { requestedAt: new Date('2026-11-20T10:00:00Z') });
    const referred = minimal(org(), me, { requestedAt: new Date('2026-11-21T10:00:00Z') });
    const other = minimal(org(), org());
    await ds.transaction(async (tx) => {
      for (const p of [asked, referred, other]) await placements.insert(tx, p);
    });
    expect((await placements.listFor(me)).map((p) => p.id)).toEqual([referred.id, asked.id]);

    const busy = org();
    await ds.transaction(async (tx) => {
      for (let i = 0; i < 201; i++) {
        await placements.insert(
          tx,
          minimal(busy, org(), { requestedAt: new Date(Date.UTC(2026, 0, 1, 0, i)) }),
        );
      }
    });
    const list = await placements.listFor(busy);
    expect(list).toHaveLength(200);
    expect(list[0]!.requestedAt.toISOString()).toBe('2026-01-01T03:20:00.000Z');
  });

  it('counts reserved places per location and lists residents (ids and move-in only)', async () => {
    const provider = org();
    const [a, b] = [location(provider), location(provider)];
    await ds.transaction(async (tx) => {
      await locations.insert(tx, a, new Date());
      await locations.insert(tx, b, new Date());
      const at = (status: Placement['status'], locationId: string, movedInAt?: Date) =>
        placements.insert(
          tx,
          minimal(provider, org(), { status, locationId, ...(movedInAt ? { movedInAt } : {}) }),
        );
      await at('accepted', a.id);
      await at('intake-scheduled', a.id);
      await at('accepted', b.id);
      await at('refused', b.id);
      await at('placed', a.id, new Date('2026-10-02T10:00:00Z'));
      await at('placed', a.id, new Date('2026-10-01T10:00:00Z'));
    });
    const reserved = await placements.reservedAt(ds.manager, [a.id, b.id, randomUUID()]);
    expect([...reserved.entries()].sort()).toEqual(
      [
        [a.id, 2],
        [b.id, 1],
      ].sort(),
    );
    expect(await placements.reservedAt(ds.manager, [])).toEqual(new Map());
    const residents = await placements.residentsOf(a.id);
    expect(residents.map((r) => r.movedInAt.toISOString())).toEqual([
      '2026-10-01T10:00:00.000Z',
      '2026-10-02T10:00:00.000Z',
    ]);
    expect(Object.keys(residents[0]!).sort()).toEqual(['movedInAt', 'placementId']);
  });

  it('lockPossiblyOverdue: only what may be overdue, oldest first, skipping locked rows', async () => {
    await ds.query(`DELETE FROM placements`);
    const provider = org();
    const now = new Date('2026-12-10T12:00:00Z');
    const due = (requestedAt: string, answerDueOn: string, over: Partial<Placement> = {}) =>
      minimal(provider, org(), { requestedAt: new Date(requestedAt), answerDueOn, ...over });
    const late1 = due('2026-11-01T10:00:00Z', '2026-11-08');
    const late2 = due('2026-11-02T10:00:00Z', '2026-11-09');
    const late3 = due('2026-11-03T10:00:00Z', '2026-11-10');
    const dueToday = due('2026-11-04T10:00:00Z', '2026-12-10');
    const reported = due('2026-11-05T10:00:00Z', '2026-11-08', { answerOverdueNotifiedAt: now });
    const answered = due('2026-11-06T10:00:00Z', '2026-11-08', { status: 'accepted' });
    const noInfo = due('2026-11-07T10:00:00Z', '2026-11-08', {
      status: 'intake-scheduled',
      firstContactAt: new Date('2026-12-09T11:59:00Z'), // 24 h 1 min before now
    });
    const infoInTime = due('2026-11-08T10:00:00Z', '2026-11-08', {
      status: 'intake-scheduled',
      firstContactAt: new Date('2026-12-09T12:01:00Z'),
    });
    await ds.transaction(async (tx) => {
      for (const p of [late3, late1, late2, dueToday, reported, answered, noInfo, infoInTime]) {
        await placements.insert(tx, p);
      }
    });

    const ids = (ps: Placement[]) => ps.map((p) => p.id);
    await ds.transaction(async (tx) => {
      expect(ids(await placements.lockPossiblyOverdue(tx, '2026-12-10', now, 10))).toEqual([
        late1.id,
        late2.id,
        late3.id,
        noInfo.id,
      ]);
      expect(ids(await placements.lockPossiblyOverdue(tx, '2026-12-10', now, 2))).toEqual([
        late1.id,
        late2.id,
      ]);
    });
    const holder = await holdTransaction((tx) => placements.findForUpdate(tx, late1.id));
    try {
      await ds.transaction(async (tx) => {
        await tx.query(`SET LOCAL lock_timeout = '2s'`); // waiting for the lock = not skipping it
        const got = await placements.lockPossiblyOverdue(tx, '2026-12-10', now, 10);
        expect(ids(got)).toEqual([late2.id, late3.id, noInfo.id]);
        expect(got[0]).toStrictEqual(late2);
      });
    } finally {
      await holder.release();
    }
  });
});

describe('SqlLocationStore', () => {
  it('round-trips a location, lists a provider’s by label, updates with a new version', async () => {
    const provider = org();
    const b = location(provider, { label: 'B-huis', expertise: [] });
    const a = location(provider, { label: 'A-huis', excludedOffenceCategories: [] });
    await ds.transaction(async (tx) => {
      await locations.insert(tx, b, new Date());
      await locations.insert(tx, a, new Date());
      await locations.insert(tx, location(org()), new Date());
    });
    expect(await locations.findById(a.id)).toStrictEqual(a);
    expect(await locations.findById(randomUUID())).toBeUndefined();
    expect(await locations.listOf(provider)).toStrictEqual([a, b]);
    expect(await locations.listOf(provider, ds.manager)).toStrictEqual([a, b]);

    const moved: Location = { ...b, occupancy: 3, capacity: 9, expertise: ['psychiatry'] };
    await ds.transaction(async (tx) => {
      expect(await locations.findForUpdate(tx, b.id)).toStrictEqual(b);
      await locations.update(tx, moved, new Date());
    });
    expect(await locations.findById(b.id)).toStrictEqual(moved);
    expect(await versionOf('locations', b.id)).toBe(2);
  });

  it('matching rules: the defaults until saved, then the last saved version', async () => {
    const provider = org();
    expect(await locations.matchingConfigOf(provider)).toStrictEqual(DEFAULT_MATCHING_CONFIG);
    const first: MatchingConfig = { ...DEFAULT_MATCHING_CONFIG, minRemainingTitleMonths: 3 };
    const second: MatchingConfig = { minRemainingTitleMonths: 12, rules: [] };
    await locations.saveMatchingConfig(provider, first, 'officer-1', new Date());
    expect(await locations.matchingConfigOf(provider)).toStrictEqual(first);
    await locations.saveMatchingConfig(provider, second, 'officer-2', new Date());
    expect(await locations.matchingConfigOf(provider)).toStrictEqual(second);
    const rows = (await ds.query(
      `SELECT updated_by FROM matching_rule_configs WHERE provider_org = $1`,
      [provider],
    )) as { updated_by: string }[];
    expect(rows).toEqual([{ updated_by: 'officer-2' }]);
  });
});
