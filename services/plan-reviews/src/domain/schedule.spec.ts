import { startOfDay } from '@ketenlink/dates';
import { resolveRules, RULE_DEFAULTS, overrideProblems } from './rules';
import {
  deriveSchedule,
  emptyFacts,
  evolve,
  fire,
  fireAt,
  type FactChange,
  type ReviewItem,
  type ScheduleEvent,
  type ScheduleFacts,
} from './schedule';

/** Schedule rules with a controlled clock: every rule, every override, title end moved, downtime. */
const T = '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11';
const TITLE = '0d4b5c1a-6a8e-4d3c-8f55-0c1f3e9a7b21';
const DEFAULTS = resolveRules(undefined, undefined);
const at = (date: string, time = '00:00') =>
  new Date(
    startOfDay(date).getTime() + (Number(time.slice(0, 2)) * 60 + Number(time.slice(3))) * 60_000,
  );

function run(
  changes: FactChange[],
  rules = DEFAULTS,
  start: { facts?: ScheduleFacts; items?: ReviewItem[] } = {},
) {
  let facts = start.facts ?? emptyFacts(T);
  const items = new Map((start.items ?? []).map((i) => [i.id, i]));
  const events: ScheduleEvent[] = [];
  let n = 0;
  for (const c of changes) {
    const e = evolve(facts, [...items.values()], c, rules, () => `item-${++n}`);
    facts = e.facts;
    for (const i of e.items) items.set(i.id, i);
    events.push(...e.events);
  }
  const open = [...items.values()].filter((i) => ['scheduled', 'due', 'overdue'].includes(i.state));
  const slot = (s: string) => open.find((i) => i.slot === s);
  return { facts, items: [...items.values()], open, slot, events };
}

const opened: FactChange = {
  type: 'trajectory-opened',
  region: 'noord',
  caseLeadOrganisationId: 'reclassering-noord',
};
const intake: FactChange = {
  type: 'intake',
  on: '2026-03-02',
  providerOrganisationId: 'fz-de-brug',
};
const movedIn: FactChange = {
  type: 'moved-in',
  on: '2026-03-12',
  providerOrganisationId: 'fz-de-brug',
};

/** A timer loop over the items as the service runs it: each tick fires what is due at `now`. */
function tick(items: ReviewItem[], now: Date): { items: ReviewItem[]; fired: string[] } {
  const fired: string[] = [];
  const next = items.map((i) => {
    const f = fire(i, now);
    if (!f) return i;
    fired.push(`${f.kind}:${i.slot}`);
    return f.item;
  });
  return { items: next, fired };
}

describe('R-PLAN-6W: first definitive plan 6 weeks after intake, hard limit 3 months', () => {
  it('is due at +42 days, overdue after +3 months, completed by a definitive plan', () => {
    const r = run([opened, intake]);
    expect(r.slot('first-plan')).toMatchObject({
      dueOn: '2026-04-13',
      overdueOn: '2026-06-02',
      ruleId: 'R-PLAN-6W',
      responsibleOrganisationId: 'fz-de-brug',
    });
    const draft = run([
      opened,
      intake,
      {
        type: 'plan-versioned',
        on: '2026-03-20',
        definitive: false,
        coordinatingOrganisationId: 'fz-de-brug',
        safetyPlan: false,
      },
    ]);
    expect(draft.slot('first-plan')).toBeDefined();
    const done = run([
      opened,
      intake,
      {
        type: 'plan-versioned',
        on: '2026-04-01',
        definitive: true,
        coordinatingOrganisationId: 'fz-de-brug',
        safetyPlan: false,
      },
    ]);
    expect(done.slot('first-plan')).toBeUndefined();
    expect(done.events.filter((e) => e.kind === 'completed').map((e) => e.item.slot)).toEqual([
      'first-plan',
    ]);
  });

  it('a region overrides the 6 weeks, an agreement overrides the region', () => {
    const region = resolveRules({ 'R-PLAN-6W': { due: { days: 28 } } }, undefined);
    expect(run([opened, intake], region).slot('first-plan')?.dueOn).toBe('2026-03-30');
    const agreement = resolveRules(
      { 'R-PLAN-6W': { due: { days: 28 } } },
      { 'R-PLAN-6W': { due: { days: 21 }, hardLimit: { months: 2 } } },
    );
    expect(run([opened, intake], agreement).slot('first-plan')).toMatchObject({
      dueOn: '2026-03-23',
      overdueOn: '2026-05-02',
    });
  });
});

