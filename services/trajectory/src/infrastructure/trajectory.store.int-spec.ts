import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { openTestDatabase } from '@ketenlink/testing';
import { types } from 'pg';
import type { DataSource } from 'typeorm';
import type { TrajectoryState } from '../domain/trajectory';
import { TRAJECTORY_MIGRATIONS } from './migrations';
import { SqlTrajectoryStore } from './trajectory.store';

/**
 * The trajectory store against the real (test) database: a whole state survives the round trip,
 * also as a process in Amsterdam's time zone would see it. node-postgres parses a `date` column
 * as local midnight (in Europe/Amsterdam 2026-01-10 becomes 2026-01-09T23:00Z); the test parses
 * dates that way whatever the machine's zone, so a store that read a title's dates as `Date`s
 * would move them a day and fail here.
 */
const DATE_OID = 1082;
const nodePostgresDateParser = types.getTypeParser(DATE_OID);
let ds: DataSource;
let store: SqlTrajectoryStore;

beforeAll(async () => {
  types.setTypeParser(DATE_OID, (text: string) => new Date(`${text}T00:00:00+01:00`));
  ds = await openTestDatabase({ service: 'trajectory', migrations: TRAJECTORY_MIGRATIONS });
  store = new SqlTrajectoryStore(ds);
});

afterAll(async () => {
  await ds?.destroy();
  types.setTypeParser(DATE_OID, nodePostgresDateParser);
});

function state(): TrajectoryState {
  const id = randomUUID();
  return {
    trajectory: {
      id,
      openedAt: new Date('2026-01-05T09:00:00.000Z'),
      openedBy: { organisationId: 'zvh-utrecht', role: 'coordinator', subject: 'u1' },
      region: 'Utrecht',
      caseLead: { organisationId: 'zvh-utrecht' },
    },
    participations: [
      {
        id: randomUUID(),
        organisationId: 'zvh-utrecht',
        role: 'zvh',
        from: new Date('2026-01-04T23:00:00.000Z'),
      },
      {
        id: randomUUID(),
        organisationId: 'fz-de-brug',
        role: 'provider',
        from: new Date('2026-01-05T23:00:00.000Z'),
        until: new Date('2026-07-01T22:00:00.000Z'),
      },
    ],
    titles: [
      {
        id: randomUUID(),
        kind: 'special-conditions-suspended-sentence',
        startDate: '2026-01-10',
        expectedEndDate: '2028-01-09',
        conditions: [{ type: 'reporting-duty', description: 'Reports weekly' }],
        actualEndDate: '2027-03-31',
        endReason: 'ended-early-hearing',
      },
    ],
    consents: [
      {
        id: randomUUID(),
        recipient: { kind: 'organisation', id: 'zvh-utrecht' },
        categories: ['contact-and-logistics'],
        purpose: 'ZVH case meetings',
        legalBasis: 'covenant',
        validFrom: new Date('2026-01-05T10:00:00.000Z'),
        validUntil: new Date('2027-01-05T10:00:00.000Z'),
        revokedAt: new Date('2026-06-01T10:00:00.000Z'),
        onWordOf: 'covenant',
        recordedAt: new Date('2026-01-05T10:00:00.000Z'),
        recordedBy: { subject: 'u1', organisationId: 'zvh-utrecht' },
      },
    ],
  } as TrajectoryState;
}

describe('SqlTrajectoryStore', () => {
  it('writes a whole state and reads it back unchanged, dates included', async () => {
    const [probe] = (await ds.query(`SELECT '2026-01-10'::date AS d`)) as { d: Date }[];
    expect(probe!.d.toISOString()).toBe('2026-01-09T23:00:00.000Z'); // the Amsterdam parse
    const s = state();
    const id = s.trajectory.id;
    await ds.transaction(async (tx) => {
      await store.insertTrajectory(tx, s.trajectory);
      await store.apply(tx, id, [
        ...s.participations.map((participation) => ({
          kind: 'participation-added' as const,
          participation,
        })),
        ...s.titles.map((title) => ({ kind: 'title-added' as const, title })),
        ...s.consents.map((consent) => ({ kind: 'consent-added' as const, consent })),
      ]);
      // title-added writes no end; the update sets it, as ending a title does.
      await store.apply(tx, id, [{ kind: 'title-updated', title: s.titles[0]! }]);
    });
    const loaded = await store.load(undefined, id);
    expect(loaded).toEqual(s);
    expect(loaded!.titles[0]).toMatchObject({
      startDate: '2026-01-10',
      expectedEndDate: '2028-01-09',
      actualEndDate: '2027-03-31',
    });
    expect(await store.load(undefined, randomUUID())).toBeUndefined();
  });
});
