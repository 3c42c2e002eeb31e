import { randomBytes, randomInt } from 'node:crypto';
import { mintDevToken, type Role } from '@ketenlink/auth';
import { waitFor } from '@ketenlink/testing';
import { readAllRecords } from '../support/kafka-scan';
import {
  E2E_TOPIC_PREFIX,
  migrateService,
  startService,
  stopService,
  type RunningService,
  registerOrganisations,
} from '../support/platform';
import { fetchTrace, fetchTraces } from '../support/zipkin';

/** A random BSN that passes the elfproef (so it is stored), unique to this run. */
function randomBsn(): string {
  for (;;) {
    const d = Array.from({ length: 8 }, () => randomInt(10));
    const sum = d.reduce((s, x, i) => s + x * (9 - i), 0);
    const last = sum % 11; // sum − last ≡ 0 (mod 11)
    if (last < 10 && d.some((x) => x !== 0)) return [...d, last].join('');
  }
}

/**
 * Identity (BSN, name) never leaves the trajectory service's vault: a full run through both
 * services — open with identity, correct it, read it back, refused attempts with invalid
 * numbers, participants, title, consent, timeline over Kafka — then a scan of every Kafka
 * record on every Ketenlink topic, every log line both services wrote (at debug level) and
 * every span they reported to Zipkin.
 */
describe('BSN and name never appear in Kafka, logs or traces', () => {
  let trajectory: RunningService | undefined;
  let intake: RunningService | undefined;
  const started = Date.now();
  const bsn = randomBsn();
  const corrected = randomBsn();
  const invalid = `${bsn.slice(0, 8)}${(Number(bsn[8]) + 1) % 10}`; // fails the elfproef
  const name = `Testpersoon ${randomBytes(4).toString('hex')}`;
  const traceId = randomBytes(16).toString('hex');

  beforeAll(async () => {
    process.env.E2E_LOG_LEVEL = 'debug';
    migrateService('trajectory');
    migrateService('placement-intake');
    [trajectory, intake] = await Promise.all([
      startService('trajectory', 13011),
      startService('placement-intake', 13012),
    ]);
    await registerOrganisations(trajectory!, [
      { id: 'zvh-e2e-leak', kind: 'zvh' },
      { id: 'fz-e2e-leak', kind: 'care-provider' },
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stopService(trajectory), stopService(intake)]);
  });

  it('runs the identity paths, then finds no trace of the identity anywhere', async () => {
    const call = async (
      method: string,
      path: string,
      roles: Role[],
      body?: object,
      org = 'zvh-e2e-leak',
    ) => {
      const token = await mintDevToken({ sub: 'e2e-leak', org, roles });
      return fetch(`${trajectory!.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    };
    const zvh: Role[] = ['zvh-coordinator'];
    // Issue 10: only registered organisations are served (the platform org is bootstrapped).
    for (const [orgId, kind] of [
      ['zvh-e2e-leak', 'zvh'],
      ['fz-e2e-leak', 'care-provider'],
    ]) {
      const reg = await call(
        'POST',
        '/organisations',
        ['registry-admin'],
        { id: orgId, kind, name: `E2E ${orgId}`, identifiers: {}, activeFrom: '2025-01-01' },
        'ketenlink',
      );
      expect([201, 409]).toContain(reg.status);
    }
    const opened = await call('POST', '/trajectories', zvh, {
      region: 'Haaglanden',
      client: { bsn, name, dateOfBirth: '1988-08-08' },
    });
    expect(opened.status).toBe(201);
    const { id } = (await opened.json()) as { id: string };
    // Refused attempts: the invalid number must not be echoed or logged either.
    expect(
      (
        await call('POST', '/trajectories', zvh, {
          client: { bsn: invalid, name, dateOfBirth: '1988-08-08' },
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await call('PUT', `/trajectories/${id}/identity`, zvh, {
          bsn: invalid,
          name,
          dateOfBirth: '1988-08-08',
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await call('PUT', `/trajectories/${id}/identity`, zvh, {
          bsn: corrected,
          name,
          dateOfBirth: '1988-08-08',
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await call('POST', `/trajectories/${id}/participants`, zvh, {
          organisationId: 'fz-e2e-leak',
          role: 'provider',
          from: '2026-01-01',
        })
      ).status,
    ).toBe(201);
    // A legitimate recorder: the ZVH holds the identity (it put it in the vault) and records
    // the client's consent for the provider, with evidence (never a recipient for itself).
    expect(
      (
        await call('POST', `/trajectories/${id}/consents`, zvh, {
          recipient: { kind: 'organisation', id: 'fz-e2e-leak' },
          categories: ['identity'],
          purpose: 'Intake',
          legalBasis: 'consent',
          onWordOf: 'client',
          evidenceReference: 'e2e signed form',
        })
      ).status,
    ).toBe(201);
    const read = await call(
      'GET',
      `/trajectories/${id}/identity`,
      ['placement-officer'],
      undefined,
      'fz-e2e-leak',
    );
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ bsn: corrected, name, dateOfBirth: '1988-08-08' });
    expect(
      (
        await call('POST', `/trajectories/${id}/titles`, zvh, {
          kind: 'conditional-release',
          startDate: '2026-01-01',
          expectedEndDate: '2027-01-01',
        })
      ).status,
    ).toBe(201);
    // The events went round through Kafka into the timeline (consumer logs included).
    await waitFor(
      async () => {
        const res = await call('GET', `/trajectories/${id}/timeline`, zvh);
        const body = (await res.json()) as { items: unknown[] };
        return body.items.length >= 4;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the timeline to fill from Kafka' },
    );
    // Traces are flushed when the processes stop.
    await Promise.all([stopService(trajectory), stopService(intake)]);

    const secrets = [bsn, corrected, invalid, name];
    const leaks = (where: string, text: string) =>
      secrets.filter((s) => text.includes(s)).map((s) => `${where}: ${s}`);

    // 1. Kafka: every record (key, headers, value) on every Ketenlink topic of this run.
    const records = await readAllRecords((t) => t.startsWith(`${E2E_TOPIC_PREFIX}ketenlink.`));
    expect(records.some((r) => r.text.includes(id))).toBe(true); // we did read this run's events
    expect(records.flatMap((r) => leaks(`${r.topic}/${r.partition}@${r.offset}`, r.text))).toEqual(
      [],
    );

    // 2. Logs: everything both processes wrote, at debug level.
    const logs = `${trajectory!.output()}\n${intake!.output()}`;
    expect(logs).toMatch(/trajectory listening/); // the logs are there
    expect(leaks('log', logs)).toEqual([]);

    // 3. Traces: every span either service reported to Zipkin during this run.
    await waitFor(async () => (await fetchTrace(traceId)).length > 0, {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: 'this run’s trace in Zipkin',
    });
    const lookback = Date.now() - started + 60_000;
    const spans = [
      ...(await fetchTraces('trajectory', lookback)),
      ...(await fetchTraces('placement-intake', lookback)),
    ].flat();
    expect(spans.length).toBeGreaterThan(10);
    expect(leaks('zipkin', JSON.stringify(spans))).toEqual([]);
  });
});
