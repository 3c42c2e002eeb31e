import { dataCategoriesOf, validatePayload } from '@ketenlink/contracts';
import { dutchPublicHolidays } from '@ketenlink/dates';
import {
  accept,
  addDocuments,
  ALLOWED_FROM,
  detectOverdue,
  isVisibleTo,
  moveIn,
  PLACEMENT_STATUSES,
  recordCrucialInformation,
  recordFirstContact,
  refuse,
  remainingTitleMonths,
  requestPlacement,
  scheduleIntake,
  waitlist,
  withdraw,
  type Placement,
  type PlacementCommand,
  type PlacementDocument,
  type PlacementStatus,
  type Transition,
} from './placement';
import {
  IllegalTransitionError,
  InvalidPlacementInputError,
  PlacementConflictError,
} from './placement-errors';

const nl = dutchPublicHolidays();
const T0 = new Date('2026-11-23T09:00:00+01:00'); // Monday
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const LOCATION = { id: 'loc-1', providerOrganisationId: 'fz-de-brug', freePlaces: 2 };

const riskAssessment: PlacementDocument = {
  kind: 'risk-assessment',
  attachedAt: T0,
  riskAssessment: {
    instrument: 'RISc',
    author: 'reclassering-noord advisor',
    assessedOn: '2026-10-01',
    setting: 'sheltered housing',
  },
};
const FULL_FILE: PlacementDocument[] = [
  { kind: 'probation-advice', attachedAt: T0 },
  riskAssessment,
  { kind: 'placement-letter', attachedAt: T0 },
];

function requested(documents: PlacementDocument[] = FULL_FILE, now = T0): Transition {
  return requestPlacement({
    id: '3c9f1e52-8d4a-4b7e-9f21-6a0d5c8b7e43',
    now,
    trajectoryId: '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11',
    providerOrganisationId: 'fz-de-brug',
    referrerOrganisationId: 'reclassering-noord',
    referrerKind: 'probation',
    title: { kind: 'conditional-release', startDate: '2026-01-01', expectedEndDate: '2027-12-31' },
    offenceCategory: 'violence',
    activeSubstanceUse: false,
    needs: ['housing', 'addiction-care'],
    urgency: 'regular',
    djiPlacementReference: 'IFZO-2026-1',
    documents,
    isHoliday: nl,
  });
}

