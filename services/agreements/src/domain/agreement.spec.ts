import { validatePayload } from '@ketenlink/contracts';
import {
  activate,
  type Agreement,
  amend,
  conditionsFromTitles,
  diff,
  draft,
  inForce,
  recordTalk,
  sign,
  statusOf,
  terminate,
} from './agreement';
import { AgreementConflictError, AgreementInputError } from './errors';
import {
  CLIENT,
  CONDITION_ABSTINENCE,
  CONDITION_LOCATION_BAN,
  officer,
  partiesFor,
  termsFor,
  worker,
} from './fixtures';

const T = '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11';
const A = 'a1b2c3d4-0000-4e5f-8a9b-0c1d2e3f4a5b';
const PROBATION = 'reclassering-noord';
const PROVIDER = 'fz-de-brug';
const parties = partiesFor(PROBATION, PROVIDER);
const terms = termsFor(parties);
const t0 = new Date('2026-12-08T10:00:00Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000);

const drafted = () => draft({ id: A, trajectoryId: T, parties, terms, by: officer(PROBATION) }, t0);
function active(): Agreement {
  let a = drafted().agreement;
  a = sign(a, 1, officer(PROBATION), at(1)).agreement;
  a = sign(a, 1, worker(PROVIDER), at(2)).agreement;
  a = sign(a, 1, CLIENT, at(3)).agreement;
  return activate(a, at(4)).agreement;
}
const validEvents = (events: readonly { type: string; data: unknown }[]) =>
  events.map((e) => validatePayload(e.type, e.data)).filter((r) => !r.ok);

/** A refusal: the right DomainError, and the agreement object is left exactly as it was. */
function refuses(a: Agreement, run: (a: Agreement) => unknown, code: string, kind = 'conflict') {
  const before = structuredClone(a);
  let error: unknown;
  try {
    run(a);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(kind === 'conflict' ? AgreementConflictError : AgreementInputError);
  expect(error).toMatchObject({ kind, code });
  expect(a).toEqual(before);
}

describe('agreement lifecycle (pure)', () => {
  it('draft → three signatures → activate: one version in force, contract-valid events', () => {
    const d = drafted();
    expect(statusOf(d.agreement)).toBe('draft');
    expect(d.events.map((e) => e.type)).toEqual(['nl.ketenlink.agreement.drafted.v1']);
    let a = d.agreement;
    const events = [...d.events];
    for (const [actor, party] of [
      [officer(PROBATION), 'probation'],
      [worker(PROVIDER), 'provider'],
      [CLIENT, 'client'],
    ] as const) {
      const r = sign(a, 1, actor, at(1));
      expect(r.events[0]!.data).toMatchObject({ party, version: 1 });
      a = r.agreement;
      events.push(...r.events);
    }
    expect(statusOf(a)).toBe('draft');
    const r = activate(a, at(5));
    events.push(...r.events);
    expect(statusOf(r.agreement)).toBe('active');
    expect(inForce(r.agreement)?.version).toBe(1);
    expect(r.events[0]).toMatchObject({
      type: 'nl.ketenlink.agreement.activated.v1',
      data: { version: 1, basis: 'signed-agreement', terms },
    });
    expect(r.agreement.versions[0]!.signatures.map((s) => s.party)).toEqual([
      'probation',
      'provider',
      'client',
    ]);
    expect(validEvents(events)).toEqual([]);
    expect(r.agreement.revision).toBe(5);
  });

  it('refuses activation without all three signatures, naming who is missing', () => {
    let a = drafted().agreement;
    refuses(a, (x) => activate(x, at(1)), 'signatures-missing');
    a = sign(a, 1, officer(PROBATION), at(1)).agreement;
    a = sign(a, 1, worker(PROVIDER), at(2)).agreement;
    refuses(a, (x) => activate(x, at(3)), 'signatures-missing');
    expect(() => activate(a, at(3))).toThrow(/lacks the signature of: client/);
  });

  it('refuses signing an outdated version, twice for one party, and by a non-party', () => {
    const a = drafted().agreement;
    refuses(a, (x) => sign(x, 2, CLIENT, at(1)), 'outdated-version');
    const signed = sign(a, 1, CLIENT, at(1)).agreement;
    refuses(signed, (x) => sign(x, 1, CLIENT, at(2)), 'already-signed');
    refuses(a, (x) => sign(x, 1, officer('reclassering-zuid'), at(1)), 'not-a-party');
    // a provider user in the wrong role does not sign for the provider
    refuses(
      a,
      (x) => sign(x, 1, { kind: 'staff', organisationId: PROVIDER, role: 'referrer' }, at(1)),
      'not-a-party',
    );
    // after an amendment, version 1 is outdated
    const amended = amend(
      active(),
      { terms: { ...terms, clientGoals: ['Other goal'] }, by: officer(PROBATION) },
      at(10),
    ).agreement;
    refuses(amended, (x) => sign(x, 1, CLIENT, at(11)), 'outdated-version');
    refuses(active(), (x) => sign(x, 1, CLIENT, at(11)), 'nothing-to-sign');
  });

  it('amends: a new version awaiting signatures while the old one stays in force; then re-activates', () => {
    const newTerms = {
      ...terms,
      contactFrequencies: [
        { between: 'client-officer' as const, every: { count: 1, unit: 'week' as const } },
      ],
    };
    const r = amend(
      active(),
      { terms: newTerms, reason: 'Relapse', by: officer(PROBATION) },
      at(10),
    );
    expect(statusOf(r.agreement)).toBe('amendment-pending');
    expect(inForce(r.agreement)?.version).toBe(1);
    expect(r.events[0]).toMatchObject({
      type: 'nl.ketenlink.agreement.amended.v1',
      data: { version: 2, previousVersion: 1, changedSections: ['contactFrequencies'] },
    });
    refuses(r.agreement, (x) => activate(x, at(11)), 'signatures-missing');
    let a = r.agreement;
    for (const actor of [officer(PROBATION), worker(PROVIDER), CLIENT]) {
      a = sign(a, 2, actor, at(12)).agreement;
    }
    const act = activate(a, at(13));
    expect(statusOf(act.agreement)).toBe('active');
    expect(act.events[0]!.data).toMatchObject({ version: 2, previousVersion: 1 });
    // old versions stay readable
    expect(act.agreement.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(act.agreement.versions[0]!.terms).toEqual(terms);
    expect(validEvents([...r.events, ...act.events])).toEqual([]);
  });

  it('refuses an amendment without a change (422)', () => {
    refuses(
      active(),
      (x) => amend(x, { terms, by: officer(PROBATION) }, at(1)),
      'no-change',
      'unprocessable',
    );
  });

  it('diffs two versions: conditions by id, other sections whole', () => {
    const changed = {
      ...terms,
      conditions: [
        { ...terms.conditions[0]!, text: 'Abstain from alcohol only.' },
        {
          conditionId: '44444444-4444-4444-8444-444444444444',
          type: 'daytime-activity' as const,
          text: 'Daytime activity 3 days a week.',
          source: 'agreement' as const,
        },
      ],
      houseRules: [],
    };
    const a = amend(active(), { terms: changed, by: officer(PROBATION) }, at(1)).agreement;
    expect(diff(a, 1, 2)).toEqual([
      expect.objectContaining({
        section: 'conditions',
        change: 'changed',
        id: CONDITION_ABSTINENCE,
      }),
      expect.objectContaining({
        section: 'conditions',
        change: 'removed',
        id: CONDITION_LOCATION_BAN,
      }),
      expect.objectContaining({
        section: 'conditions',
        change: 'added',
        id: '44444444-4444-4444-8444-444444444444',
      }),
      { section: 'houseRules', change: 'changed', before: ['No visitors after 22:00'], after: [] },
    ]);
    expect(diff(a, 2, 2)).toEqual([]);
    expect(() => diff(a, 1, 3)).toThrow(AgreementInputError);
  });

  it('terminates from any state but terminated; a terminated agreement refuses everything', () => {
    const r = terminate(
      active(),
      { reason: 'placement-ended', on: '2027-01-10', by: worker(PROVIDER) },
      at(20),
    );
    expect(statusOf(r.agreement)).toBe('terminated');
    expect(validEvents(r.events)).toEqual([]);
    const t = r.agreement;
    refuses(
      t,
      (x) => amend(x, { terms: { ...terms, houseRules: [] }, by: officer(PROBATION) }, at(21)),
      'agreement-terminated',
    );
    refuses(t, (x) => sign(x, 1, CLIENT, at(21)), 'agreement-terminated');
    refuses(t, (x) => activate(x, at(21)), 'agreement-terminated');
    refuses(
      t,
      (x) => terminate(x, { reason: 'other', on: '2027-01-11' }, at(21)),
      'agreement-terminated',
    );
    // a draft can be terminated too; a violation names its violation
    expect(
      statusOf(
        terminate(drafted().agreement, { reason: 'title-ended', on: '2027-01-01' }, at(1))
          .agreement,
      ),
    ).toBe('terminated');
    refuses(
      drafted().agreement,
      (x) => terminate(x, { reason: 'violation', on: '2027-01-01' }, at(1)),
      'violation-required',
      'unprocessable',
    );
  });

  it('a recorded three-party talk is in force without signatures; its amendments at once', () => {
    const r = recordTalk(
      { id: A, trajectoryId: T, parties, terms, by: worker(PROVIDER), heldOn: '2026-12-08' },
      t0,
    );
    expect(statusOf(r.agreement)).toBe('active');
    expect(r.events.map((e) => e.type)).toEqual([
      'nl.ketenlink.agreement.talk-recorded.v1',
      'nl.ketenlink.agreement.activated.v1',
    ]);
    expect(r.events[1]!.data).toMatchObject({ basis: 'recorded-talk' });
    refuses(r.agreement, (x) => sign(x, 1, CLIENT, at(1)), 'nothing-to-sign');
    const m = amend(
      r.agreement,
      { terms: { ...terms, clientGoals: ['More'] }, by: worker(PROVIDER) },
      at(2),
    );
    expect(statusOf(m.agreement)).toBe('active');
    expect(inForce(m.agreement)?.version).toBe(2);
    expect(m.events.map((e) => e.type)).toEqual([
      'nl.ketenlink.agreement.amended.v1',
      'nl.ketenlink.agreement.activated.v1',
    ]);
    expect(validEvents([...r.events, ...m.events])).toEqual([]);
  });

  it('refuses terms that contradict themselves (422) and a drafter that is the client', () => {
    const bad = {
      ...terms,
      notificationTriggers: [
        {
          triggerId: '55555555-5555-4555-8555-555555555555',
          kind: 'condition-violation' as const,
          description: 'x',
        },
      ],
      firstPointOfContact: { party: 'probation' as const, organisationId: PROVIDER },
    };
    expect(() =>
      draft({ id: A, trajectoryId: T, parties, terms: bad, by: officer(PROBATION) }, t0),
    ).toThrow(
      expect.objectContaining({
        kind: 'unprocessable',
        code: 'invalid-terms',
        errors: expect.arrayContaining([
          expect.stringMatching(/names no condition/),
          expect.stringMatching(/first point of contact/),
        ]),
      }),
    );
    expect(() => draft({ id: A, trajectoryId: T, parties, terms, by: CLIENT }, t0)).toThrow(
      AgreementConflictError,
    );
  });

  it('takes the conditions registered with the title as the starting point', () => {
    let n = 0;
    const ids = () => `00000000-0000-4000-8000-00000000000${n++}`;
    const conditions = conditionsFromTitles(
      [
        { titleId: 't1', conditions: [{ type: 'abstinence', description: 'No alcohol' }] },
        {
          titleId: 't2',
          endedOn: '2026-01-01',
          conditions: [{ type: 'treatment', description: 'Old' }],
        },
      ],
      ids,
    );
    expect(conditions).toEqual([
      {
        conditionId: '00000000-0000-4000-8000-000000000000',
        type: 'abstinence',
        text: 'No alcohol',
        source: 'title-registration',
        titleId: 't1',
      },
    ]);
  });
});
