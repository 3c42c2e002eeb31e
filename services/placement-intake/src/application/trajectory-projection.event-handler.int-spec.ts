import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type {
  TrajectoryOpenedV1,
  TrajectoryParticipantJoinedV1,
  TrajectoryParticipantLeftV1,
} from '@ketenlink/contracts';
import { buildCloudEvent, EventContext, type CloudEvent } from '@ketenlink/messaging';
import { openTestDatabase } from '@ketenlink/testing';
import type { DataSource } from 'typeorm';
import { calendarDate } from '@ketenlink/dates';
import { SqlKnownTrajectoriesStore } from '../infrastructure/known-trajectories.store';
import { PLACEMENT_INTAKE_MIGRATIONS } from '../infrastructure/migrations';
import { TrajectoryProjectionEventHandler } from './trajectory-projection.event-handler';

/**
 * The trajectory projections against the real (test) database: joined then left, repeated
 * deliveries of the same events change nothing, and "takes part now" is judged on the
 * Europe/Amsterdam calendar date.
 */
const OPENER = 'reclassering-noord';
const ZVH = 'zvh-rotterdam';
// 23:30Z on 23 November is already 24 November in Amsterdam.
const NOW = new Date('2026-11-23T23:30:00Z');
const TODAY = calendarDate(NOW);

let ds: DataSource;
let query: SqlKnownTrajectoriesStore;
let handler: TrajectoryProjectionEventHandler;

beforeAll(async () => {
  ds = await openTestDatabase({
    service: 'placement-intake',
    migrations: PLACEMENT_INTAKE_MIGRATIONS,
  });
  query = new SqlKnownTrajectoriesStore(ds);
  handler = new TrajectoryProjectionEventHandler(query);
});

afterAll(async () => {
  await ds?.destroy();
});

function event<T>(type: string, subject: string, data: T): CloudEvent<T> {
  return buildCloudEvent({
    type: `nl.ketenlink.trajectory.${type}.v1`,
    source: 'trajectory',
    subject,
    data,
    dataschema: `https://schemas.ketenlink.nl/events/trajectory.${type}/v1.schema.json`,
  });
}

/** Delivers one event to the handler in its own transaction, as the consumer does. */
async function deliver(e: CloudEvent, run: (ctx: EventContext) => Promise<void>): Promise<void> {
  await ds.transaction((tx) => run(new EventContext([e, tx])));
}

const opened = (trajectoryId: string) =>
  event<TrajectoryOpenedV1>('opened', trajectoryId, {
    trajectoryId,
    openedAt: '2026-11-01T09:00:00Z',
    openedBy: { organisationId: OPENER, role: 'referrer' },
  });
const joined = (trajectoryId: string, over: Partial<TrajectoryParticipantJoinedV1> = {}) =>
  event<TrajectoryParticipantJoinedV1>('participant-joined', trajectoryId, {
    trajectoryId,
    organisationId: ZVH,
    role: 'zvh',
    from: TODAY,
    ...over,
  });
const left = (trajectoryId: string, at: string) =>
  event<TrajectoryParticipantLeftV1>('participant-left', trajectoryId, {
    trajectoryId,
    organisationId: ZVH,
    role: 'zvh',
    at,
  });

async function openTrajectory(): Promise<string> {
  const id = randomUUID();
  await deliver(opened(id), (ctx) => handler.onTrajectoryOpened(opened(id).data, ctx));
  return id;
}

const rows = (trajectoryId: string) =>
  ds.query(
    `SELECT organisation_id, role, valid_from::text, valid_until::text, left_at, left_event_id
       FROM trajectory_participants WHERE trajectory_id = $1 ORDER BY projected_at, source_event_id`,
    [trajectoryId],
  );
const participates = (trajectoryId: string, org = ZVH, now = NOW) =>
  query.isParticipantNow(trajectoryId, org, now, calendarDate(now));