describe('R-PLAN-6M: full evaluation at least every 6 months or at the agreed cadence', () => {
  it('from move-in, then from each review meeting; the meeting completes and reschedules', () => {
    const r = run([opened, movedIn]);
    expect(r.slot('plan-evaluation')).toMatchObject({
      dueOn: '2026-09-12',
      overdueOn: '2026-09-26',
    });
    const after = run([opened, movedIn, { type: 'meeting', kind: 'review', on: '2026-09-01' }]);
    expect(after.slot('plan-evaluation')?.dueOn).toBe('2027-03-01');
    const completed = after.events.find((e) => e.kind === 'completed');
    expect(completed).toMatchObject({
      item: { slot: 'plan-evaluation', dueOn: '2026-09-12' },
      on: '2026-09-01',
      next: { dueOn: '2027-03-01' },
    });
  });

  it('an agreed review date comes first when earlier than the cadence, until the review is held', () => {
    const facts = { ...emptyFacts(T), agreedReviewOn: '2026-06-12' };
    const r = run([opened, movedIn], DEFAULTS, { facts });
    expect(r.slot('plan-evaluation')?.dueOn).toBe('2026-06-12');
    const held = run(
      [opened, movedIn, { type: 'meeting', kind: 'review', on: '2026-06-10' }],
      DEFAULTS,
      { facts },
    );
    expect(held.slot('plan-evaluation')?.dueOn).toBe('2026-12-10');
    const late = run([opened, movedIn], DEFAULTS, {
      facts: { ...facts, agreedReviewOn: '2027-01-01' },
    });
    expect(late.slot('plan-evaluation')?.dueOn).toBe('2026-09-12');
  });

  it('an agreement cadence of 3 months (scenario 1: review at +3 months)', () => {
    const rules = resolveRules(undefined, { 'R-PLAN-6M': { cadence: { months: 3 } } });
    expect(run([opened, movedIn], rules).slot('plan-evaluation')?.dueOn).toBe('2026-06-12');
  });
});

describe('R-DRIEGESPREK: ~1 week after move-in, then at the agreed cadence', () => {
  it('first at +7 days, then the agreed next date, else the cadence', () => {
    const r = run([opened, movedIn]);
    expect(r.slot('driegesprek')).toMatchObject({ dueOn: '2026-03-19', overdueOn: '2026-03-26' });
    const withDate = run([
      opened,
      movedIn,
      { type: 'meeting', kind: 'driegesprek', on: '2026-03-19', nextDate: '2026-04-09' },
    ]);
    expect(withDate.slot('driegesprek')?.dueOn).toBe('2026-04-09');
    const byCadence = run([
      opened,
      movedIn,
      { type: 'meeting', kind: 'driegesprek', on: '2026-03-19' },
    ]);
    expect(byCadence.slot('driegesprek')?.dueOn).toBe('2026-06-19');
  });

  it('scenario 5: every 2 weeks by agreement', () => {
    const rules = resolveRules(undefined, { 'R-DRIEGESPREK': { cadence: { days: 14 } } });
    const r = run(
      [
        opened,
        movedIn,
        { type: 'meeting', kind: 'driegesprek', on: '2026-03-19' },
        { type: 'meeting', kind: 'driegesprek', on: '2026-04-02' },
      ],
      rules,
    );
    expect(r.slot('driegesprek')?.dueOn).toBe('2026-04-16');
    expect(
      r.events.filter((e) => e.kind === 'completed' && e.item.slot === 'driegesprek'),
    ).toHaveLength(2);
  });
});

