/**
 * Event type strings, schema URIs and topics. Pure: no schema is loaded here.
 *
 * CloudEvents `type` = `nl.ketenlink.<context>.<event>.v<major>`, e.g.
 * `nl.ketenlink.trajectory.opened.v1`; its payload schema lives in
 * `contracts/events/<context>.<event>/v<major>.schema.json` and is published under
 * `https://schemas.ketenlink.nl/events/<context>.<event>/v<major>.schema.json` (the
 * CloudEvents `dataschema`).
 */

const TYPE_PATTERN =
  /^nl\.ketenlink\.([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\.([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\.v([1-9][0-9]*)$/;

export const SCHEMA_BASE_URI = 'https://schemas.ketenlink.nl/events/';

export interface ParsedEventType {
  /** Event-type context, the first segment (`trajectory`, `title`, `consent`, …). */
  readonly context: string;
  /** Event name within the context (`opened`, `participant-joined`, …). */
  readonly event: string;
  readonly major: number;
}

export function parseEventType(type: string): ParsedEventType {
  const m = TYPE_PATTERN.exec(type);
  if (!m) throw new Error(`not a Ketenlink event type: '${type}'`);
  return { context: m[1]!, event: m[2]!, major: Number(m[3]) };
}

export function formatEventType(context: string, event: string, major: number): string {
  const type = `nl.ketenlink.${context}.${event}.v${major}`;
  parseEventType(type);
  return type;
}

/** The payload schema's `$id`; use it as the CloudEvents `dataschema`. */
export function schemaUriOf(type: string): string {
  return SCHEMA_BASE_URI + schemaPathOf(type);
}

/** Path of the payload schema relative to `contracts/events/` (and to `contracts/published/`). */
export function schemaPathOf(type: string): string {
  const { context, event, major } = parseEventType(type);
  return `${context}.${event}/v${major}.schema.json`;
}

/**
 * Event-type context → the bounded context (service) that owns it. `title.*` and `consent.*`
 * are facts of the trajectory context, so they share its topic: one topic per bounded context
 * keeps each trajectory's events in one ordered partition. Keep in step with
 * libs/messaging/src/topics/topics.ts (CONTEXT_OF_PREFIX).
 */
export const BOUNDED_CONTEXT_OF = {
  trajectory: 'trajectory',
  title: 'trajectory',
  consent: 'trajectory',
  // The organisation registry is kept in services/trajectory (docs/adr/0019).
  organisation: 'trajectory',
  placement: 'placement',
  intake: 'placement',
  client: 'placement',
  agreement: 'agreements',
  notification: 'agreements',
  violation: 'agreements',
  incident: 'agreements',
  review: 'reviews',
  'risk-assessment': 'reviews',
  plan: 'reviews',
  meeting: 'reviews',
  care: 'reviews',
  handover: 'handover',
  // The partner gateway's own events (retractions, delivery facts); partners never read this topic.
  partner: 'gateway',
} as const satisfies Record<string, string>;

/**
 * Event types published by a context other than the owner of their prefix: `title.end-approaching`
 * is a fact about the title, but the plan-reviews service derives and emits it (issue 12).
 */
export const TOPIC_OWNER_OVERRIDES = {
  'title.end-approaching': 'reviews',
} as const satisfies Record<string, BoundedContext>;

export type BoundedContext = (typeof BOUNDED_CONTEXT_OF)[keyof typeof BOUNDED_CONTEXT_OF];

/** Internal topic of a bounded context: `ketenlink.<context>.v1`. */
export function contextTopic(context: BoundedContext): string {
  return `ketenlink.${context}.v1`;
}

/** The internal topic an event type is published on, e.g. `ketenlink.trajectory.v1`. */
export function topicOf(type: string): string {
  const { context, event } = parseEventType(type);
  const override = (TOPIC_OWNER_OVERRIDES as Record<string, BoundedContext | undefined>)[
    `${context}.${event}`
  ];
  if (override) return contextTopic(override);
  const owner = (BOUNDED_CONTEXT_OF as Record<string, BoundedContext | undefined>)[context];
  if (!owner) throw new Error(`no bounded context owns event type '${type}'`);
  return contextTopic(owner);
}

/** `nl.ketenlink.title.registered.v1` → `TitleRegisteredV1` (the generated interface name). */
export function interfaceNameOf(type: string): string {
  const { context, event, major } = parseEventType(type);
  const pascal = (s: string): string =>
    s
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('');
  return `${pascal(context)}${pascal(event)}V${major}`;
}
