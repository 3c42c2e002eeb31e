import { mintDevToken, type Role } from '@ketenlink/auth';
import { addDays, calendarDate } from '@ketenlink/dates';

/**
 * Demo seed of the agreements service (called by scripts/seed-demo.ts): on the demo trajectory,
 * the probation officer drafts the three-party agreement (conditions from the title), the client
 * signs in his own view, the officer and the support worker sign, it comes into force, and the
 * support worker sends a notification of progress. Idempotent: skipped when the trajectory has
 * an agreement already. Prints the commands to look at it as each party.
 */
const AGREEMENTS_URL = `http://127.0.0.1:${process.env.AGREEMENTS_PORT ?? 3003}`;
const PROBATION = 'reclassering-rotterdam';
const PROVIDER = 'fz-de-brug';

type Answer = { status: number; body: Record<string, unknown> };
const as = (claims: { org?: string; roles?: Role[]; kind?: 'client'; trajectory?: string }) => {
  const token = mintDevToken({
    sub: `demo-${claims.org ?? 'client'}`,
    ttlSeconds: 8 * 3600,
    ...claims,
  });
  const call = async (method: string, path: string, body?: object): Promise<Answer> => {
    const res = await fetch(`${AGREEMENTS_URL}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: res.status,
      body: (await res.json().catch(() => ({}))) as Record<string, unknown>,
    };
  };
  return Object.assign(call, { token });
};

function must(a: Answer, what: string): Answer {
  if (a.status >= 300)
    throw new Error(`seeding agreements (${what}) failed: ${a.status} ${JSON.stringify(a.body)}`);
  return a;
}

export async function seedAgreements(trajectoryId: string): Promise<void> {
  const officer = as({ org: PROBATION, roles: ['probation-officer'] });
  const worker = as({ org: PROVIDER, roles: ['support-worker'] });
  const client = as({ kind: 'client', trajectory: trajectoryId });
  const existing = await officer('GET', `/trajectories/${trajectoryId}/agreements`);
  if (existing.status === 200 && Array.isArray(existing.body) && existing.body.length > 0) {
    console.log('demo agreement already there');
  } else {
    const today = calendarDate(new Date());
    const body = {
      parties: { probationOrganisationId: PROBATION, providerOrganisationId: PROVIDER },
      terms: {
        notificationTriggers: [],
        contactFrequencies: [
          { between: 'client-officer', every: { count: 1, unit: 'week' } },
          { between: 'support-worker-officer', every: { count: 2, unit: 'week' } },
        ],
        driegesprek: {
          firstOn: addDays(today, 7),
          every: { count: 3, unit: 'month' },
          nextReviewOn: addDays(today, 98),
        },
        clientGoals: ['Keep my room at De Brug', 'Find daytime work'],
        probationGoals: ['Keep to the reporting duty'],
        lifeAreaOwners: [
          { lifeArea: 'work-and-daytime', owner: 'client' },
          { lifeArea: 'justice', owner: 'probation' },
        ],
        firstPointOfContact: {
          party: 'provider',
          organisationId: PROVIDER,
          role: 'support-worker',
        },
        houseRules: ['No visitors after 22:00'],
      },
    };
    // The agreements service learns the trajectory from Kafka: give it a moment after opening.
    let drafted: Answer | undefined;
    for (let i = 0; i < 120 && !drafted; i++) {
      const res = await officer('POST', `/trajectories/${trajectoryId}/agreements`, body);
      if (res.status === 201) drafted = res;
      else if ([403, 404, 422].includes(res.status)) await new Promise((r) => setTimeout(r, 500));
      else must(res, 'draft');
    }
    if (!drafted)
      throw new Error('seeding agreements: the service did not learn the demo trajectory in 60 s');
    const id = drafted.body.agreementId as string;
    must(await client('POST', '/me/agreement/signature', { version: 1 }), 'client signs');
    must(await officer('POST', `/agreements/${id}/signatures`, { version: 1 }), 'officer signs');
    must(
      await worker('POST', `/agreements/${id}/signatures`, { version: 1 }),
      'support worker signs',
    );
    must(await officer('POST', `/agreements/${id}/activation`, {}), 'activate');
    must(
      await worker('POST', `/agreements/${id}/notifications`, {
        kind: 'progress',
        urgency: 'routine',
        cause: 'Kept every appointment this month',
        clientInformed: true,
      }),
      'progress notification',
    );
    console.log(`demo agreement ${id} signed by the three parties and in force`);
  }
  console.log(`
Agreements (${AGREEMENTS_URL}, OpenAPI ${AGREEMENTS_URL}/openapi.json):
  export OFFICER=${await officer.token} WORKER=${await worker.token} CLIENT_A=${await client.token}
  curl -s ${AGREEMENTS_URL}/trajectories/${trajectoryId}/agreements -H "authorization: Bearer $OFFICER"
  curl -s ${AGREEMENTS_URL}/trajectories/${trajectoryId}/notifications -H "authorization: Bearer $OFFICER"
  curl -s ${AGREEMENTS_URL}/me/agreement -H "authorization: Bearer $CLIENT_A"   # plain language
`);
}