describe('R-RISK: reassessment after placement, on a change of context, at expiry', () => {
  it('after placement until an assessment after move-in; then at expiry; a context change pulls it forward', () => {
    const r = run([opened, movedIn]);
    expect(r.slot('risk-reassessment')?.dueOn).toBe('2026-04-09');
    const assessed = run([
      opened,
      movedIn,
      {
        type: 'assessment',
        assessedOn: '2026-04-01',
        expiresOn: '2026-10-01',
        level: 'moderate',
        setting: 'sheltered-housing',
      },
    ]);
    expect(assessed.slot('risk-reassessment')?.dueOn).toBe('2026-10-01');
    const moved = run([
      opened,
      movedIn,
      {
        type: 'assessment',
        assessedOn: '2026-04-01',
        expiresOn: '2026-10-01',
        level: 'moderate',
        setting: 'sheltered-housing',
      },
      { type: 'context-changed', on: '2026-05-04' },
    ]);
    expect(moved.slot('risk-reassessment')?.dueOn).toBe('2026-05-18');
  });
});

describe('R-SAFETY-PLAN: ambulant care at a high risk level', () => {
  const high: FactChange = {
    type: 'assessment',
    assessedOn: '2026-04-01',
    expiresOn: '2026-10-01',
    level: 'high',
    setting: 'ambulant',
  };
  it('is due 14 days after the assessment until a plan carries a safety plan; not for lower risk or other settings', () => {
    expect(run([opened, movedIn, high]).slot('safety-plan')?.dueOn).toBe('2026-04-15');
    expect(
      run([opened, movedIn, { ...high, level: 'moderate' } as FactChange]).slot('safety-plan'),
    ).toBeUndefined();
    expect(
      run([opened, movedIn, { ...high, setting: 'sheltered-housing' } as FactChange]).slot(
        'safety-plan',
      ),
    ).toBeUndefined();
    const done = run([
      opened,
      movedIn,
      high,
      {
        type: 'plan-versioned',
        on: '2026-04-10',
        definitive: true,
        coordinatingOrganisationId: 'fz-de-brug',
        safetyPlan: true,
      },
    ]);
    expect(done.slot('safety-plan')).toBeUndefined();
    expect(done.events.some((e) => e.kind === 'completed' && e.item.slot === 'safety-plan')).toBe(
      true,
    );
  });
});

describe('R-PROGRESS: periodic progress report with the client', () => {
  const plan: FactChange = {
    type: 'plan-versioned',
    on: '2026-04-01',
    definitive: true,
    coordinatingOrganisationId: 'fz-de-brug',
    safetyPlan: false,
  };
  it('every 3 months from the definitive plan; a review with a progress report resets it', () => {
    expect(run([opened, movedIn, plan]).slot('progress-report')?.dueOn).toBe('2026-07-01');
    const r = run([
      opened,
      movedIn,
      plan,
      { type: 'meeting', kind: 'review', on: '2026-06-20', progressReport: true },
    ]);
    expect(r.slot('progress-report')?.dueOn).toBe('2026-09-20');
  });

  it('a periodic progress note completes the open item and the next one follows 3 months on', () => {
    const before = run([opened, movedIn, plan]).slot('progress-report')!;
    const r = run([opened, movedIn, plan, { type: 'progress-report', on: '2026-06-25' }]);
    const done = r.events.find((e) => e.kind === 'completed' && e.item.slot === 'progress-report');
    expect(done).toMatchObject({ item: { id: before.id, state: 'completed' }, on: '2026-06-25' });
    expect(r.slot('progress-report')?.dueOn).toBe('2026-09-25');
    expect(r.slot('progress-report')?.id).not.toBe(before.id);
    expect(
      r.events.find((e) => e.kind === 'scheduled' && e.item.id === r.slot('progress-report')?.id),
    ).toMatchObject({ reason: 'progress-noted' });
    // The plan evaluation is a meeting's business: a progress note leaves it open.
    expect(r.events.some((e) => e.kind === 'completed' && e.item.slot === 'plan-evaluation')).toBe(
      false,
    );
    // A note dated before the last report does not move the cadence back.
    const older = run([
      opened,
      movedIn,
      plan,
      { type: 'meeting', kind: 'review', on: '2026-06-20', progressReport: true },
      { type: 'progress-report', on: '2026-06-10' },
    ]);
    expect(older.facts.lastProgressReportOn).toBe('2026-06-20');
  });
});

