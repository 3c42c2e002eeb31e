/**
 * Demo seed of the partner gateway (called from scripts/seed-demo.ts): the demo's probation
 * office gets its own Kafka topic (with SCRAM credentials that read only that topic) and the
 * provider a webhook, both subscribed to the trajectory's title and placement events; the
 * probation office also receives the notifications that are mandatory for its role.
 * The demo's events predate the partners, so it ends with a replay on their behalf (re-decided
 * with today's consent). Idempotent: an existing registration is kept (409), credentials are
 * issued again.
 */
import { mintDevToken } from '@ketenlink/auth';

const GATEWAY_URL = `http://127.0.0.1:${process.env.PARTNER_GATEWAY_PORT ?? 3005}`;

const TYPES = [
  'nl.ketenlink.title.registered.v1',
  'nl.ketenlink.title.changed.v1',
  'nl.ketenlink.title.ended.v1',
  'nl.ketenlink.placement.accepted.v1',
  'nl.ketenlink.client.placed.v1',
];

export async function seedPartnerGateway(opts: {
  probationOrg: string;
  providerOrg: string;
  /** Where the provider's demo webhook would go (nothing needs to listen). */
  webhookUrl?: string;
}): Promise<string> {
  const operator = await mintDevToken({
    sub: 'demo-operator',
    org: 'ketenlink-ops',
    roles: ['operator'],
    ttlSeconds: 3600,
  });
  const call = async (method: string, path: string, body: unknown): Promise<unknown> => {
    const res = await fetch(`${GATEWAY_URL}${path}`, {
      method,
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status === 409) return undefined;
    if (!res.ok)
      throw new Error(`partner-gateway ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };
  for (const org of [opts.probationOrg, opts.providerOrg]) {
    // The gateway learns the registry from events: wait until it knows the organisation.
    for (let i = 0; ; i++) {
      try {
        await call('POST', '/partners', { organisationId: org });
        break;
      } catch (err) {
        if (i >= 30 || !String(err).includes('organisation-not-registered')) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    await call('PUT', `/partners/${org}/subscriptions`, { eventTypes: TYPES });
  }
  const topic =
    ((await call('POST', `/partners/${opts.probationOrg}/channels/topic`, {})) as
      Record<string, string> | undefined) ??
    ((await call(
      'POST',
      `/partners/${opts.probationOrg}/channels/topic/credentials`,
      {},
    )) as Record<string, string>);
  const hook = (await call('POST', `/partners/${opts.providerOrg}/channels/webhooks`, {
    url: opts.webhookUrl ?? 'http://127.0.0.1:8088/ketenlink',
    eventTypes: [],
  })) as { secret: string } | undefined;
  // The demo's events were published before the partners existed: a replay on their behalf
  // (re-decided with today's consent) gives both channels something to show.
  const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  const queued: string[] = [];
  for (const org of [opts.probationOrg, opts.providerOrg]) {
    const r = (await call('POST', `/partners/${org}/replays`, { fromTime: since })) as
      { queued: number } | undefined;
    queued.push(`${org} ${r?.queued ?? 0}`);
  }
  return `
Partner gateway ${GATEWAY_URL} (AsyncAPI ${GATEWAY_URL}/partner/asyncapi.yaml)
  copies queued by a replay of the demo's events: ${queued.join(', ')}
  ${opts.probationOrg} reads its own topic ${topic.topic}
    on ${topic.bootstrapServers} (SASL_PLAINTEXT, SCRAM-SHA-512) as ${topic.username} / ${topic.password}, group ${topic.group}
  ${opts.providerOrg} gets webhooks${hook ? ` signed with ${hook.secret}` : ''}: try the reference subscriber
    SECRET=<secret> PORT=8088 node -r @swc-node/register docs/examples/reference-subscriber.ts
  delivery status (operator):  curl -s ${GATEWAY_URL}/partners/status -H "authorization: Bearer $OPERATOR"
  disclosure audit (auditor):  curl -s ${GATEWAY_URL}/disclosure-audit -H "authorization: Bearer $AUDITOR"
`;
}
