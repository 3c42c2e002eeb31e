import type { DataSource } from 'typeorm';
import {
  type Client,
  counts,
  expectProblem,
  startTrajectoryTestApp,
  type TrajectoryTestApp,
} from '../test-support/harness';

/**
 * Participants, titles, consent records, the identity vault and the access log over HTTP on
 * the real (test) database: bad input is refused with problem+json and leaves nothing behind;
 * identity is encrypted at rest and read only with a role and a record; every read is logged.
 */
let t: TrajectoryTestApp;
let ds: DataSource;
let zvh: Client;
let id: string;
const BSN = '111222333';
const NAME = 'Jan de Vries';

beforeAll(async () => {
  t = await startTrajectoryTestApp();
  ds = t.ds;
  zvh = await t.as('zvh-utrecht', ['zvh-coordinator']);
  await t.register('fz-de-brug', 'care-provider');
  const res = await zvh.post('/trajectories', {
    region: 'Utrecht',
    client: { bsn: BSN, name: NAME, dateOfBirth: '1990-04-12' },
  });
  expect(res.status).toBe(201);
  id = res.body.id;
});

afterAll(async () => {
  await t?.close();
});

/** `request` must be refused with `status`/`type` and change no table. */
async function expectRefused(
  send: () => Promise<import('supertest').Response>,
  status: number,
  type: RegExp,
): Promise<import('supertest').Response> {
  const before = await counts(ds);
  const res = await send();
  expectProblem(res, status, type);
  expect(await counts(ds)).toEqual(before);
  return res;
}

describe('bad input: 4xx problem+json, nothing stored, nothing emitted', () => {
  it.each([
    ['a BSN failing the elfproef', { bsn: '123456781', name: 'X', dateOfBirth: '1990-01-01' }],
    ['a BSN of 8 digits', { bsn: '12345672', name: 'X', dateOfBirth: '1990-01-01' }],
    ['a birth date in the future', { bsn: '123456782', name: 'X', dateOfBirth: '2999-01-01' }],
  ])('opening with %s', async (_why, client) => {
    const res = await expectRefused(
      () => zvh.post('/trajectories', { client }),
      client.bsn.length === 9 ? 422 : 400,
      /(invalid-identity|validation-error)$/,
    );
    // The refused value is not echoed back.
    expect(JSON.stringify(res.body)).not.toContain(client.bsn);
  });

  it('a title that ends before it starts', async () => {
    await expectRefused(
      () =>
        zvh.post(`/trajectories/${id}/titles`, {
          kind: 'conditional-release',
          startDate: '2026-06-01',
          expectedEndDate: '2026-05-01',
        }),
      422,
      /invalid-title$/,
    );
  });

  it('a title with an unknown kind or an unknown field', async () => {
    await expectRefused(
      () =>
        zvh.post(`/trajectories/${id}/titles`, {
          kind: 'life',
          startDate: '2026-06-01',
          expectedEndDate: '2027-05-01',
        }),
      400,
      /validation-error$/,
    );
    await expectRefused(
      () =>
        zvh.post(`/trajectories/${id}/titles`, {
          kind: 'other',
          startDate: '2026-06-01',
          expectedEndDate: '2027-05-01',
          bsn: BSN,
        }),
      400,
      /validation-error$/,
    );
  });

  const consent = (patch: object = {}) => ({
    recipient: { kind: 'class', id: 'relatives' },
    // The ZVH holds participation (its role default), so it may record it for relatives.
    categories: ['participation'],
    purpose: 'Family meetings',
    legalBasis: 'consent',
    onWordOf: 'client',
    evidenceReference: 'signed form 2026-001',
    ...patch,
  });

  it('consent for an unknown category', async () => {
    const res = await expectRefused(
      () => zvh.post(`/trajectories/${id}/consents`, consent({ categories: ['diary'] })),
      422,
      /invalid-consent$/,
    );
    expect(res.body.errors).toEqual([{ pointer: '', message: 'unknown category diary' }]);
  });

  it('consent whose end lies before its start', async () => {
    await expectRefused(
      () =>
        zvh.post(
          `/trajectories/${id}/consents`,
          consent({ validFrom: '2026-06-01T00:00:00Z', validUntil: '2026-05-01T00:00:00Z' }),
        ),
      422,
      /invalid-consent$/,
    );
  });

  it('an overlapping contradictory consent record (409), after a valid one was stored', async () => {
    const ok = await zvh.post(`/trajectories/${id}/consents`, consent());
    expect(ok.status).toBe(201);
    await expectRefused(
      () =>
        zvh.post(
          `/trajectories/${id}/consents`,
          consent({
            legalBasis: 'covenant',
            onWordOf: 'covenant',
            evidenceReference: undefined,
            covenant: 'Convenant ZVH Utrecht',
          }),
        ),
      409,
      /consent-overlaps$/,
    );
  });

  it('joining with until before from, or the same organisation and role twice', async () => {
    await expectRefused(
      () =>
        zvh.post(`/trajectories/${id}/participants`, {
          organisationId: 'fz-de-brug',
          role: 'provider',
          from: '2026-06-01',
          until: '2026-05-01',
        }),
      422,
      /invalid-participation$/,
    );
    const joined = await zvh.post(`/trajectories/${id}/participants`, {
      organisationId: 'fz-de-brug',
      role: 'provider',
      from: '2026-01-01',
    });
    expect(joined.status).toBe(201);
    await expectRefused(
      () =>
        zvh.post(`/trajectories/${id}/participants`, {
          organisationId: 'fz-de-brug',
          role: 'provider',
          from: '2026-02-01',
        }),
      409,
      /participation-overlaps$/,
    );
  });

  it('changes by an organisation that does not take part: 404, by a wrong role: 403', async () => {
    const outsider = await t.as('elsewhere', ['coordinator']);
    await expectRefused(
      () =>
        outsider.post(`/trajectories/${id}/titles`, {
          kind: 'other',
          startDate: '2026-06-01',
          expectedEndDate: '2027-05-01',
        }),
      404,
      /trajectory-not-found$/,
    );
    const worker = await t.as('zvh-utrecht', ['support-worker']);
    await expectRefused(
      () => worker.post(`/trajectories/${id}/consents`, consent({ categories: ['medical'] })),
      403,
      /forbidden$/,
    );
  });
});