describe('R-TITLE-END: lead times before the expected end date', () => {
  const title = (expectedEndDate: string, endedOn?: string): FactChange => ({
    type: 'title',
    title: {
      titleId: TITLE,
      kind: 'conditional-release',
      expectedEndDate,
      ...(endedOn ? { endedOn } : {}),
    },
  });
  const slots = (r: ReturnType<typeof run>) =>
    r.open.filter((i) => i.kind === 'title-end').map((i) => [i.title?.leadTimeDays, i.dueOn]);

  it('90 and 30 days by default, configurable', () => {
    expect(slots(run([opened, title('2026-12-31')]))).toEqual([
      [90, '2026-10-02'],
      [30, '2026-12-01'],
    ]);
    const region = resolveRules({ 'R-TITLE-END': { leadTimesDays: [120, 60, 14] } }, undefined);
    expect(slots(run([opened, title('2026-12-31')], region)).map(([l]) => l)).toEqual([
      120, 60, 14,
    ]);
  });

  it('an end date moved later moves the timers later: nothing fires at the old date', () => {
    const r = run([opened, title('2026-12-31'), title('2027-03-31')]);
    expect(slots(r)).toEqual([
      [90, '2026-12-31'],
      [30, '2027-03-01'],
    ]);
    expect(
      r.events
        .filter((e) => e.kind === 'scheduled' && e.previousDueOn)
        .map((e) => (e as { previousDueOn: string }).previousDueOn),
    ).toEqual(['2026-10-02', '2026-12-01']);
    expect(tick(r.items, at('2026-10-02', '09:00')).fired).toEqual([]);
  });

  it('an end date moved earlier fires the lead time that passed on the next tick, once', () => {
    const r = run([opened, title('2026-12-31'), title('2026-12-10')]);
    expect(slots(r)).toEqual([
      [90, '2026-09-11'],
      [30, '2026-11-10'],
    ]);
    const first = tick(r.items, at('2026-10-20', '10:00'));
    expect(first.fired).toEqual([`title-end:title-end:${TITLE}:90`]);
    expect(tick(first.items, at('2026-10-20', '10:01')).fired).toEqual([]);
  });

  it('a fired notice is not repeated by an unchanged redelivery; a new end date after it fires is told again', () => {
    const r = run([opened, title('2026-12-31')]);
    const fired = tick(r.items, at('2026-10-02', '00:00'));
    expect(fired.fired).toHaveLength(1);
    const again = run([title('2026-12-31')], DEFAULTS, { facts: r.facts, items: fired.items });
    expect(again.events).toEqual([]);
    const later = run([title('2027-06-30')], DEFAULTS, { facts: r.facts, items: fired.items });
    expect(later.events.filter((e) => e.kind === 'scheduled').map((e) => e.item.dueOn)).toEqual([
      '2027-04-01',
      '2027-05-31',
    ]);
  });

  it('a title that ended cancels its timers (not fired late)', () => {
    const r = run([opened, title('2026-12-31'), title('2026-12-31', '2026-09-01')]);
    expect(slots(r)).toEqual([]);
    expect(
      r.events.filter((e) => e.kind === 'cancelled').map((e) => (e as { reason: string }).reason),
    ).toEqual(['title-ended', 'title-ended']);
    expect(tick(r.items, at('2026-12-31')).fired).toEqual([]);
  });
});