describe('trajectory participant projection (real PostgreSQL)', () => {
  it('joined then left; repeated deliveries of either change nothing', async () => {
    const id = await openTrajectory();
    expect(await participates(id)).toBe(false);

    const join = joined(id);
    await deliver(join, (ctx) => handler.onParticipantJoined(join.data, ctx));
    expect(await participates(id)).toBe(true);
    const afterJoin = await rows(id);
    expect(afterJoin).toHaveLength(1);
    await deliver(join, (ctx) => handler.onParticipantJoined(join.data, ctx));
    expect(await rows(id)).toEqual(afterJoin);

    const leave = left(id, '2026-11-23T23:00:00Z');
    await deliver(leave, (ctx) => handler.onParticipantLeft(leave.data, ctx));
    expect(await participates(id)).toBe(false);
    const afterLeave = await rows(id);
    expect(afterLeave).toEqual([
      expect.objectContaining({ left_at: new Date(leave.data.at), left_event_id: leave.id }),
    ]);
    await deliver(leave, (ctx) => handler.onParticipantLeft(leave.data, ctx));
    await deliver(join, (ctx) => handler.onParticipantJoined(join.data, ctx));
    expect(await rows(id)).toEqual(afterLeave);
    expect(await participates(id)).toBe(false);

    // A later re-join counts again, and a replay of the earlier left does not close it.
    const rejoin = joined(id);
    await deliver(rejoin, (ctx) => handler.onParticipantJoined(rejoin.data, ctx));
    expect(await participates(id)).toBe(true);
    await deliver(leave, (ctx) => handler.onParticipantLeft(leave.data, ctx));
    expect(await participates(id)).toBe(true);
    expect(await rows(id)).toHaveLength(2);
  });

  it('takes part only from its first day (Amsterdam date) through its last, until it leaves', async () => {
    const id = await openTrajectory();
    const j = joined(id, { from: '2026-11-24', until: '2026-11-30' });
    await deliver(j, (ctx) => handler.onParticipantJoined(j.data, ctx));
    expect(await participates(id, ZVH, new Date('2026-11-23T22:59:00Z'))).toBe(false); // 23rd NL
    expect(await participates(id, ZVH, NOW)).toBe(true); // 24th in Amsterdam already
    expect(await participates(id, ZVH, new Date('2026-11-30T22:59:00Z'))).toBe(true); // last day
    expect(await participates(id, ZVH, new Date('2026-11-30T23:00:00Z'))).toBe(false); // 1 Dec NL

    const l = left(id, '2026-11-26T12:00:00Z');
    await deliver(l, (ctx) => handler.onParticipantLeft(l.data, ctx));
    expect(await participates(id, ZVH, new Date('2026-11-26T11:59:59Z'))).toBe(true);
    expect(await participates(id, ZVH, new Date('2026-11-26T12:00:00Z'))).toBe(false);
  });

  it('the opener takes part through its participation, not after leaving; another organisation or an unknown trajectory does not', async () => {
    const id = await openTrajectory();
    // Having opened it is not participation (issue 10 finding 4): its participant-joined is.
    expect(await participates(id, OPENER)).toBe(false);
    const o = joined(id, { organisationId: OPENER, role: 'referrer' });
    await deliver(o, (ctx) => handler.onParticipantJoined(o.data, ctx));
    const j = joined(id);
    await deliver(j, (ctx) => handler.onParticipantJoined(j.data, ctx));
    expect(await participates(id, OPENER)).toBe(true);
    const l = event<TrajectoryParticipantLeftV1>('participant-left', id, {
      trajectoryId: id,
      organisationId: OPENER,
      role: 'referrer',
      at: '2026-11-23T23:00:00Z',
    });
    await deliver(l, (ctx) => handler.onParticipantLeft(l.data, ctx));
    expect(await participates(id, OPENER)).toBe(false);
    expect(await participates(id, ZVH)).toBe(true);
    expect(await participates(id, 'fz-de-brug')).toBe(false);
    expect(await participates(randomUUID(), OPENER)).toBe(false);
    // Participation rows for a trajectory this service never heard opened do not count.
    const stray = randomUUID();
    const s = joined(stray);
    await deliver(s, (ctx) => handler.onParticipantJoined(s.data, ctx));
    expect(await participates(stray)).toBe(false);
  });
});
