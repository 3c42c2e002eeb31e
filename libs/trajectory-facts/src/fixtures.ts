import { randomUUID } from 'node:crypto';
import {
  type EventPayloads,
  type OrganisationRegisteredV1,
  schemaUriOf,
  type TitleRegisteredV1,
  type TrajectoryParticipantJoinedV1,
  validatePayload,
} from '@ketenlink/contracts';
import { calendarDate } from '@ketenlink/dates';
import type { EntityManager } from 'typeorm';
import {
  buildCloudEvent,
  type CloudEvent,
  EventContext,
  type ProducerPort,
  type SqlExecutor,
  toKafkaRecord,
  topicForEventType,
} from '@ketenlink/messaging';
import type { TrajectoryFactsEventHandler } from './trajectory-facts.event-handler';

/**
 * Test fixtures (ADR 0021): put facts into a service's projection in its int tests through real
 * events on the real trajectory topic, consumed by the service's own consumer
 * (`connectEventConsumer` of @ketenlink/service-runtime):
 *
 *   const events = trajectoryFactEvents.trajectory({ opener: 'pi-vught', participants: [...] });
 *   await publishTrajectoryFacts(producer, events);
 *   await waitFor(() => trajectoryFactsProjected(ds, events));
 *
 * Use fresh organisation ids per test file (`uniqueOrganisationId`): the trajectory topic is
 * shared by every test run against the same Kafka, and a consumer group reads it from the start.
 */
export type TrajectoryFactEventType = Extract<
  keyof EventPayloads,
  | `nl.ketenlink.organisation.${string}`
  | `nl.ketenlink.trajectory.${string}`
  | `nl.ketenlink.consent.${string}`
  | `nl.ketenlink.title.registered.v1`
  | `nl.ketenlink.title.changed.v1`
  | `nl.ketenlink.title.ended.v1`
>;

/** One schema-valid CloudEvent as the trajectory service emits it (throws when invalid). */
export function trajectoryFactEvent<T extends TrajectoryFactEventType>(
  type: T,
  data: EventPayloads[T],
  options: { readonly time?: Date } = {},
): CloudEvent<EventPayloads[T]> {
  const valid = validatePayload(type, data);
  if (!valid.ok) throw new Error(`${type} is not schema-valid: ${valid.errors.join('; ')}`);
  const d = data as { trajectoryId?: string; organisationId?: string };
  return buildCloudEvent({
    type,
    source: 'trajectory',
    subject: d.trajectoryId ?? d.organisationId ?? '',
    dataschema: schemaUriOf(type),
    data,
    ...(options.time ? { time: options.time } : {}),
  });
}

/** An organisation id no other test run uses (ids are lower case, digits and hyphens). */
export function uniqueOrganisationId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface ScenarioParticipant {
  readonly organisationId: string;
  readonly role: TrajectoryParticipantJoinedV1['role'];
  /** First day (default: today, Europe/Amsterdam). */
  readonly from?: string;
  readonly until?: string;
}

