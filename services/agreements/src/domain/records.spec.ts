import { validatePayload } from '@ketenlink/contracts';
import { activate, type Agreement, draft, sign, terminate } from './agreement';
import {
  CLIENT,
  CONDITION_ABSTINENCE,
  CONDITION_LOCATION_BAN,
  officer,
  partiesFor,
  termsFor,
  TRIGGER_URINE,
  worker,
} from './fixtures';
import {
  acknowledge,
  detectAcknowledgementOverdue,
  detectReportOverdue,
  inspectorateDeadline,
  raiseNotification,
  recordIncident,
  recordViolation,
  reportToInspectorate,
} from './records';

const T = '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11';
const PROBATION = 'reclassering-noord';
const PROVIDER = 'fz-de-brug';
const N = 'd00dfeed-3333-4d44-8e55-6f66a77b88c9';
const parties = partiesFor(PROBATION, PROVIDER);
const t0 = new Date('2026-12-08T10:00:00Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000);
const by = { organisationId: PROVIDER, role: 'support-worker' };
const officerActor = { organisationId: PROBATION, role: 'probation-officer' };
const policy = { urgentAcknowledgementMinutes: 60, inspectorateWorkingDays: 3 };

function active(): Agreement {
  let a = draft(
    {
      id: 'a1b2c3d4-0000-4e5f-8a9b-0c1d2e3f4a5b',
      trajectoryId: T,
      parties,
      terms: termsFor(parties),
      by: officer(PROBATION),
    },
    t0,
  ).agreement;
  for (const actor of [officer(PROBATION), worker(PROVIDER), CLIENT])
    a = sign(a, 1, actor, t0).agreement;
  return activate(a, t0).agreement;
}
const valid = (events: readonly { type: string; data: unknown }[]) =>
  events.map((e) => validatePayload(e.type, e.data)).filter((r) => !r.ok);

describe('notifications (R-NOTIFY)', () => {
  const urine = {
    id: N,
    kind: 'positive-urine-check' as const,
    urgency: 'urgent' as const,
    triggerId: TRIGGER_URINE,
    cause: 'Positive for cocaine',
    agreedWithClient: 'Extra check',
    clientInformed: true,
    by,
  };

  it('names its condition (through the trigger), gets a due time when urgent, reaches the officer', () => {
    const r = raiseNotification(active(), urine, t0, policy);
    expect(r.notification.condition).toMatchObject({
      conditionId: CONDITION_ABSTINENCE,
      type: 'abstinence',
    });
    expect(r.notification.acknowledgementDueAt).toEqual(at(60));
    expect(r.events[0]).toMatchObject({
      type: 'nl.ketenlink.notification.raised.v1',
      data: {
        probationOrganisationId: PROBATION,
        condition: { conditionId: CONDITION_ABSTINENCE },
        urgency: 'urgent',
        clientInformed: true,
      },
    });
    expect(valid(r.events)).toEqual([]);
  });

  it('good news is a notification too, never urgent', () => {
    const ok = raiseNotification(
      active(),
      {
        id: N,
        kind: 'progress',
        urgency: 'routine',
        cause: 'Found a job',
        clientInformed: true,
        by,
      },
      t0,
      policy,
    );
    expect(ok.notification.acknowledgementDueAt).toBeUndefined();
    expect(() =>
      raiseNotification(
        active(),
        { id: N, kind: 'progress', urgency: 'urgent', cause: 'x', clientInformed: true, by },
        t0,
        policy,
      ),
    ).toThrow(expect.objectContaining({ code: 'progress-not-urgent' }));
  });

  it('refuses: no agreement in force, an unknown condition or trigger, a violation without condition, a non-provider', () => {
    const d = draft(
      {
        id: 'a1b2c3d4-0000-4e5f-8a9b-0c1d2e3f4a5b',
        trajectoryId: T,
        parties,
        terms: termsFor(parties),
        by: officer(PROBATION),
      },
      t0,
    ).agreement;
    expect(() => raiseNotification(d, urine, t0)).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'agreement-not-in-force' }),
    );
    const ended = terminate(active(), { reason: 'other', on: '2026-12-09' }, t0).agreement;
    expect(() => raiseNotification(ended, urine, t0)).toThrow(
      expect.objectContaining({ code: 'agreement-not-in-force' }),
    );
    expect(() =>
      raiseNotification(
        active(),
        { ...urine, triggerId: undefined, conditionId: '99999999-9999-4999-8999-999999999999' },
        t0,
      ),
    ).toThrow(expect.objectContaining({ kind: 'unprocessable', code: 'unknown-condition' }));
    expect(() =>
      raiseNotification(
        active(),
        { ...urine, triggerId: '99999999-9999-4999-8999-999999999999' },
        t0,
      ),
    ).toThrow(expect.objectContaining({ code: 'unknown-trigger' }));
    expect(() =>
      raiseNotification(
        active(),
        { ...urine, kind: 'condition-violation', triggerId: undefined },
        t0,
      ),
    ).toThrow(expect.objectContaining({ code: 'condition-required' }));
    expect(() => raiseNotification(active(), { ...urine, by: officerActor }, t0)).toThrow(
      expect.objectContaining({ code: 'not-the-provider' }),
    );
  });

  it('the officer acknowledges once; overdue is detected once, only for urgent unacknowledged ones past due', () => {
    const { notification: n } = raiseNotification(active(), urine, t0, policy);
    expect(() => acknowledge(n, by, at(1))).toThrow(
      expect.objectContaining({ code: 'not-the-officer' }),
    );
    const acked = acknowledge(n, officerActor, at(5), 'Calling today');
    expect(valid(acked.events)).toEqual([]);
    expect(() => acknowledge(acked.notification, officerActor, at(6))).toThrow(
      expect.objectContaining({ code: 'already-acknowledged' }),
    );
    expect(detectAcknowledgementOverdue(acked.notification, at(120)).events).toEqual([]);

    expect(detectAcknowledgementOverdue(n, at(59)).events).toEqual([]);
    const overdue = detectAcknowledgementOverdue(n, at(60));
    expect(overdue.events.map((e) => e.type)).toEqual([
      'nl.ketenlink.notification.acknowledgement-overdue.v1',
    ]);
    expect(overdue.events[0]!.data).toMatchObject({
      condition: { conditionId: CONDITION_ABSTINENCE },
    });
    expect(valid(overdue.events)).toEqual([]);
    expect(detectAcknowledgementOverdue(overdue.notification, at(200)).events).toEqual([]);
    const routine = raiseNotification(
      active(),
      { ...urine, urgency: 'routine' },
      t0,
      policy,
    ).notification;
    expect(detectAcknowledgementOverdue(routine, at(10_000)).events).toEqual([]);
  });
});

