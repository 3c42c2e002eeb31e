import type { AccessRecord } from './access-log.port';
import { DisclosureRefusedError, NotVisibleError } from './errors';
import { DisclosureGate, passedTheGate } from './gate';

const at = new Date('2026-12-01T12:00:00Z');
const facts = {
  trajectoryId: 't',
  participations: [{ organisationId: 'fz', role: 'provider' as const, from: new Date(0) }],
  consents: [],
};
const reader = { subject: 'u', organisationId: 'fz', roles: ['placement-officer'] };

function gate() {
  const rows: AccessRecord[] = [];
  return { rows, gate: new DisclosureGate({ record: async (r) => void rows.push(r) }, () => at) };
}

describe('DisclosureGate', () => {
  it('logs who read which categories on which basis (and event ids) before answering', async () => {
    const { rows, gate: g } = gate();
    const body = await g.disclose({ reader, facts, trajectoryId: 't', resource: 'r' }, () => ({
      body: { ok: true },
      categories: ['medical', 'metadata'],
      eventIds: ['e1'],
    }));
    expect(passedTheGate(body)).toBe(true);
    expect(passedTheGate({ ok: true })).toBe(false);
    expect(rows).toEqual([
      expect.objectContaining({
        outcome: 'disclosed',
        subject: 'u',
        organisationId: 'fz',
        categories: ['medical', 'metadata'],
        legalBases: {
          medical: 'legal-duty (role-default:provider)',
          metadata: 'legal-duty (role-default:provider)',
        },
        eventIds: ['e1'],
        at,
      }),
    ]);
  });

  it('not visible: NotVisibleError and a denied row; refused by the projection: a denied row', async () => {
    const { rows, gate: g } = gate();
    await expect(
      g.disclose({ reader, facts: undefined, trajectoryId: 't', resource: 'r' }, () => ({
        body: {},
        categories: [],
      })),
    ).rejects.toBeInstanceOf(NotVisibleError);
    await expect(
      g.disclose({ reader, facts, trajectoryId: 't', resource: 'r' }, () => {
        throw new DisclosureRefusedError('no', 'no');
      }),
    ).rejects.toBeInstanceOf(DisclosureRefusedError);
    expect(rows.map((r) => r.outcome)).toEqual(['denied', 'denied']);
  });

  it('fails closed when a projection claims a category the reader may not have', async () => {
    const { rows, gate: g } = gate();
    const operator = { ...reader, roles: ['operator', 'placement-officer'] };
    await expect(
      g.disclose({ reader: operator, facts, trajectoryId: 't', resource: 'r' }, () => ({
        body: {},
        categories: ['medical'],
      })),
    ).rejects.toThrow(/not permitted: medical/);
    expect(rows).toEqual([]);
  });

  it('when the log cannot be written, nothing is returned', async () => {
    const g = new DisclosureGate({ record: async () => Promise.reject(new Error('db down')) });
    await expect(
      g.disclose({ reader, facts, trajectoryId: 't', resource: 'r' }, () => ({
        body: {},
        categories: ['metadata'],
      })),
    ).rejects.toThrow('db down');
  });
});
