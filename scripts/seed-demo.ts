/**
 * Seeds the local demo (run by deploy/local/up.sh): one trajectory opened by a ZVH coordinator
 * with a (fictitious) client identity, a provider and a probation office taking part, a legal
 * title and a covenant record; tokens for each demo organisation are printed with the
 * commands to try next, e.g. the same timeline seen by each of them.
 * Idempotent: a seeded trajectory that still exists is reused.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mintDevToken, type Role } from '@ketenlink/auth';
import { seedAgreements } from './seed/agreements';

const ROOT = path.resolve(__dirname, '..');
const MARKER = path.join(
  process.env.KETENLINK_DATA ?? path.join(ROOT, '.data'),
  'run',
  'demo-trajectory',
);
const TRAJECTORY_URL = `http://127.0.0.1:${process.env.TRAJECTORY_PORT ?? 3001}`;
const ZIPKIN = process.env.ZIPKIN_URL ?? 'http://127.0.0.1:9411';

/** The chain organisations of the demo, entered in the registry by its administrator. */
const ORGANISATIONS = [
  { id: 'org-zvh-rotterdam', kind: 'zvh', name: 'Zorg- en Veiligheidshuis Rotterdam-Rijnmond' },
  {
    id: 'fz-de-brug',
    kind: 'care-provider',
    name: 'Forensische zorg De Brug',
    identifiers: { ura: '12345678' },
  },
  {
    id: 'reclassering-rotterdam',
    kind: 'probation-service',
    name: 'Reclassering Rotterdam',
    identifiers: { oin: '00000001003214345000' },
  },
  { id: 'ketenlink-ops', kind: 'platform', name: 'Ketenlink operations' },
  { id: 'ketenlink-audit', kind: 'platform', name: 'Ketenlink audit' },
];

