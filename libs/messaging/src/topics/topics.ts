import { contextTopic, topicOf, type BoundedContext } from '@ketenlink/contracts';
import type { TopicSpec } from '../kafka/kafka.port';

/*
 * DO NOT CHANGE A TOPIC NAME WITHOUT A MIGRATION PLAN: partners and consumer groups are bound to
 * them. topics.spec.ts snapshots this list so a rename cannot slip through unnoticed.
 * (docs/adr/0009-topic-naming.md)
 */
const DAY = 24 * 60 * 60 * 1000;

/**
 * One internal topic per bounded context: every event of that context, keyed by trajectory id.
 * The names come from the contracts (contracts/src/event-types.ts, published in asyncapi.yaml);
 * this file adds what the broker needs to know: partitions and retention.
 */
export const CONTEXT_TOPICS = {
  trajectory: contextTopic('trajectory'),
  placement: contextTopic('placement'),
  agreements: contextTopic('agreements'),
  reviews: contextTopic('reviews'),
  handover: contextTopic('handover'),
} as const satisfies Record<BoundedContext, string>;

/** Partitions: the unit of parallelism per consumer group; 6 lets 6 instances share a topic. */
export const CONTEXT_TOPIC_PARTITIONS = 6;
/** Internal topics keep a year: projections (timeline, partner replay) can be rebuilt from them. */
export const CONTEXT_TOPIC_RETENTION_MS = 365 * DAY;
export const DEAD_LETTER_RETENTION_MS = 30 * DAY;
export const PARTNER_TOPIC_RETENTION_MS = 30 * DAY;

export function contextTopics(): TopicSpec[] {
  return Object.values(CONTEXT_TOPICS).map((name) => ({
    name,
    partitions: CONTEXT_TOPIC_PARTITIONS,
    retentionMs: CONTEXT_TOPIC_RETENTION_MS,
  }));
}

const SAFE_NAME = /^[a-z0-9][a-z0-9-]{0,100}$/;

function assertSafe(kind: string, value: string): void {
  if (!SAFE_NAME.test(value)) throw new Error(`invalid ${kind} for a topic name: ${value}`);
}

/** Dead letters of one consumer group (one topic per group, so operators replay per consumer). */
export function deadLetterTopic(consumerGroup: string): string {
  assertSafe('consumer group', consumerGroup);
  return `ketenlink.dlq.${consumerGroup}.v1`;
}

export function deadLetterTopicSpec(consumerGroup: string): TopicSpec {
  return {
    name: deadLetterTopic(consumerGroup),
    partitions: 1,
    retentionMs: DEAD_LETTER_RETENTION_MS,
  };
}

/** A partner organisation's own topic: only what the consent policy let through. */
export function partnerTopic(organisationId: string): string {
  assertSafe('organisation id', organisationId);
  return `ketenlink.partner.${organisationId}.v1`;
}

export function partnerTopicSpec(organisationId: string): TopicSpec {
  return {
    name: partnerTopic(organisationId),
    partitions: 3,
    retentionMs: PARTNER_TOPIC_RETENTION_MS,
  };
}

/** Bounded context of an event type `nl.ketenlink.<context>.<event>.v<major>` → its topic. */
export const topicForEventType: (type: string) => string = topicOf;
