import { randomUUID } from 'node:crypto';
import type { HandoverCompletedV1 } from '@ketenlink/contracts';
import { addDays, calendarDate, nextDate, startOfDay } from '@ketenlink/dates';
import {
  buildCloudEvent,
  kafkaClients,
  type ProducerPort,
  toKafkaRecord,
  topicForEventType,
} from '@ketenlink/messaging';
import { waitFor } from '@ketenlink/testing';
import {
  type Client,
  startTrajectoryTestApp,
  type TrajectoryTestApp,
} from '../test-support/harness';

/**
 * R-HANDOVER, completion moves responsibility: `handover.completed` arrives through the real
 * handover topic, and the trajectory's own consumer lets the receiving organisation join as
 * provider and ends the sender's participation after the agreed leave date, as domain events
 * (nobody adds itself); the participant events go out through the outbox, so probation is told.
 * A redelivered event changes nothing.
 */
let t: TrajectoryTestApp;
let producer: ProducerPort;
let zvh: Client;
const SENDER = `pi-handover-${randomUUID().slice(0, 6)}`;
const RECEIVER = `fz-handover-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  t = await startTrajectoryTestApp({ consumer: true });
  zvh = await t.as('zvh-handover', ['zvh-coordinator']);
  await t.register(SENDER, 'prison');
  await t.register(RECEIVER, 'care-provider');
  await t.register('reclassering-handover', 'probation-service');
  producer = kafkaClients({ clientId: 'handover-completed-int' }).producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await t?.close();
});

interface Row {
  organisationId: string;
  role: string;
  from: string;
  until?: string;
}
const participants = async (id: string): Promise<Row[]> => {
  const res = await zvh.get(`/trajectories/${id}/participants`);
  expect(res.status).toBe(200);
  return res.body.items as Row[];
};

async function trajectoryWithSender(): Promise<string> {
  const opened = await zvh.post('/trajectories', { region: 'Utrecht' });
  expect(opened.status).toBe(201);
  const id = opened.body.id as string;
  for (const [organisationId, role] of [
    [SENDER, 'referrer'],
    ['reclassering-handover', 'probation'],
  ] as const) {
    const res = await zvh.post(`/trajectories/${id}/participants`, {
      organisationId,
      role,
      from: calendarDate(new Date()),
    });
    expect(res.status).toBe(201);
  }
  return id;
}

function completed(trajectoryId: string, leavesOn: string) {
  const data: HandoverCompletedV1 = {
    trajectoryId,
    handoverId: randomUUID(),
    kind: 'prison-to-housing',
    sendingOrganisationId: SENDER,
    sendingRole: 'referrer',
    receivingOrganisationId: RECEIVER,
    receivingRole: 'provider',
    receiverJoinsOn: calendarDate(new Date()),
    senderLeavesOn: leavesOn,
    warm: true,
    completedAt: new Date().toISOString(),
  };
  return buildCloudEvent({
    type: 'nl.ketenlink.handover.completed.v1',
    source: 'handover',
    subject: trajectoryId,
    data,
    dataschema: 'https://schemas.ketenlink.nl/events/handover.completed/v1.schema.json',
  });
}

const publish = (e: ReturnType<typeof buildCloudEvent>) =>
  producer.send([{ topic: topicForEventType(e.type), ...toKafkaRecord(e) }], { timeoutMs: 20_000 });

it('the receiver joins as provider, the sender leaves after the agreed date; probation is told', async () => {
  const id = await trajectoryWithSender();
  const leavesOn = addDays(calendarDate(new Date()), 14);
  const event = completed(id, leavesOn);
  await publish(event);

  await waitFor(async () => (await participants(id)).some((p) => p.organisationId === RECEIVER), {
    timeoutMs: 30_000,
  });
  const rows = await participants(id);
  expect(rows.find((p) => p.organisationId === RECEIVER)).toMatchObject({
    role: 'provider',
    from: startOfDay(calendarDate(new Date())).toISOString(),
  });
  expect(rows.find((p) => p.organisationId === SENDER)).toMatchObject({
    role: 'referrer',
    until: startOfDay(nextDate(leavesOn)).toISOString(),
  });
  // The participant events left through the outbox in the consumer's transaction.
  const out = (await t.ds.query(
    `SELECT type, payload FROM outbox WHERE aggregateid = $1 ORDER BY seq`,
    [id],
  )) as { type: string; payload: { organisationId: string } }[];
  const told = out.map((r) => [r.type.replace(/^nl\.ketenlink\./, ''), r.payload.organisationId]);
  expect(told).toEqual(
    expect.arrayContaining([
      ['trajectory.participant-joined.v1', RECEIVER],
      ['trajectory.participant-left.v1', SENDER],
    ]),
  );

  // Redelivery: the same event id again changes nothing. A later event on the same key (same
  // partition, so consumed after it) tells when the redelivered one has been handled.
  const before = await participants(id);
  await publish(event);
  const marker = buildCloudEvent({
    type: 'nl.ketenlink.handover.accepted.v1',
    source: 'handover',
    subject: id,
    data: {
      trajectoryId: id,
      handoverId: randomUUID(),
      sendingOrganisationId: SENDER,
      receivingOrganisationId: RECEIVER,
      acceptedAt: new Date().toISOString(),
    },
    dataschema: 'https://schemas.ketenlink.nl/events/handover.accepted/v1.schema.json',
  });
  await producer.send([{ topic: topicForEventType(marker.type), ...toKafkaRecord(marker) }]);
  await waitFor(
    async () =>
      (
        (await t.ds.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [
          marker.id,
        ])) as { n: number }[]
      )[0]!.n === 1,
    { timeoutMs: 30_000 },
  );
  expect(await participants(id)).toEqual(before);
});
