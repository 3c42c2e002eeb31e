import {
  checkProgressNote,
  nextPlanVersion,
  planOfGoal,
  type PlanVersion,
  RecordRefusedError,
} from './records';

/** R-PROGRESS: a note names a goal of the current plan version; the periodic report is made with the client. */
const GOAL_A = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const GOAL_B = '4a2d3b5f-6c7e-4f80-9a1b-2c3d4e5f6a7b';
const goal = (goalId: string) => ({
  goalId,
  description: 'Keep a daytime activity.',
  ownerOrganisationId: 'fz-de-brug',
  targetDate: '2026-09-01',
});
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof RecordRefusedError ? { code: e.code, kind: e.kind } : e;
  }
  return undefined;
};

describe('planOfGoal (R-PROGRESS)', () => {
  const latest = [
    { planId: 'plan-1', version: 3, goals: [goal(GOAL_A)] },
    { planId: 'plan-2', version: 1, goals: [goal(GOAL_B)] },
  ];
  it('finds the plan and current version that hold the goal (stapelzorg: any plan)', () => {
    expect(planOfGoal(latest, GOAL_A)).toEqual({ planId: 'plan-1', planVersion: 3 });
    expect(planOfGoal(latest, GOAL_B)).toEqual({ planId: 'plan-2', planVersion: 1 });
  });
  it('refuses a goal no current version names (422)', () => {
    const gone = [{ planId: 'plan-1', version: 4, goals: [goal(GOAL_B)] }];
    expect(refusal(() => planOfGoal(gone, GOAL_A))).toEqual({
      code: 'unknown-goal',
      kind: 'unprocessable',
    });
    expect(refusal(() => planOfGoal([], GOAL_A))).toMatchObject({ code: 'unknown-goal' });
  });
});

describe('checkProgressNote (R-PROGRESS)', () => {
  const note = { notedOn: '2026-06-20', periodicReport: false, clientTookPart: false };
  it('accepts a plain note and a periodic report the client took part in', () => {
    expect(refusal(() => checkProgressNote(note, '2026-06-20'))).toBeUndefined();
    expect(
      refusal(() =>
        checkProgressNote(
          { ...note, periodicReport: true, clientTookPart: true, clientWords: 'Going well.' },
          '2026-06-21',
        ),
      ),
    ).toBeUndefined();
  });
  it('refuses a periodic report without the client, words without the client, a future date', () => {
    expect(
      refusal(() => checkProgressNote({ ...note, periodicReport: true }, '2026-06-20')),
    ).toEqual({ code: 'client-not-involved', kind: 'unprocessable' });
    expect(
      refusal(() => checkProgressNote({ ...note, clientWords: 'Fine.' }, '2026-06-20')),
    ).toMatchObject({ code: 'client-not-involved' });
    expect(refusal(() => checkProgressNote(note, '2026-06-19'))).toEqual({
      code: 'dates-out-of-order',
      kind: 'unprocessable',
    });
  });
});

describe('nextPlanVersion: one plan per organisation per trajectory', () => {
  const PLAN = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const latest = [
    {
      planId: PLAN,
      version: 2,
      ownerOrganisationId: 'fz-de-brug',
      coordinatingOrganisationId: 'fz-de-brug',
    },
  ] as unknown as PlanVersion[];
  const v = (planId: string, owner = 'fz-de-brug') => ({
    planId,
    ownerOrganisationId: owner,
    coordinatingOrganisationId: 'fz-de-brug',
  });

  it("versions the organisation's plan on; a first plan of another organisation is version 1", () => {
    expect(nextPlanVersion(latest, v(PLAN))).toBe(3);
    expect(nextPlanVersion(latest, v('8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e', 'reclassering'))).toBe(
      1,
    );
  });

  it("refuses a second plan of the same organisation (409 plan-exists) and another's plan", () => {
    expect(
      refusal(() => nextPlanVersion(latest, v('8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e'))),
    ).toEqual({ code: 'plan-exists', kind: 'conflict' });
    expect(refusal(() => nextPlanVersion(latest, v(PLAN, 'reclassering')))).toEqual({
      code: 'not-plan-owner',
      kind: 'conflict',
    });
  });
});
