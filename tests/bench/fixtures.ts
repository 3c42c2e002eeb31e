import { randomUUID } from 'node:crypto';
import { schemaUriOf, validatePayload } from '@ketenlink/contracts';
import { buildCloudEvent, type CloudEvent } from '@ketenlink/messaging';

export const BENCH_EVENT_TYPE = 'nl.ketenlink.trajectory.opened.v1';
export const BENCH_SOURCE = 'ketenlink-bench';
export const BENCH_AGGREGATE = 'bench';
/** CloudEvents extension carrying the send time (ns, process.hrtime) → Kafka header ce_benchsentns. */
export const SENT_AT_EXTENSION = 'benchsentns';
export const SENT_AT_HEADER = `ce_${SENT_AT_EXTENSION}`;

export function benchKeys(n: number): string[] {
  return Array.from({ length: n }, () => randomUUID());
}

// Longest values the schema allows, so the payload comes close to the ~400 bytes asked for while
// staying valid: `additionalProperties: false` leaves no room to pad any further.
const ORGANISATION = `org-bench-${'x'.repeat(91)}`;
const REGION = `Regio Benchmark ${'r'.repeat(84)}`;

/** A schema-valid trajectory.opened v1 payload (contracts/events/trajectory.opened/v1.schema.json). */
export function openedPayload(trajectoryId: string): Record<string, unknown> {
  return {
    trajectoryId,
    openedAt: new Date().toISOString(),
    openedBy: { organisationId: ORGANISATION, role: 'coordinator' },
    region: REGION,
  };
}

/** A trajectory.opened CloudEvent keyed by `key`, optionally stamped with its send time. */
export function benchEvent(key: string, sentAtNs?: bigint): CloudEvent {
  const event = buildCloudEvent({
    type: BENCH_EVENT_TYPE,
    source: BENCH_SOURCE,
    subject: key,
    dataschema: schemaUriOf(BENCH_EVENT_TYPE),
    data: openedPayload(key),
  });
  return sentAtNs === undefined
    ? event
    : { ...event, extensions: { [SENT_AT_EXTENSION]: String(sentAtNs) } };
}

/** `n` events round-robin over `keys`. */
export function benchEvents(n: number, keys: readonly string[]): CloudEvent[] {
  return Array.from({ length: n }, (_, i) => benchEvent(keys[i % keys.length]!));
}

/** Fails fast when the fixture no longer matches its contract (every event would dead-letter). */
export function assertFixtureValid(): { payloadBytes: number } {
  const sample = openedPayload(randomUUID());
  const result = validatePayload(BENCH_EVENT_TYPE, sample);
  if (!result.ok) throw new Error(`bench payload breaks its contract: ${result.errors.join('; ')}`);
  return { payloadBytes: Buffer.byteLength(JSON.stringify(sample)) };
}