async function main(): Promise<void> {
  // The registry administrator acts for the platform organisation the migration registers.
  const admin = await mintDevToken({
    sub: 'demo-registry-admin',
    org: 'ketenlink',
    roles: ['registry-admin'],
    ttlSeconds: 3600,
  });
  for (const org of ORGANISATIONS) {
    const res = await fetch(`${TRAJECTORY_URL}/organisations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ identifiers: {}, activeFrom: '2025-01-01', ...org }),
    });
    if (res.status !== 201 && res.status !== 409) {
      throw new Error(`registering ${org.id} failed: ${res.status} ${await res.text()}`);
    }
  }
  const coordinator = await mintDevToken({
    sub: 'demo-coordinator',
    org: 'org-zvh-rotterdam',
    roles: ['zvh-coordinator'],
    ttlSeconds: 8 * 3600,
  });
  const auth = { authorization: `Bearer ${coordinator}` };

  let id = existsSync(MARKER) ? readFileSync(MARKER, 'utf8').trim() : '';
  if (id) {
    const res = await fetch(`${TRAJECTORY_URL}/trajectories/${id}`, { headers: auth });
    if (res.status !== 200) id = '';
  }
  const post = async (path: string, body: object): Promise<{ id?: string }> => {
    const res = await fetch(`${TRAJECTORY_URL}${path}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300)
      throw new Error(`seeding ${path} failed: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id?: string };
  };
  if (!id) {
    id = (
      await post('/trajectories', {
        region: 'Rotterdam-Rijnmond',
        // A fictitious person; 111222333 is a well-known test number that passes the elfproef.
        client: { bsn: '111222333', name: 'Demo Client', dateOfBirth: '1990-01-01' },
      })
    ).id!;
    const today = new Date().toISOString().slice(0, 10);
    const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    await post(`/trajectories/${id}/participants`, {
      organisationId: 'fz-de-brug',
      role: 'provider',
      from: today,
    });
    await post(`/trajectories/${id}/participants`, {
      organisationId: 'reclassering-rotterdam',
      role: 'probation',
      from: today,
    });
    await post(`/trajectories/${id}/titles`, {
      kind: 'special-conditions-suspended-sentence',
      startDate: today,
      expectedEndDate: inAYear,
      conditions: [{ type: 'reporting-duty', description: 'Reports to probation every week' }],
    });
    // The ZVH holds the identity (it put it in the vault): on the client's word it lets the
    // provider have it for the intake. A recipient never records its own record.
    await post(`/trajectories/${id}/consents`, {
      recipient: { kind: 'organisation', id: 'fz-de-brug' },
      categories: ['identity'],
      purpose: 'Intake at the provider',
      legalBasis: 'consent',
      onWordOf: 'client',
      evidenceReference: 'demo: signed consent form 1',
    });
    mkdirSync(path.dirname(MARKER), { recursive: true });
    writeFileSync(MARKER, id);
    console.log(`opened demo trajectory ${id}`);
  } else {
    console.log(`demo trajectory ${id} already there`);
  }

  await seedAgreements(id);

  const token = (org: string, role: Role) =>
    mintDevToken({ sub: `demo-${role}`, org, roles: [role], ttlSeconds: 8 * 3600 });
  const others = {
    PROVIDER: await token('fz-de-brug', 'placement-officer'),
    PROBATION: await token('reclassering-rotterdam', 'probation-officer'),
    OPERATOR: await token('ketenlink-ops', 'operator'),
    AUDITOR: await token('ketenlink-audit', 'auditor'),
  };
  // The client and a relative read their own views (bound to this trajectory, no roles).
  const person = (kind: 'client' | 'relative') =>
    mintDevToken({ sub: `demo-${kind}`, kind, trajectory: id, ttlSeconds: 8 * 3600 });
  const CLIENT = await person('client');
  const RELATIVE = await person('relative');
  const view = async (t: string) =>
    (
      await fetch(`${TRAJECTORY_URL}/me/trajectory`, { headers: { authorization: `Bearer ${t}` } })
    ).json();
  console.log('the client reads his own view:', JSON.stringify(await view(CLIENT), null, 2));
  console.log(
    'a relative reads hers (general information only):',
    JSON.stringify(await view(RELATIVE), null, 2),
  );

  console.log(`
Ketenlink is up.
  trajectory service   ${TRAJECTORY_URL}  (OpenAPI ${TRAJECTORY_URL}/openapi.json)
  traces               ${ZIPKIN}/zipkin/?serviceName=trajectory

Try it (a token for a ZVH coordinator of org-zvh-rotterdam, valid 8 h):
  export TOKEN=${coordinator}
  curl -s -X POST ${TRAJECTORY_URL}/trajectories -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"region":"Utrecht"}'
  curl -s ${TRAJECTORY_URL}/trajectories/${id} -H "authorization: Bearer $TOKEN"

The same timeline as each party may see it (consent policy, field by field):
${Object.entries(others)
  .map(([k, v]) => `  export ${k}=${v}`)
  .join('\n')}
  for T in "$TOKEN" "$PROVIDER" "$PROBATION" "$OPERATOR"; do
    curl -s ${TRAJECTORY_URL}/trajectories/${id}/timeline -H "authorization: Bearer $T"; echo; done
  curl -s ${TRAJECTORY_URL}/trajectories/${id}/identity -H "authorization: Bearer $PROVIDER"   # logged

The client and a relative, each in their own view (plain language):
  export CLIENT=${CLIENT}
  export RELATIVE=${RELATIVE}
  curl -s ${TRAJECTORY_URL}/me/trajectory -H "authorization: Bearer $CLIENT"
  curl -s ${TRAJECTORY_URL}/me/trajectory -H "authorization: Bearer $RELATIVE"
  # the client lets his relatives see his plan, and withdraws it again (…/consents/<id>/revoke):
  curl -s -X POST ${TRAJECTORY_URL}/me/trajectory/consents -H "authorization: Bearer $CLIENT" -H 'content-type: application/json' \\
    -d '{"recipient":{"kind":"class","id":"relatives"},"categories":["plan-and-goals"],"purpose":"family","legalBasis":"consent","onWordOf":"client"}'
  curl -s "${TRAJECTORY_URL}/access-log?trajectoryId=${id}" -H "authorization: Bearer $AUDITOR"
Other tokens: npm run -s token -- --org <org> --roles <role[,role]> --sub <user>
              npm run -s token -- --kind client|relative --trajectory ${id} --sub <person>
`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
