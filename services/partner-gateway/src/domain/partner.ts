/** Who a partner registration delivers to (R-CONSENT). */
export type PartnerAudience = 'organisation' | 'relatives';

export type ChannelKind = 'topic' | 'webhook';

/** One way a partner receives its deliveries. */
export interface PartnerChannel {
  readonly id: string;
  readonly kind: ChannelKind;
  /** Webhooks: the HTTPS endpoint. */
  readonly url?: string;
  /** Event types this channel carries; empty = every type the partner receives. */
  readonly eventTypes: readonly string[];
}

/**
 * A registered partner system: an organisation of the registry (or a relatives' channel of one
 * trajectory), the event types it subscribed to, whether it opted in to full payloads, and its
 * channels. What it actually receives is decided per event by the consent policy (fan-out.ts).
 */
export interface PartnerProfile {
  /** Registry id of the organisation; for a relatives' channel the id of the channel's holder. */
  readonly organisationId: string;
  readonly audience: PartnerAudience;
  /** A relatives' channel serves the relatives of exactly one client. */
  readonly trajectoryId?: string;
  readonly fullPayloads: boolean;
  readonly subscriptions: ReadonlySet<string>;
  readonly channels: readonly PartnerChannel[];
}

/** A webhook endpoint must be HTTPS; plain HTTP only to the loopback when allowed (local, tests). */
export function webhookUrlProblem(url: string, allowLoopbackHttp: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url is not a valid URL';
  }
  if (parsed.username || parsed.password) return 'url must not carry credentials';
  if (parsed.protocol === 'https:') return undefined;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'http:' && loopback && allowLoopbackHttp) return undefined;
  return 'url must use https';
}
