import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { startOfDay } from '@ketenlink/dates';
import { openTestDatabase } from '@ketenlink/testing';
import {
  applyTrajectoryFacts,
  SqlTrajectoryFacts,
  TrajectoryFactsEventHandler,
  trajectoryFactEvent,
} from '@ketenlink/trajectory-facts';
import type { DataSource } from 'typeorm';
import { PLACEMENT_INTAKE_MIGRATIONS } from './index';

/**
 * Upgrading a database that holds placement-intake's own projections: the rows move into the
 * shared facts projection with their event ids, so a replay of the same events changes nothing;
 * the migrations revert as well (down, then up again).
 */
let ds: DataSource;

beforeAll(async () => {
  ds = await openTestDatabase({
    service: 'placement-intake',
    migrations: PLACEMENT_INTAKE_MIGRATIONS,
  });
});

afterAll(async () => {
  // Leave the database fully migrated for the next test file.
  await ds?.runMigrations({ transaction: 'each' });
  await ds?.destroy();
});

it('moves known_trajectories and trajectory_participants into facts_* with the same event ids', async () => {
  // Back to the schema before the shared projection (the three newest migrations reverted).
  for (let i = 0; i < 3; i++) await ds.undoLastMigration({ transaction: 'each' });
  const [{ n }] = (await ds.query(
    `SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE 'facts\\_%'`,
  )) as { n: number }[];
  expect(n).toBe(0);

  const t = randomUUID();
  const openedId = randomUUID();
  const joinedId = randomUUID();
  const leftId = randomUUID();
  const rejoinedId = randomUUID();
  await ds.query(
    `INSERT INTO known_trajectories (trajectory_id, opened_at, opened_by_org, region, source_event_id)
     VALUES ($1, '2026-11-01T09:00:00Z', 'pi-vught', 'Brabant', $2)`,
    [t, openedId],
  );
  await ds.query(
    `INSERT INTO trajectory_participants
       (source_event_id, trajectory_id, organisation_id, role, valid_from, valid_until, left_at, left_event_id, projected_at)
     VALUES ($1, $2, 'pi-vught', 'referrer', '2026-11-01', NULL, '2026-11-10T12:00:00Z', $3, '2026-11-01T09:00:01Z'),
            ($4, $2, 'pi-vught', 'referrer', '2026-11-15', '2026-12-31', NULL, NULL, '2026-11-15T09:00:00Z')`,
    [joinedId, t, leftId, rejoinedId],
  );

  await ds.runMigrations({ transaction: 'each' });
  const tables = (await ds.query(
    `SELECT tablename FROM pg_tables WHERE tablename IN ('known_trajectories', 'trajectory_participants')`,
  )) as unknown[];
  expect(tables).toEqual([]);

  const facts = new SqlTrajectoryFacts(ds);
  const expected = {
    trajectoryId: t,
    participations: [
      {
        organisationId: 'pi-vught',
        role: 'referrer',
        from: startOfDay('2026-11-01'),
        until: new Date('2026-11-10T12:00:00Z'),
      },
      {
        organisationId: 'pi-vught',
        role: 'referrer',
        from: startOfDay('2026-11-15'),
        until: startOfDay('2027-01-01'),
      },
    ],
    consents: [],
  };
  expect(await facts.factsOf(t)).toEqual(expected);
  expect(await facts.caseLeadOf(t)).toBe('pi-vught');

  // A replay of the same events (e.g. the consumer group reset to the start of the topic) is a repeat.
  const handler = new TrajectoryFactsEventHandler(facts);
  await applyTrajectoryFacts(handler, ds, [
    {
      ...trajectoryFactEvent('nl.ketenlink.trajectory.opened.v1', {
        trajectoryId: t,
        openedAt: '2026-11-01T09:00:00Z',
        openedBy: { organisationId: 'pi-vught', role: 'referrer' },
        region: 'Brabant',
      }),
      id: openedId,
    },
    {
      ...trajectoryFactEvent('nl.ketenlink.trajectory.participant-joined.v1', {
        trajectoryId: t,
        organisationId: 'pi-vught',
        role: 'referrer',
        from: '2026-11-01',
      }),
      id: joinedId,
      time: '2026-11-01T09:00:00.500Z',
    },
    {
      ...trajectoryFactEvent('nl.ketenlink.trajectory.participant-left.v1', {
        trajectoryId: t,
        organisationId: 'pi-vught',
        role: 'referrer',
        at: '2026-11-10T12:00:00Z',
      }),
      id: leftId,
      time: '2026-11-10T12:00:00.000Z',
    },
  ]);
  expect(await facts.factsOf(t)).toEqual(expected);
});
