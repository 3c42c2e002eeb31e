import { randomBytes } from 'node:crypto';
import { mintDevToken } from '@ketenlink/auth';
import { databaseUrlFor } from '@ketenlink/persistence';
import { waitFor } from '@ketenlink/testing';
import { Client } from 'pg';
import {
  migrateService,
  startService,
  stopService,
  type RunningService,
  registerOrganisations,
} from '../support/platform';
import { fetchTrace, type ZipkinSpan } from '../support/zipkin';

/**
 * The walking skeleton, every service its own process: a coordinator opens a trajectory over
 * authenticated HTTP; trajectory stores it and emits trajectory.opened through its outbox;
 * placement-intake consumes it into its own projection; Zipkin holds ONE connected trace from
 * the HTTP request through the outbox and Kafka to the consumer's database write.
 */
describe('walking skeleton: open a trajectory, consumed by another service, one trace', () => {
  let trajectory: RunningService | undefined;
  let intake: RunningService | undefined;
  const intakeDb = new Client({
    connectionString: databaseUrlFor('placement-intake', { test: true }),
  });

  beforeAll(async () => {
    migrateService('trajectory');
    migrateService('placement-intake');
    [trajectory, intake] = await Promise.all([
      startService('trajectory', 13001),
      startService('placement-intake', 13002),
    ]);
    await registerOrganisations(trajectory!, [{ id: 'org-zvh-e2e', kind: 'zvh' }]);
    await intakeDb.connect();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stopService(trajectory), stopService(intake)]);
    await intakeDb.end();
  });

  it('opens, projects and traces', async () => {
    const token = await mintDevToken({
      sub: 'e2e-coordinator',
      org: 'org-zvh-e2e',
      roles: ['zvh-coordinator'],
    });
    const traceId = randomBytes(16).toString('hex');
    const res = await fetch(`${trajectory!.url}/trajectories`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        // We pick the trace id, so we can find the trace in Zipkin afterwards.
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({ region: 'Haaglanden' }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };

    const row = await waitFor(
      async () =>
        (await intakeDb.query('SELECT * FROM facts_trajectories WHERE trajectory_id = $1', [id]))
          .rows[0],
      { what: 'placement-intake to project the trajectory' },
    );
    expect(row).toMatchObject({ opened_by_org: 'org-zvh-e2e', region: 'Haaglanden' });

    const find = (spans: ZipkinSpan[], svc: string, kind: string, prefix: string) =>
      spans.find(
        (s) => s.localEndpoint.serviceName === svc && s.kind === kind && s.name.startsWith(prefix),
      );
    // Each service exports in batches: wait until both have delivered their part.
    const spans = await waitFor(
      async () => {
        const t = await fetchTrace(traceId);
        const complete =
          find(t, 'trajectory', 'SERVER', 'post') &&
          find(t, 'trajectory', 'PRODUCER', 'publish') &&
          find(t, 'placement-intake', 'CONSUMER', 'consume') &&
          find(t, 'placement-intake', 'CLIENT', 'pg.query:insert');
        return complete ? t : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the whole trace in Zipkin' },
    );
    const byId = new Map(spans.map((s) => [s.id, s]));
    const server = find(spans, 'trajectory', 'SERVER', 'post');
    const publish = find(
      spans,
      'trajectory',
      'PRODUCER',
      'publish nl.ketenlink.trajectory.opened.v1',
    );
    const consume = find(
      spans,
      'placement-intake',
      'CONSUMER',
      'consume nl.ketenlink.trajectory.opened.v1',
    );
    expect(server && publish && consume).toBeTruthy();
    expect(consume!.parentId).toBe(publish!.id);
    // Walk up from the consumer: the chain must reach the HTTP server span without a gap.
    const chain: string[] = [];
    for (let s = consume; s; s = s.parentId ? byId.get(s.parentId) : undefined) chain.push(s.name);
    expect(chain).toContain(server!.name);
    // Everything in the trace hangs together: one root (the caller's remote parent is outside).
    const roots = spans.filter((s) => !s.parentId || !byId.has(s.parentId));
    expect(roots).toHaveLength(1);
  });
});