describe('identity vault', () => {
  it('stores the identity encrypted: neither BSN nor name readable in the database', async () => {
    const rows = (await ds.query(
      `SELECT encode(ciphertext, 'escape') AS c, key_id FROM client_identities WHERE trajectory_id = $1`,
      [id],
    )) as { c: string; key_id: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.c).not.toContain(BSN);
    expect(rows[0]!.c).not.toContain('Vries');
    const [dump] = (await ds.query(
      `SELECT string_agg(t::text, '|') AS all FROM client_identities t`,
    )) as { all: string }[];
    expect(dump!.all).not.toContain(BSN);
  });

  it('is refused without an identity record (403, logged as denied), given with one', async () => {
    // The provider joined above; the ZVH put the identity in the vault, so it holds it and
    // records the client's consent for the provider (never the provider for itself).
    const provider = await t.as('fz-de-brug', ['placement-officer']);
    const denied = await provider.get(`/trajectories/${id}/identity`);
    expectProblem(denied, 403, /category-not-permitted$/);
    expect(JSON.stringify(denied.body)).not.toContain(BSN);

    const record = await zvh.post(`/trajectories/${id}/consents`, {
      recipient: { kind: 'organisation', id: 'fz-de-brug' },
      categories: ['identity'],
      purpose: 'Intake: who the client is',
      legalBasis: 'consent',
      onWordOf: 'client',
      evidenceReference: 'signed form 2026-002',
    });
    expect(record.status).toBe(201);
    const read = await provider.get(`/trajectories/${id}/identity`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ bsn: BSN, name: NAME, dateOfBirth: '1990-04-12' });

    // A role that does not need identities is refused even with the record.
    const worker = await t.as('fz-de-brug', ['support-worker']);
    expect((await worker.get(`/trajectories/${id}/identity`)).status).toBe(403);

    const log = (await ds.query(
      `SELECT outcome, categories, legal_bases FROM access_log
       WHERE trajectory_id = $1 AND resource = 'identity' ORDER BY id`,
      [id],
    )) as { outcome: string; categories: string[]; legal_bases: Record<string, string> }[];
    expect(log.map((l) => l.outcome)).toEqual(['denied', 'disclosed']);
    expect(log[1]).toMatchObject({
      categories: ['identity'],
      legal_bases: { identity: expect.stringMatching(/^consent \(consent-record:consent /) },
    });
  });

  it('a corrected identity replaces the old one; an invalid one changes nothing', async () => {
    const put = await zvh.put(`/trajectories/${id}/identity`, {
      bsn: '123456782',
      name: 'Jan de Vries',
      dateOfBirth: '1990-04-12',
    });
    expect(put.status).toBe(204);
    await expectRefused(
      () =>
        zvh.put(`/trajectories/${id}/identity`, {
          bsn: '123456781',
          name: 'X',
          dateOfBirth: '1990-04-12',
        }),
      422,
      /invalid-identity$/,
    );
    const provider = await t.as('fz-de-brug', ['placement-officer']);
    expect((await provider.get(`/trajectories/${id}/identity`)).body.bsn).toBe('123456782');
  });
});

