// The reference subscriber is documentation partners copy (docs/partner-guide.md), not a
// library: the tests run against that very file.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  type ReferenceSubscriber,
  startReferenceSubscriber,
} from '../../../../docs/examples/reference-subscriber';
import type { GatewayTestApp } from './harness';

export type { ReferenceSubscriber };

/**
 * Registers `org` as a partner with full payloads, subscribed to `types`, with one webhook
 * channel to a reference subscriber (docs/examples/reference-subscriber.ts) that verifies the
 * signatures; returns the receiver (close it after the test).
 */
export async function webhookPartner(
  gw: GatewayTestApp,
  org: string,
  types: string[],
  extra: { audience?: 'relatives'; trajectoryId?: string } = {},
): Promise<ReferenceSubscriber> {
  const op = await gw.as('ketenlink-ops', ['operator']);
  const reg = await op.post('/partners', { organisationId: org, fullPayloads: true, ...extra });
  expect(reg.status).toBe(201);
  expect((await op.put(`/partners/${org}/subscriptions`, { eventTypes: types })).status).toBe(204);
  const receiver = await startReferenceSubscriber({ secrets: [] });
  const ch = await op.post(`/partners/${org}/channels/webhooks`, { url: receiver.url });
  expect(ch.status).toBe(201);
  receiver.setSecrets([(ch.body as { secret: string }).secret]);
  return receiver;
}
