import type { CloudEvent } from '@ketenlink/messaging';
import type { TrajectoryFacts } from '@ketenlink/disclosure';
import type { PartnerProfile } from '../domain/partner';
import { copyDecisionAt, partnerCopy } from './fan-out.service';

/** A CloudEvent in the JSON event format (structured mode): the webhook body. */
export function structuredMode(e: CloudEvent): Record<string, unknown> {
  const { extensions, ...attributes } = e;
  return { ...attributes, ...(extensions ?? {}) };
}

/**
 * The delivery key of a partner copy (ADR 0040), the same on every channel: the event id, and
 * for a replay copy the event id and the replay id (`<event id>:<replay id>`). On a webhook it
 * is the `webhook-id`; on a topic the pair `ce_id` + `ce_replayid`. Redelivery of one copy (a
 * retry, a relay resend) keeps it; a replay has a new one and supersedes the earlier copy of
 * the event.
 */
export function deliveryKey(eventId: string, replayId?: string | null): string {
  return replayId ? `${eventId}:${replayId}` : eventId;
}

/** What one webhook attempt sends, decided at that attempt; or why nothing is sent. */
export type WebhookCopy =
  | {
      readonly send: true;
      readonly body: Record<string, unknown>;
      readonly categories: readonly string[];
      readonly legalBasis: string;
      readonly consentRefs: readonly string[];
      readonly legalBases: Readonly<Record<string, string>>;
    }
  | { readonly send: false; readonly reason: string };

/**
 * The copy of `event` for one webhook channel of `partner`, decided through the disclosure gate
 * with the facts (participations, consent records) and the partner's registration as they
 * stand at `at` (ADR 0039): the same decision as the fan-out's (domain/fan-out.ts), taken again
 * at every attempt, so a consent withdrawn while a delivery waited sends fewer fields, or none.
 */
export function webhookCopyAt(
  event: CloudEvent,
  partner: PartnerProfile | undefined,
  channelId: string,
  facts: TrajectoryFacts | undefined,
  at: Date,
  replayId?: string,
): WebhookCopy {
  const decided = copyDecisionAt(
    event,
    partner,
    (c) => c.id === channelId,
    facts,
    at,
    'at send time',
  );
  if (!decided.send) return decided;
  const d = decided.delivery;
  return {
    send: true,
    body: structuredMode(partnerCopy(event, d, replayId)),
    categories: d.categories,
    legalBasis: d.legalBasis,
    consentRefs: d.consentRefs,
    legalBases: d.bases,
  };
}
