import { contextTopic, topicOf, type BoundedContext } from '@ketenlink/contracts';
import type { TopicSpec } from '../kafka/kafka.port';

/*
 * DO NOT CHANGE A TOPIC NAME WITHOUT A MIGRATION PLAN: partners and consumer groups are bound to
 * them. topics.spec.ts snapshots this list so a rename cannot slip through unnoticed.
 * (docs/adr/0009-topic-naming.md)
 */
const DAY = 24 * 60 * 60 * 1000;

/**
 * `KETENLINK_TOPIC_PREFIX` (read once, at load): a namespace put before every topic name, so a
 * test run (tests/support/platform.ts gives each e2e run its own) never publishes on or consumes
 * from the topics of a running `npm start`. Unset in every real deployment: the names below.
 */
export const TOPIC_PREFIX = topicPrefixFrom(process.env.KETENLINK_TOPIC_PREFIX);

export function topicPrefixFrom(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  if (!/^[a-z0-9][a-z0-9-]{0,60}\.$/.test(value)) {
    throw new Error(`KETENLINK_TOPIC_PREFIX must look like "e2e-1a2b3c.": ${value}`);
  }
  return value;
}

const prefixed = (name: string): string => `${TOPIC_PREFIX}${name}`;

/**
 * One internal topic per bounded context: every event of that context, keyed by trajectory id.
 * The names come from the contracts (contracts/src/event-types.ts, published in asyncapi.yaml);
 * this file adds what the broker needs to know: partitions and retention.
 */
export const CONTEXT_TOPICS = {
  trajectory: prefixed(contextTopic('trajectory')),
  placement: prefixed(contextTopic('placement')),
  agreements: prefixed(contextTopic('agreements')),
  reviews: prefixed(contextTopic('reviews')),
  handover: prefixed(contextTopic('handover')),
  gateway: prefixed(contextTopic('gateway')),
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
  return prefixed(`ketenlink.dlq.${consumerGroup}.v1`);
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
  return prefixed(`ketenlink.partner.${organisationId}.v1`);
}

export function partnerTopicSpec(organisationId: string): TopicSpec {
  return {
    name: partnerTopic(organisationId),
    partitions: 3,
    retentionMs: PARTNER_TOPIC_RETENTION_MS,
  };
}

/** Bounded context of an event type `nl.ketenlink.<context>.<event>.v<major>` → its topic. */
export const topicForEventType = (type: string): string => prefixed(topicOf(type));
