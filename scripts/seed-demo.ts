/**
 * Seeds the local demo (run by deploy/local/up.sh): one trajectory opened by a ZVH coordinator,
 * and tokens for the demo organisations, printed with the commands to try next.
 * Idempotent: a seeded trajectory that still exists is reused.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mintDevToken } from '@ketenlink/auth';

const ROOT = path.resolve(__dirname, '..');
const MARKER = path.join(
  process.env.KETENLINK_DATA ?? path.join(ROOT, '.data'),
  'run',
  'demo-trajectory',
);
const TRAJECTORY_URL = `http://127.0.0.1:${process.env.TRAJECTORY_PORT ?? 3001}`;
const ZIPKIN = process.env.ZIPKIN_URL ?? 'http://127.0.0.1:9411';

async function main(): Promise<void> {
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
  if (!id) {
    const res = await fetch(`${TRAJECTORY_URL}/trajectories`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ region: 'Rotterdam-Rijnmond' }),
    });
    if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    id = ((await res.json()) as { id: string }).id;
    mkdirSync(path.dirname(MARKER), { recursive: true });
    writeFileSync(MARKER, id);
    console.log(`opened demo trajectory ${id}`);
  } else {
    console.log(`demo trajectory ${id} already there`);
  }

  console.log(`
Ketenlink is up.
  trajectory service   ${TRAJECTORY_URL}  (OpenAPI ${TRAJECTORY_URL}/openapi.json)
  traces               ${ZIPKIN}/zipkin/?serviceName=trajectory

Try it (a token for a ZVH coordinator of org-zvh-rotterdam, valid 8 h):
  export TOKEN=${coordinator}
  curl -s -X POST ${TRAJECTORY_URL}/trajectories -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"region":"Utrecht"}'
  curl -s ${TRAJECTORY_URL}/trajectories/${id} -H "authorization: Bearer $TOKEN"
Other tokens: npm run -s token -- --org <org> --roles <role[,role]> --sub <user>
`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