/** A placement in the given status, reached through the real transitions. */
function inStatus(status: PlacementStatus): Placement {
  const p = requested().placement;
  switch (status) {
    case 'requested':
      return p;
    case 'waitlisted':
      return waitlist(p, { bridgingAmbulant: true }, at(1)).placement;
    case 'refused':
      return refuse(p, { reasonCode: 'no-capacity' }, at(1)).placement;
    case 'accepted':
      return accept(p, LOCATION, at(1)).placement;
    case 'intake-scheduled':
      return scheduleIntake(inStatus('accepted'), at(48), at(2)).placement;
    case 'placed':
      return moveIn(inStatus('intake-scheduled'), LOCATION, at(50), at(50)).placement;
    case 'withdrawn':
      return withdraw(p, {}, at(1)).placement;
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !(o instanceof Date)) {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}

/** Runs a command with valid arguments. */
const RUN: Record<PlacementCommand, (p: Placement) => Transition> = {
  'add-documents': (p) =>
    addDocuments(p, [{ kind: 'placement-letter', attachedAt: at(3) }], at(3), nl),
  accept: (p) => accept(p, LOCATION, at(3)),
  refuse: (p) => refuse(p, { reasonCode: 'neighbourhood-history' }, at(3)),
  waitlist: (p) => waitlist(p, { bridgingAmbulant: false }, at(3)),
  'schedule-intake': (p) => scheduleIntake(p, at(72), at(3)),
  'record-first-contact': (p) => recordFirstContact(p, at(60), at(60)),
  'move-in': (p) => moveIn(p, LOCATION, at(60), at(60)),
  'record-crucial-information': (p) =>
    recordCrucialInformation({ ...p, firstContactAt: at(49) }, { medication: 'none' }, at(60)),
  withdraw: (p) => withdraw(p, { reasonText: 'client moved' }, at(3)),
};

const EXPECTED: Record<PlacementCommand, { to?: PlacementStatus; events: string[] }> = {
  'add-documents': { events: [] }, // file was already complete: no second documents-completed
  accept: { to: 'accepted', events: ['nl.ketenlink.placement.accepted.v1'] },
  refuse: { to: 'refused', events: ['nl.ketenlink.placement.refused.v1'] },
  waitlist: { to: 'waitlisted', events: ['nl.ketenlink.placement.waitlisted.v1'] },
  'schedule-intake': { to: 'intake-scheduled', events: ['nl.ketenlink.intake.scheduled.v1'] },
  'record-first-contact': { events: [] },
  'move-in': { to: 'placed', events: ['nl.ketenlink.client.placed.v1'] },
  'record-crucial-information': { events: [] },
  withdraw: { to: 'withdrawn', events: ['nl.ketenlink.placement.withdrawn.v1'] },
};

describe('placement state machine: every command from every status', () => {
  const cases = (Object.keys(ALLOWED_FROM) as PlacementCommand[]).flatMap((command) =>
    PLACEMENT_STATUSES.map((status) => ({
      command,
      status,
      allowed: (ALLOWED_FROM[command] as readonly string[]).includes(status),
    })),
  );

  it.each(cases.filter((c) => c.allowed))(
    '$command from $status is allowed',
    ({ command, status }) => {
      const before = deepFreeze(inStatus(status));
      const { placement, events } = RUN[command](before);
      expect(placement.status).toBe(EXPECTED[command].to ?? status);
      expect(events.map((e) => e.type)).toEqual(EXPECTED[command].events);
      for (const e of events) expect(e.data.trajectoryId).toBe(before.trajectoryId);
    },
  );

  it.each(cases.filter((c) => !c.allowed))(
    '$command from $status is refused, nothing changed',
    ({ command, status }) => {
      const before = deepFreeze(inStatus(status));
      const snapshot = structuredClone(before);
      expect(() => RUN[command](before)).toThrow(IllegalTransitionError);
      expect(before).toEqual(snapshot);
    },
  );

  it('names the examples from the issue', () => {
    expect(() => accept(inStatus('refused'), LOCATION, at(5))).toThrow(
      'cannot accept a placement that is refused',
    );
    expect(() => moveIn(inStatus('requested'), LOCATION, at(5), at(5))).toThrow(
      'cannot move-in a placement that is requested',
    );
    expect(() => moveIn(inStatus('accepted'), LOCATION, at(5), at(5))).toThrow(
      IllegalTransitionError,
    );
    expect(() => scheduleIntake(inStatus('requested'), at(48), at(5))).toThrow(
      'cannot schedule-intake a placement that is requested',
    );
    expect(() => refuse(inStatus('placed'), { reasonCode: 'no-capacity' }, at(60))).toThrow(
      IllegalTransitionError,
    );
  });

  it('runs request → documents → accept → intake → move-in with the events in order', () => {
    const r = requested(FULL_FILE.slice(0, 2));
    expect(r.placement.answerDueOn).toBe('2026-12-07'); // incomplete: 10 working days
    const d = addDocuments(r.placement, [FULL_FILE[2]!], at(1), nl);
    expect(d.placement.answerDueOn).toBe('2026-11-30'); // complete: 5 working days from completion
    const a = accept(d.placement, LOCATION, at(2));
    const s = scheduleIntake(a.placement, at(48), at(3));
    const m = moveIn(s.placement, LOCATION, at(49), at(49));
    expect([r, d, a, s, m].flatMap((t) => t.events.map((e) => e.type))).toEqual([
      'nl.ketenlink.placement.requested.v1',
      'nl.ketenlink.placement.documents-completed.v1',
      'nl.ketenlink.placement.accepted.v1',
      'nl.ketenlink.intake.scheduled.v1',
      'nl.ketenlink.client.placed.v1',
    ]);
    expect(m.events[0]!.data).toEqual({
      trajectoryId: '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11',
      placementId: '3c9f1e52-8d4a-4b7e-9f21-6a0d5c8b7e43',
      providerOrganisationId: 'fz-de-brug',
      locationId: 'loc-1',
      movedInAt: at(49).toISOString(),
    });
  });
});

describe('business rules inside allowed transitions', () => {
  it('a complete file at request time: 5 working days and no separate documents-completed', () => {
    const r = requested();
    expect(r.placement.answerDueOn).toBe('2026-11-30');
    expect(r.events).toHaveLength(1);
    expect(r.events[0]!.data).toMatchObject({ documentsComplete: true, remainingTitleMonths: 13 });
  });

  it("the referrer's medication notes travel in placement.requested (medical), only when given", () => {
    const base = requested().placement;
    const withNotes = requestPlacement({
      ...base,
      now: T0,
      documents: FULL_FILE,
      isHoliday: nl,
      medicationNotes: 'methadone 60 mg daily, dispensed by the pharmacy',
    });
    expect(withNotes.placement.medicationNotes).toBe(
      'methadone 60 mg daily, dispensed by the pharmacy',
    );
    const data = withNotes.events[0]!.data;
    expect(data).toMatchObject({
      medicationNotes: 'methadone 60 mg daily, dispensed by the pharmacy',
    });
    expect(validatePayload('nl.ketenlink.placement.requested.v1', data)).toEqual({ ok: true });
    expect(dataCategoriesOf('nl.ketenlink.placement.requested.v1').get('medicationNotes')).toBe(
      'medical',
    );
    expect(requested().events[0]!.data).not.toHaveProperty('medicationNotes');
  });

  it('completing a file late never extends the 10-day deadline', () => {
    const r = requested(FULL_FILE.slice(0, 1));
    const d = addDocuments(
      r.placement,
      FULL_FILE.slice(1),
      new Date('2026-12-04T10:00:00+01:00'),
      nl,
    );
    expect(d.placement.answerDueOn).toBe('2026-12-07');
  });

  it('refuses inconsistent requests', () => {
    const base = requested().placement;
    const attempt = (over: object) => () =>
      requestPlacement({
        ...base,
        id: base.id,
        now: T0,
        documents: FULL_FILE,
        isHoliday: nl,
        ...over,
      });
    expect(attempt({ title: { kind: 'other' } })).toThrow(InvalidPlacementInputError);
    expect(
      attempt({ title: { kind: 'other', startDate: '2026-06-01', expectedEndDate: '2026-05-01' } }),
    ).toThrow('after its start date');
    expect(
      attempt({
        documents: [
          {
            ...riskAssessment,
            riskAssessment: { ...riskAssessment.riskAssessment!, validUntil: '2026-01-01' },
          },
        ],
      }),
    ).toThrow('expire before');
    expect(attempt({ documents: [{ kind: 'risk-assessment', attachedAt: T0 }] })).toThrow('R-RISK');
  });

  it("refusal with 'other' needs a text (R-REFUSAL)", () => {
    const p = inStatus('requested');
    expect(() => refuse(p, { reasonCode: 'other' }, at(1))).toThrow(InvalidPlacementInputError);
    expect(() => refuse(p, { reasonCode: 'other', reasonText: '  ' }, at(1))).toThrow(
      'needs a text',
    );
    expect(
      refuse(p, { reasonCode: 'other', reasonText: 'Client chose another region' }, at(1))
        .events[0]!.data,
    ).toMatchObject({
      reasonCode: 'other',
      reasonText: 'Client chose another region',
    });
  });

  it('accepts only at a location of the provider with a free place', () => {
    const p = inStatus('requested');
    expect(() => accept(p, { ...LOCATION, freePlaces: 0 }, at(1))).toThrow(PlacementConflictError);
    expect(() => accept(p, { ...LOCATION, providerOrganisationId: 'other' }, at(1))).toThrow(
      'another provider',
    );
  });

  it('moves in only at the accepted location, never in the future', () => {
    const p = inStatus('intake-scheduled');
    expect(() => moveIn(p, { ...LOCATION, id: 'loc-2' }, at(60), at(60))).toThrow(
      'accepted location',
    );
    expect(() => moveIn(p, LOCATION, at(61), at(60))).toThrow(InvalidPlacementInputError);
  });

  it('first contact once; crucial information only after it', () => {
    const p = inStatus('intake-scheduled');
    expect(() => recordCrucialInformation(p, { medication: 'x' }, at(60))).toThrow('first contact');
    const c = recordFirstContact(p, at(50), at(60)).placement;
    expect(() => recordFirstContact(c, at(51), at(60))).toThrow(PlacementConflictError);
  });

  it('remaining title months from the expected end date or from the given duration', () => {
    const p = inStatus('requested');
    expect(remainingTitleMonths(p, new Date('2027-07-01T12:00:00Z'))).toBe(5);
    const q = { ...p, title: { kind: 'other' as const, remainingMonths: 8 } };
    expect(remainingTitleMonths(q, new Date('2027-01-24T12:00:00Z'))).toBe(6);
  });

  it('is visible to the referrer and the provider only', () => {
    const p = inStatus('requested');
    expect(isVisibleTo(p, 'reclassering-noord')).toBe(true);
    expect(isVisibleTo(p, 'fz-de-brug')).toBe(true);
    expect(isVisibleTo(p, 'fz-other')).toBe(false);
  });
});

describe('deadline detection (sweep), each overdue event once', () => {
  it('answer overdue after the due date, once; not after a decision', () => {
    const p = inStatus('requested'); // due 2026-11-30
    expect(detectOverdue(p, new Date('2026-11-30T22:59:00Z')).events).toEqual([]);
    const late = new Date('2026-11-30T23:00:00Z');
    const first = detectOverdue(p, late);
    expect(first.events).toEqual([
      {
        type: 'nl.ketenlink.placement.answer-overdue.v1',
        data: expect.objectContaining({
          answerDueOn: '2026-11-30',
          detectedAt: late.toISOString(),
        }),
      },
    ]);
    expect(detectOverdue(first.placement, new Date('2026-12-05T10:00:00Z')).events).toEqual([]);
    expect(detectOverdue(inStatus('waitlisted'), late).events).toEqual([]);
    expect(detectOverdue(inStatus('refused'), late).events).toEqual([]);
  });

  it('crucial information overdue 24 h after first contact, once (R-INTAKE-24H)', () => {
    const contacted = recordFirstContact(inStatus('intake-scheduled'), at(50), at(50)).placement;
    expect(detectOverdue(contacted, at(74)).events).toEqual([]);
    const first = detectOverdue(contacted, at(74.1));
    expect(first.events.map((e) => e.type)).toEqual([
      'nl.ketenlink.intake.crucial-info-overdue.v1',
    ]);
    expect(first.events[0]!.data).toMatchObject({ dueAt: at(74).toISOString() });
    expect(detectOverdue(first.placement, at(100)).events).toEqual([]);
    const recorded = recordCrucialInformation(contacted, { medication: 'methadone 40 mg' }, at(70));
    expect(detectOverdue(recorded.placement, at(100)).events).toEqual([]);
  });
});