describe('timers with a controlled clock', () => {
  it('due at 00:00 Amsterdam on the due date, overdue the day after the overdue date, each once', () => {
    const r = run([opened, movedIn]);
    const d = r.slot('driegesprek')!;
    expect(fireAt(d)).toEqual(new Date('2026-03-18T23:00:00Z'));
    expect(fire(d, new Date('2026-03-18T22:59:59Z'))).toBeUndefined();
    const due = fire(d, new Date('2026-03-18T23:00:00Z'))!;
    expect(due.kind).toBe('due');
    expect(fire(due.item, new Date('2026-03-26T12:00:00Z'))).toBeUndefined();
    expect(fire(due.item, at('2026-03-27'))?.kind).toBe('overdue');
    expect(fireAt({ ...due.item, state: 'overdue' })).toBeNull();
  });

  it('the process down for three days: each item fires once when it is back, no duplicates, nothing missed', () => {
    const rules = resolveRules(undefined, {
      'R-DRIEGESPREK': { cadence: { days: 14 }, grace: { days: 1 } },
    });
    const r = run([opened, movedIn], rules);
    // Running: ticks every hour until 17 March.
    let items = r.items;
    let fired: string[] = [];
    for (let t = at('2026-03-12').getTime(); t <= at('2026-03-17').getTime(); t += 3_600_000) {
      const x = tick(items, new Date(t));
      items = x.items;
      fired = fired.concat(x.fired);
    }
    expect(fired).toEqual([]);
    // Down from 17 to 20 March (the driegesprek of the 19th is due, and overdue from the 21st):
    const back = tick(items, at('2026-03-20', '08:00'));
    expect(back.fired).toEqual(['due:driegesprek']);
    // Hourly ticks again: nothing twice; the overdue comes once, on the 21st.
    items = back.items;
    fired = [];
    for (
      let t = at('2026-03-20', '09:00').getTime();
      t <= at('2026-03-23').getTime();
      t += 3_600_000
    ) {
      const x = tick(items, new Date(t));
      items = x.items;
      fired = fired.concat(x.fired);
    }
    expect(fired).toEqual(['overdue:driegesprek']);
  });

  it('down past both the due and the overdue instant: overdue is reported once, not due then overdue', () => {
    const d = run([opened, movedIn]).slot('driegesprek')!;
    const f = fire(d, at('2026-03-30'))!;
    expect(f.kind).toBe('overdue');
    expect(fire(f.item, at('2026-03-31'))).toBeUndefined();
  });

  it('a changed cadence moves an open item back to scheduled at its new date', () => {
    const r = run([opened, movedIn]);
    const due = tick(r.items, at('2026-03-19', '01:00')).items;
    const moved = run(
      [{ type: 'meeting', kind: 'review', on: '2026-03-19' }],
      resolveRules(undefined, { 'R-DRIEGESPREK': { first: { days: 10 } } }),
      { facts: r.facts, items: due },
    );
    expect(moved.slot('driegesprek')).toMatchObject({ state: 'scheduled', dueOn: '2026-03-22' });
  });
});

describe('handover: the receiving organisation is invited to the reviews', () => {
  it('invites it to every open item, and takes it off again', () => {
    const invited = run([
      opened,
      movedIn,
      { type: 'invite', organisationId: 'kliniek-vooruit', invited: true },
    ]);
    expect(invited.open.every((i) => i.invitedOrganisationIds.includes('kliniek-vooruit'))).toBe(
      true,
    );
    const scheduled = invited.events.filter(
      (e) => e.kind === 'scheduled' && e.reason === 'handover',
    );
    expect(scheduled.length).toBe(invited.open.length);
    const ended = run([
      opened,
      movedIn,
      { type: 'invite', organisationId: 'kliniek-vooruit', invited: true },
      { type: 'invite', organisationId: 'kliniek-vooruit', invited: false },
    ]);
    expect(ended.open.every((i) => i.invitedOrganisationIds.length === 0)).toBe(true);
  });
});