describe('violations with consequences', () => {
  const input = {
    id: 'e1e2e3e4-4444-4e55-9f66-7a77b88c99da',
    conditionId: CONDITION_LOCATION_BAN,
    description: 'Seen in the centre',
    occurredOn: '2026-12-07',
    consequence: {
      kind: 'visiting-ban' as const,
      decidedBy: 'provider' as const,
      from: '2026-12-08',
      until: '2027-01-08',
    },
    by,
  };
  it('records a violation of a named condition with its consequence', () => {
    const r = recordViolation(active(), input, t0);
    expect(r.violation.condition).toMatchObject({
      conditionId: CONDITION_LOCATION_BAN,
      type: 'location-ban',
    });
    expect(valid(r.events)).toEqual([]);
  });
  it('refuses a return to prison not decided by the authority, a reversed period, an unknown condition, the future', () => {
    expect(() =>
      recordViolation(
        active(),
        { ...input, consequence: { kind: 'return-to-prison', decidedBy: 'provider' } },
        t0,
      ),
    ).toThrow(expect.objectContaining({ code: 'authority-required' }));
    expect(() =>
      recordViolation(
        active(),
        { ...input, consequence: { ...input.consequence, until: '2026-12-01' } },
        t0,
      ),
    ).toThrow(expect.objectContaining({ code: 'invalid-period' }));
    expect(() =>
      recordViolation(
        active(),
        { ...input, conditionId: '99999999-9999-4999-8999-999999999999' },
        t0,
      ),
    ).toThrow(expect.objectContaining({ code: 'unknown-condition' }));
    expect(() => recordViolation(active(), { ...input, occurredOn: '2026-12-09' }, t0)).toThrow(
      expect.objectContaining({ code: 'in-the-future' }),
    );
    expect(() =>
      recordViolation(
        active(),
        { ...input, by: { organisationId: 'other', role: 'support-worker' } },
        t0,
      ),
    ).toThrow(expect.objectContaining({ code: 'not-a-party' }));
  });
});