describe('access log', () => {
  it('records every read of client data with who, what, when and the legal basis', async () => {
    const probation = await t.as('reclassering-midden', ['probation-officer']);
    await zvh.post(`/trajectories/${id}/participants`, {
      organisationId: 'reclassering-midden',
      role: 'probation',
      from: '2026-01-01',
    });
    expect((await probation.get(`/trajectories/${id}/participants`)).status).toBe(200);
    const outsider = await t.as('elsewhere', ['coordinator']);
    expect((await outsider.get(`/trajectories/${id}`)).status).toBe(404);

    const auditor = await t.as('ketenlink-audit', ['auditor']);
    const res = await auditor.get(`/access-log?trajectoryId=${id}&limit=1000`);
    expect(res.status).toBe(200);
    const items = res.body.items as {
      organisationId: string;
      resource: string;
      outcome: string;
      categories: string[];
      legalBases: Record<string, string>;
      at: string;
      subject: string;
    }[];
    expect(items).toContainEqual(
      expect.objectContaining({
        organisationId: 'reclassering-midden',
        subject: 'user-reclassering-midden',
        resource: 'participants',
        outcome: 'disclosed',
        categories: ['participation'],
        legalBases: { participation: 'legal-duty (role-default:probation)' },
      }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({ organisationId: 'elsewhere', outcome: 'denied' }),
    );
    // Nothing client-identifying in the log itself.
    expect(JSON.stringify(res.body)).not.toContain(BSN);
  });

  it('is for auditors only, and append-only in the database', async () => {
    expect((await zvh.get('/access-log')).status).toBe(403);
    await expect(ds.query(`UPDATE access_log SET outcome = 'denied'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(ds.query(`DELETE FROM access_log`)).rejects.toThrow(/append-only/);
    // Issue 10 finding 8: TRUNCATE as well, also with CASCADE through another table.
    await expect(ds.query(`TRUNCATE access_log`)).rejects.toThrow(/append-only \(TRUNCATE/);
    await expect(ds.query(`TRUNCATE access_log, outbox CASCADE`)).rejects.toThrow(/append-only/);
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM access_log`)) as {
      n: number;
    }[];
    expect(n).toBeGreaterThan(0);
  });

  it('refuses bad filters with 400', async () => {
    const auditor = await t.as('ketenlink-audit', ['auditor']);
    expectProblem(await auditor.get('/access-log?trajectoryId=nope'), 400, /validation-error$/);
    expectProblem(await auditor.get('/access-log?limit=0'), 400, /validation-error$/);
  });
});