export const trajectoryFactEvents = {
  /** organisation.registered, active from `activeFrom` (default 2020-01-01). */
  organisation(
    organisationId: string,
    kind: OrganisationRegisteredV1['kind'],
    over: Partial<OrganisationRegisteredV1> = {},
  ) {
    return trajectoryFactEvent('nl.ketenlink.organisation.registered.v1', {
      organisationId,
      kind,
      identifiers: {},
      activeFrom: '2020-01-01',
      ...over,
    });
  },

  /**
   * A trajectory as the trajectory service opens it: opened, the opener joins (as `openerRole`,
   * default referrer), then the other participants join, and the titles are registered.
   */
  trajectory(s: {
    readonly trajectoryId?: string;
    readonly opener: string;
    readonly openerRole?: TrajectoryParticipantJoinedV1['role'];
    readonly participants?: readonly ScenarioParticipant[];
    readonly titles?: readonly Omit<TitleRegisteredV1, 'trajectoryId'>[];
  }): CloudEvent[] {
    const trajectoryId = s.trajectoryId ?? randomUUID();
    const today = calendarDate(new Date());
    return [
      trajectoryFactEvent('nl.ketenlink.trajectory.opened.v1', {
        trajectoryId,
        openedAt: new Date().toISOString(),
        openedBy: { organisationId: s.opener, role: 'coordinator' },
      }),
      ...[
        { organisationId: s.opener, role: s.openerRole ?? 'referrer' },
        ...(s.participants ?? []),
      ].map((p: ScenarioParticipant) =>
        trajectoryFactEvents.joined(trajectoryId, { from: today, ...p }),
      ),
      ...(s.titles ?? []).map((t) =>
        trajectoryFactEvent('nl.ketenlink.title.registered.v1', { trajectoryId, ...t }),
      ),
    ];
  },

  joined(trajectoryId: string, p: ScenarioParticipant) {
    return trajectoryFactEvent('nl.ketenlink.trajectory.participant-joined.v1', {
      trajectoryId,
      organisationId: p.organisationId,
      role: p.role,
      from: p.from ?? calendarDate(new Date()),
      ...(p.until ? { until: p.until } : {}),
    });
  },

  left(
    trajectoryId: string,
    organisationId: string,
    role: TrajectoryParticipantJoinedV1['role'],
    at = new Date(),
  ) {
    return trajectoryFactEvent('nl.ketenlink.trajectory.participant-left.v1', {
      trajectoryId,
      organisationId,
      role,
      at: at.toISOString(),
    });
  },
};

/**
 * Publishes the events on their topic (the trajectory topic, with the run's topic prefix),
 * keyed by subject as the outbox relay does: one partition per trajectory keeps their order.
 */
export async function publishTrajectoryFacts(
  producer: ProducerPort,
  events: readonly CloudEvent[],
): Promise<void> {
  await producer.send(
    events.map((e) => ({ topic: topicForEventType(e.type), ...toKafkaRecord(e) })),
    { timeoutMs: 20_000 },
  );
}

/**
 * Whether the service's consumer has taken every one of these events (their inbox rows commit
 * with the projection's writes): the probe for `waitFor`.
 */
export async function trajectoryFactsProjected(
  db: SqlExecutor,
  events: readonly CloudEvent[],
): Promise<boolean> {
  const rows = (await db.query(
    `SELECT count(DISTINCT event_id)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])`,
    [events.map((e) => e.id)],
  )) as { n: number }[];
  return rows[0]?.n === new Set(events.map((e) => e.id)).size;
}

/**
 * The other way in (when an int test needs many facts fast): the events through the projection's
 * own handler, each in its own transaction with an EventContext, as the consumer runs it (no
 * inbox row). Prefer `publishTrajectoryFacts` where the test is about the flow.
 */
export async function applyTrajectoryFacts(
  handler: TrajectoryFactsEventHandler,
  db: { transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> },
  events: readonly CloudEvent[],
): Promise<void> {
  for (const e of events) {
    const method = HANDLER_OF[e.type as TrajectoryFactEventType];
    if (!method) throw new Error(`the facts projection does not handle ${e.type}`);
    await db.transaction((tx) =>
      (handler[method] as (d: unknown, c: EventContext) => Promise<void>).call(
        handler,
        e.data,
        new EventContext([e, tx]),
      ),
    );
  }
}

const HANDLER_OF: Partial<Record<TrajectoryFactEventType, keyof TrajectoryFactsEventHandler>> = {
  'nl.ketenlink.organisation.registered.v1': 'onOrganisation',
  'nl.ketenlink.organisation.changed.v1': 'onOrganisation',
  'nl.ketenlink.trajectory.opened.v1': 'onOpened',
  'nl.ketenlink.trajectory.participant-joined.v1': 'onJoined',
  'nl.ketenlink.trajectory.participant-left.v1': 'onLeft',
  'nl.ketenlink.trajectory.case-lead-transferred.v1': 'onCaseLead',
  'nl.ketenlink.consent.granted.v1': 'onConsentGranted',
  'nl.ketenlink.consent.revoked.v1': 'onConsentRevoked',
  'nl.ketenlink.title.registered.v1': 'onTitleRegistered',
  'nl.ketenlink.title.changed.v1': 'onTitleChanged',
  'nl.ketenlink.title.ended.v1': 'onTitleEnded',
};