describe('incidents (R-INCIDENT)', () => {
  const I = 'f1f2f3f4-5555-4f66-8a77-8b88c99daaeb';
  const base = {
    id: I,
    trajectoryId: T,
    kind: 'serious-violence' as const,
    occurredAt: at(-60),
    description: 'Threatened a co-resident',
    by,
  };

  it('a reportable kind carries the inspectorate duty: end of the 3rd working day (libs/dates, holidays)', () => {
    // Tue 8 Dec 2026 → Wed, Thu, Fri: due at the start of Sat 12 Dec, Amsterdam time
    expect(inspectorateDeadline(t0, policy).toISOString()).toBe('2026-12-11T23:00:00.000Z');
    // Wed 23 Dec 2026: Thu 24, (Fri 25 Christmas, weekend), Mon 28, Tue 29 → due start of Wed 30
    expect(inspectorateDeadline(new Date('2026-12-23T10:00:00Z'), policy).toISOString()).toBe(
      '2026-12-29T23:00:00.000Z',
    );
    const r = recordIncident(base, t0, policy);
    expect(r.incident).toMatchObject({
      reportable: true,
      inspectorateDeadline: new Date('2026-12-11T23:00:00.000Z'),
    });
    expect(valid(r.events)).toEqual([]);
  });

  it('other incidents are reportable only when marked; a listed kind cannot be unmarked', () => {
    expect(recordIncident({ ...base, kind: 'other' }, t0, policy).incident).toMatchObject({
      reportable: false,
    });
    expect(
      recordIncident({ ...base, kind: 'other', reportable: true }, t0, policy).incident.reportable,
    ).toBe(true);
    expect(() => recordIncident({ ...base, reportable: false }, t0, policy)).toThrow(
      expect.objectContaining({ code: 'reportable-kind' }),
    );
    expect(() => recordIncident({ ...base, occurredAt: at(5) }, t0, policy)).toThrow(
      expect.objectContaining({ code: 'in-the-future' }),
    );
  });

  it('reported in time, or flagged once when the deadline passes', () => {
    const { incident } = recordIncident(base, t0, policy);
    const deadline = incident.inspectorateDeadline!;
    const before = new Date(deadline.getTime() - 1);
    expect(detectReportOverdue(incident, before).events).toEqual([]);
    const overdue = detectReportOverdue(incident, deadline);
    expect(overdue.events.map((e) => e.type)).toEqual(['nl.ketenlink.incident.report-overdue.v1']);
    expect(valid(overdue.events)).toEqual([]);
    expect(
      detectReportOverdue(overdue.incident, new Date(deadline.getTime() + 1e9)).events,
    ).toEqual([]);

    const reported = reportToInspectorate(incident, by, before, 'IGJ-1');
    expect(reported.incident.reported).toMatchObject({ late: false, reference: 'IGJ-1' });
    expect(detectReportOverdue(reported.incident, deadline).events).toEqual([]);
    expect(reportToInspectorate(incident, by, deadline).incident.reported?.late).toBe(true);
    expect(() => reportToInspectorate(reported.incident, by, deadline)).toThrow(
      expect.objectContaining({ code: 'already-reported' }),
    );
    const other = recordIncident({ ...base, kind: 'other' }, t0, policy).incident;
    expect(() => reportToInspectorate(other, by, t0)).toThrow(
      expect.objectContaining({ code: 'not-reportable' }),
    );
  });
});
