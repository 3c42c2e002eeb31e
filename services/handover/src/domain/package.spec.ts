import type { ConsentRecord } from '@ketenlink/consent';
import { entitlementOf, type TrajectoryFacts } from '@ketenlink/disclosure';
import { accept, cancel, type Handover, recordClosingReport, requestHandover } from './handover';
import { assemblePackage, handoverGrants, type PackageSources } from './package';

const NOW = new Date('2026-03-02T09:00:00Z');
const at = (h: number) => new Date(NOW.getTime() + h * 3_600_000);
const TRAJECTORY = '00000000-0000-4000-8000-0000000000aa';
const SENDER = 'pi-vught';
const RECEIVER = 'fz-de-brug';

const requested = requestHandover({
  id: '00000000-0000-4000-8000-000000000001',
  trajectoryId: TRAJECTORY,
  kind: 'prison-to-housing',
  sendingOrganisationId: SENDER,
  sendingRole: 'referrer',
  receivingOrganisationId: RECEIVER,
  reason: 'Release on 1 April',
  plannedDate: '2026-04-01',
  now: NOW,
  responseWithinMs: 48 * 3_600_000,
}).handover;
const accepted = recordClosingReport(
  accept(requested, { organisationId: RECEIVER }, at(1)).handover,
  { organisationId: SENDER },
  { risks: 'Relapse under stress', whatWorks: 'Day structure', whyEnded: 'Release' },
  at(1),
).handover;

const consent = (categories: ConsentRecord['categories'], revokedAt?: Date): ConsentRecord => ({
  id: 'c-1',
  recipient: { kind: 'organisation', id: RECEIVER },
  categories,
  purpose: 'handover',
  legalBasis: 'consent',
  validFrom: NOW,
  ...(revokedAt ? { revokedAt } : {}),
});

const sources: PackageSources = {
  titles: [
    {
      kind: 'conditional-release',
      startDate: '2026-04-01',
      conditions: [{ type: 'abstinence', description: 'No alcohol or drugs' }],
    },
  ],
  plan: { version: 2, recordedAt: '2026-02-20T10:00:00Z', goals: ['Housing', 'Daytime work'] },
  riskAssessment: { instrument: 'risc', assessedOn: '2026-02-01', level: 'medium' },
};

function read(h: Handover, consents: ConsentRecord[], when: Date) {
  const facts: TrajectoryFacts = {
    trajectoryId: TRAJECTORY,
    participations: [
      { organisationId: SENDER, role: 'referrer', from: new Date('2026-01-01T00:00:00Z') },
    ],
    consents,
  };
  const grants = handoverGrants(h, facts, when);
  const reader = {
    kind: 'staff' as const,
    subject: 'u',
    organisationId: RECEIVER,
    roles: ['coordinator'],
  };
  return entitlementOf(reader, { ...facts, grants }, when);
}

describe('handover package grant (ADR 0032)', () => {
  it('before acceptance only the party grant exists: the handover itself, never the content', () => {
    const grants = handoverGrants(
      requested,
      { consents: [consent(['risk', 'plan-and-goals'])] },
      at(0.5),
    );
    expect(grants.map((g) => [g.purpose, [...g.categories]])).toEqual([
      ['handover-party', ['participation', 'general-information', 'metadata']],
    ]);
    const e = read(requested, [], at(0.5));
    expect(e.visible).toBe(true);
    expect([...e.permitted].sort()).toEqual(['general-information', 'metadata', 'participation']);
  });

  it('the package grant is capped by the consent in force and bounded by the handover', () => {
    const [, pkg] = handoverGrants(accepted, { consents: [consent(['risk', 'medical'])] }, at(2));
    expect(pkg).toMatchObject({
      purpose: 'handover-package',
      categories: ['risk'],
      validFrom: at(1),
    });
    expect(pkg?.validUntil).toBeUndefined();
  });

  it('after acceptance the content is exactly what the consent in force allows', () => {
    const e = read(accepted, [consent(['risk', 'title-and-conditions', 'medical'])], at(2));
    expect([...e.permitted].sort()).toEqual([
      'general-information',
      'medical', // the client's own record to the receiver; the package holds no medical item
      'metadata',
      'participation',
      'risk',
      'title-and-conditions',
    ]);
    const p = assemblePackage(accepted, sources, e);
    expect(p.body).toMatchObject({
      titles: sources.titles,
      riskAssessment: sources.riskAssessment,
    });
    expect(p.body).not.toHaveProperty('plan');
    expect(p.body).toHaveProperty('closingReport', { risks: 'Relapse under stress' });
    expect(p.body.leftOut.map((l) => l.item).sort()).toEqual([
      'closingReport.whatWorks',
      'closingReport.whyEnded',
      'earlyWarningPlan',
      'plan',
      'reason',
    ]);
    expect(p.body.leftOut.find((l) => l.item === 'earlyWarningPlan')?.reason).toMatch(
      /not available/,
    );
    expect(p.body.leftOut.find((l) => l.item === 'plan')?.reason).toMatch(/consent/);
  });

  it('a consent withdrawn before the read shrinks the package; no consent: handover facts only', () => {
    const withdrawn = read(accepted, [consent(['risk', 'plan-and-goals'], at(1.5))], at(2));
    expect(withdrawn.permitted.has('risk')).toBe(false);
    const p = assemblePackage(accepted, sources, withdrawn);
    expect(Object.keys(p.body).sort()).toEqual([
      'handoverId',
      'kind',
      'leftOut',
      'plannedDate',
      'receivingOrganisationId',
      'sendingOrganisationId',
      'trajectoryId',
    ]);
    expect(p.categories).toEqual(['metadata', 'participation']);
  });

  it('the grants end when the handover is cancelled', () => {
    const cancelled = cancel(accepted, { organisationId: SENDER }, undefined, at(3)).handover;
    expect(read(cancelled, [consent(['risk'])], at(2)).permitted.has('risk')).toBe(true);
    expect(read(cancelled, [consent(['risk'])], at(4)).visible).toBe(false);
  });
});
