/**
 * Demo seed of the handover service (services/handover, docs/handover.md): the demo trajectory's
 * provider (fz-de-brug) hands the client over to an ambulant team. The client consents that the
 * team receives plan and conditions (not risk); the provider asks, writes its closing report,
 * the team accepts and reads the consent-filtered package. Idempotent: an open handover of the
 * trajectory is reused.
 */
import { mintDevToken, type Role } from '@ketenlink/auth';

const TRAJECTORY_URL = `http://127.0.0.1:${process.env.TRAJECTORY_PORT ?? 3001}`;
const HANDOVER_URL = `http://127.0.0.1:${process.env.HANDOVER_PORT ?? 3006}`;
const SENDER = 'fz-de-brug';
const RECEIVER = 'fz-ambulant-oost';

const token = (org: string, roles: Role[]) =>
  mintDevToken({ sub: `demo-${org}`, org, roles, ttlSeconds: 8 * 3600 });

async function call(url: string, auth: string, method = 'GET', body?: object) {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function seedHandover(trajectoryId: string): Promise<void> {
  const admin = await token('ketenlink', ['registry-admin']);
  const registered = await call(`${TRAJECTORY_URL}/organisations`, admin, 'POST', {
    id: RECEIVER,
    kind: 'care-provider',
    name: 'Ambulant team Oost',
    identifiers: {},
    activeFrom: '2025-01-01',
  });
  if (registered.status !== 201 && registered.status !== 409) {
    throw new Error(`registering ${RECEIVER}: ${registered.status}`);
  }
  const sender = await token(SENDER, ['coordinator']);
  const receiver = await token(RECEIVER, ['coordinator']);
  const list = await call(`${HANDOVER_URL}/handovers`, sender);
  const existing = (list.body as unknown as { id: string; trajectoryId: string }[]).find?.(
    (h) => h.trajectoryId === trajectoryId,
  );
  let id = existing?.id;
  if (!id) {
    const client = await mintDevToken({
      sub: 'demo-client',
      kind: 'client',
      trajectory: trajectoryId,
    });
    await call(`${TRAJECTORY_URL}/me/trajectory/consents`, client, 'POST', {
      recipient: { kind: 'organisation', id: RECEIVER },
      categories: ['plan-and-goals', 'title-and-conditions'],
      purpose: 'Warm handover to ambulant support',
      legalBasis: 'consent',
      onWordOf: 'client',
    });
    // The handover service learns of the trajectory and the registry from Kafka: a few tries.
    for (let attempt = 0; attempt < 30 && !id; attempt++) {
      const res = await call(`${HANDOVER_URL}/handovers`, sender, 'POST', {
        trajectoryId,
        kind: 'housing-to-ambulant',
        receivingOrganisationId: RECEIVER,
        reason: 'Ready to live on his own with ambulant support',
        plannedDate: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10),
      });
      if (res.status === 201) id = res.body.id as string;
      else await new Promise((r) => setTimeout(r, 1000));
    }
    if (!id) throw new Error('the handover service did not learn of the demo trajectory');
    await call(`${HANDOVER_URL}/handovers/${id}/closing-report`, sender, 'POST', {
      risks: 'Relapse when evenings are unstructured',
      whatWorks: 'A fixed day rhythm and weekly contact',
      whyEnded: 'Sheltered housing is no longer needed',
    });
    await call(`${HANDOVER_URL}/handovers/${id}/accept`, receiver, 'POST');
    console.log(`requested and accepted demo handover ${id}`);
  }
  console.log(`
Handover service   ${HANDOVER_URL}  (OpenAPI ${HANDOVER_URL}/openapi.json)
  The receiving team's package (plan and conditions; risk left out, no consent):
  curl -s ${HANDOVER_URL}/handovers/${id}/package -H "authorization: Bearer ${receiver}"
  The sender's view, with what the receiver's package lacks and why:
  curl -s ${HANDOVER_URL}/handovers/${id} -H "authorization: Bearer ${sender}"`);
}
