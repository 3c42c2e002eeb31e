import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type {
  TrajectoryOpenedV1,
  TrajectoryParticipantJoinedV1,
  TrajectoryParticipantLeftV1,
} from '@ketenlink/contracts';
import { calendarDate } from '@ketenlink/dates';
import type { CloudEvent } from '@ketenlink/messaging';
import { openTestDatabase } from '@ketenlink/testing';
import {
  applyTrajectoryFacts,
  SqlTrajectoryFacts,
  trajectoryFactEvent,
  TrajectoryFactsEventHandler,
} from '@ketenlink/trajectory-facts';
import type { DataSource } from 'typeorm';
import { PLACEMENT_INTAKE_MIGRATIONS } from '../../infrastructure/migrations';
import { takesPartNow } from './request-placement.service';

/**
 * Who may refer, on placement-intake's facts projection (@ketenlink/trajectory-facts) against
 * the real (test) database: joined then left, repeated deliveries of the same events change
 * nothing, and "takes part now" is judged on the Europe/Amsterdam calendar date.
 */
const OPENER = 'reclassering-noord';
const ZVH = 'zvh-rotterdam';
// 23:30Z on 23 November is already 24 November in Amsterdam.
const NOW = new Date('2026-11-23T23:30:00Z');
const TODAY = calendarDate(NOW);

let ds: DataSource;
let facts: SqlTrajectoryFacts;
let handler: TrajectoryFactsEventHandler;

beforeAll(async () => {
  ds = await openTestDatabase({
    service: 'placement-intake',
    migrations: PLACEMENT_INTAKE_MIGRATIONS,
  });
  facts = new SqlTrajectoryFacts(ds);
  handler = new TrajectoryFactsEventHandler(facts);
});

afterAll(async () => {
  await ds?.destroy();
});

/** Delivers one event in its own transaction, as the consumer does. */
const deliver = (e: CloudEvent) => applyTrajectoryFacts(handler, ds, [e]);

const opened = (trajectoryId: string) =>
  trajectoryFactEvent('nl.ketenlink.trajectory.opened.v1', {
    trajectoryId,
    openedAt: '2026-11-01T09:00:00Z',
    openedBy: { organisationId: OPENER, role: 'referrer' },
  } satisfies TrajectoryOpenedV1);
const joined = (trajectoryId: string, over: Partial<TrajectoryParticipantJoinedV1> = {}) =>
  trajectoryFactEvent('nl.ketenlink.trajectory.participant-joined.v1', {
    trajectoryId,
    organisationId: ZVH,
    role: 'zvh',
    from: TODAY,
    ...over,
  });
const left = (trajectoryId: string, at: string, over: Partial<TrajectoryParticipantLeftV1> = {}) =>
  trajectoryFactEvent('nl.ketenlink.trajectory.participant-left.v1', {
    trajectoryId,
    organisationId: ZVH,
    role: 'zvh',
    at,
    ...over,
  });

async function openTrajectory(): Promise<string> {
  const id = randomUUID();
  await deliver(opened(id));
  return id;
}

const participates = (trajectoryId: string, org = ZVH, now = NOW) =>
  takesPartNow(facts, trajectoryId, org, now);

describe('who takes part now, on the facts projection (real PostgreSQL)', () => {
  it('joined then left; repeated deliveries of either change nothing', async () => {
    const id = await openTrajectory();
    expect(await participates(id)).toBe(false);

    const join = joined(id);
    await deliver(join);
    expect(await participates(id)).toBe(true);
    const afterJoin = await facts.participationsOf(id);
    expect(afterJoin).toHaveLength(1);
    await deliver(join);
    expect(await facts.participationsOf(id)).toEqual(afterJoin);

    const leave = left(id, '2026-11-23T23:00:00Z');
    await deliver(leave);
    expect(await participates(id)).toBe(false);
    const afterLeave = await facts.participationsOf(id);
    expect(afterLeave).toEqual([expect.objectContaining({ until: new Date(leave.data.at) })]);
    await deliver(leave);
    await deliver(join);
    expect(await facts.participationsOf(id)).toEqual(afterLeave);
    expect(await participates(id)).toBe(false);

    // A later re-join counts again, and a replay of the earlier left does not close it.
    const rejoin = joined(id);
    await deliver(rejoin);
    expect(await participates(id)).toBe(true);
    await deliver(leave);
    expect(await participates(id)).toBe(true);
    expect(await facts.participationsOf(id)).toHaveLength(2);
  });

  it('takes part only from its first day (Amsterdam date) through its last, until it leaves', async () => {
    const id = await openTrajectory();
    const j = joined(id, { from: '2026-11-24', until: '2026-11-30' });
    await deliver(j);
    expect(await participates(id, ZVH, new Date('2026-11-23T22:59:00Z'))).toBe(false); // 23rd NL
    expect(await participates(id, ZVH, NOW)).toBe(true); // 24th in Amsterdam already
    expect(await participates(id, ZVH, new Date('2026-11-30T22:59:00Z'))).toBe(true); // last day
    expect(await participates(id, ZVH, new Date('2026-11-30T23:00:00Z'))).toBe(false); // 1 Dec NL

    const l = left(id, '2026-11-26T12:00:00Z');
    await deliver(l);
    expect(await participates(id, ZVH, new Date('2026-11-26T11:59:59Z'))).toBe(true);
    expect(await participates(id, ZVH, new Date('2026-11-26T12:00:00Z'))).toBe(false);
  });

  it('the opener takes part through its participation, not after leaving; another organisation or an unknown trajectory does not', async () => {
    const id = await openTrajectory();
    // Having opened it is not participation (issue 10 finding 4): its participant-joined is.
    expect(await participates(id, OPENER)).toBe(false);
    const o = joined(id, { organisationId: OPENER, role: 'referrer' });
    await deliver(o);
    const j = joined(id);
    await deliver(j);
    expect(await participates(id, OPENER)).toBe(true);
    const l = left(id, '2026-11-23T23:00:00Z', { organisationId: OPENER, role: 'referrer' });
    await deliver(l);
    expect(await participates(id, OPENER)).toBe(false);
    expect(await participates(id, ZVH)).toBe(true);
    expect(await participates(id, 'fz-de-brug')).toBe(false);
    expect(await participates(randomUUID(), OPENER)).toBe(false);
    // Participation rows for a trajectory this service never heard opened do not count.
    const stray = randomUUID();
    const s = joined(stray);
    await deliver(s);
    expect(await participates(stray)).toBe(false);
  });
});