describe('handover completed: the reviews move to the receiving provider (ADR 0033)', () => {
  const invite: FactChange = { type: 'invite', organisationId: 'kliniek-vooruit', invited: true };
  const completed = (sendingOrganisationId: string): FactChange => ({
    type: 'handover-completed',
    sendingOrganisationId,
    receivingOrganisationId: 'kliniek-vooruit',
    receiverJoinsOn: '2026-03-15',
  });

  it('the sending provider hands its open items to the receiver, uninvited, with a reassessment', () => {
    const r = run([opened, movedIn, invite, completed('fz-de-brug')]);
    expect(r.open.length).toBeGreaterThan(0);
    for (const i of r.open) {
      expect(i).toMatchObject({ responsibleOrganisationId: 'kliniek-vooruit' });
      expect(i.invitedOrganisationIds).toEqual([]);
    }
    // R-RISK: a change of context → reassess within 14 days of the receiver joining.
    expect(r.slot('risk-reassessment')).toMatchObject({ dueOn: '2026-03-29' });
    const moved = r.events.filter(
      (e) => e.kind === 'scheduled' && e.item.responsibleOrganisationId === 'kliniek-vooruit',
    );
    expect(moved.every((e) => e.kind === 'scheduled' && e.reason === 'handover')).toBe(true);
  });

  it('without a known provider the receiver becomes it (prison → housing)', () => {
    const r = run([opened, invite, completed('pi-vught')]);
    expect(r.facts.providerOrganisationId).toBe('kliniek-vooruit');
    expect(r.open.map((i) => i.responsibleOrganisationId)).toEqual(
      r.open.map(() => 'kliniek-vooruit'),
    );
  });

  it("another organisation's handover leaves the provider and the coordinating party alone", () => {
    const plan: FactChange = {
      type: 'plan-versioned',
      on: '2026-03-20',
      definitive: true,
      coordinatingOrganisationId: 'zvh-noord',
      safetyPlan: false,
    };
    const r = run([opened, movedIn, plan, invite, completed('ambulant-team')]);
    expect(r.facts).toMatchObject({
      providerOrganisationId: 'fz-de-brug',
      coordinatingOrganisationId: 'zvh-noord',
    });
    expect(r.open.every((i) => i.responsibleOrganisationId === 'zvh-noord')).toBe(true);
    // The sending coordinating party is replaced by the receiver.
    const coordinated = run([
      opened,
      movedIn,
      { ...plan, coordinatingOrganisationId: 'fz-de-brug' },
      invite,
      completed('fz-de-brug'),
    ]);
    expect(coordinated.facts.coordinatingOrganisationId).toBe('kliniek-vooruit');
    expect(coordinated.open.every((i) => i.responsibleOrganisationId === 'kliniek-vooruit')).toBe(
      true,
    );
  });
});

describe('rule overrides', () => {
  it('refuses unknown rules, unknown settings and empty periods', () => {
    expect(overrideProblems({ 'R-DRIEGESPREK': { cadence: { days: 14 } } })).toEqual([]);
    expect(overrideProblems({ 'R-NOPE': {} })).toEqual(['R-NOPE: unknown rule']);
    expect(overrideProblems({ 'R-PLAN-6M': { cadense: { days: 1 } } })).toEqual([
      'R-PLAN-6M.cadense: unknown setting',
    ]);
    expect(overrideProblems({ 'R-PLAN-6M': { cadence: { days: 0 } } })).toHaveLength(1);
    expect(overrideProblems({ 'R-TITLE-END': { leadTimesDays: [] } })).toHaveLength(1);
    expect(overrideProblems([])).toEqual(['not an object']);
  });

  it('keeps the defaults of settings an override leaves out', () => {
    const r = resolveRules({ 'R-DRIEGESPREK': { cadence: { days: 14 } } }, undefined);
    expect(r['R-DRIEGESPREK']).toEqual({
      ...RULE_DEFAULTS['R-DRIEGESPREK'],
      cadence: { days: 14 },
    });
    expect(deriveSchedule(emptyFacts(T), r)).toEqual([]);
  });
});
