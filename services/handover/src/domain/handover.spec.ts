import { validatePayload } from '@ketenlink/contracts';
import {
  accept,
  cancel,
  COMMANDS,
  complete,
  decline,
  detectOverdue,
  HANDOVER_STATUSES,
  type Handover,
  type HandoverCommand,
  type HandoverStatus,
  packageWindow,
  recordClosingReport,
  recordMeeting,
  requestHandover,
  scheduleMeeting,
  type Transition,
} from './handover';

const NOW = new Date('2026-03-02T09:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const HOUR = 3_600_000;
const SENDER = { organisationId: 'pi-vught' };
const RECEIVER = { organisationId: 'fz-de-brug' };
const OTHER = { organisationId: 'ggz-oost' };

const requested = (): Handover =>
  requestHandover({
    id: '00000000-0000-4000-8000-000000000001',
    trajectoryId: '00000000-0000-4000-8000-0000000000aa',
    kind: 'prison-to-housing',
    sendingOrganisationId: SENDER.organisationId,
    sendingRole: 'referrer',
    receivingOrganisationId: RECEIVER.organisationId,
    reason: 'Release on 1 April; the client chose the region of De Brug.',
    plannedDate: '2026-04-01',
    now: NOW,
    responseWithinMs: 5 * 24 * HOUR,
  }).handover;

const report = {
  risks: 'Relapse under stress',
  whatWorks: 'Clear day structure',
  whyEnded: 'Release',
};

/** A handover in each status, reached through the commands themselves. */
function inStatus(status: HandoverStatus): Handover {
  const r = requested();
  switch (status) {
    case 'requested':
      return r;
    case 'declined':
      return decline(r, RECEIVER, { reasonCode: 'no-capacity' }, NOW).handover;
    case 'cancelled':
      return cancel(r, SENDER, 'Stays in prison', NOW).handover;
    default:
      break;
  }
  const accepted = recordClosingReport(
    accept(r, RECEIVER, NOW).handover,
    SENDER,
    report,
    NOW,
  ).handover;
  if (status === 'accepted') return accepted;
  const scheduled = scheduleMeeting(
    accepted,
    SENDER,
    { meetingAt: later(HOUR), clientInvited: true, probationOrganisationId: 'reclassering-zuid' },
    NOW,
  ).handover;
  if (status === 'meeting-scheduled') return scheduled;
  const held = recordMeeting(
    scheduled,
    RECEIVER,
    { heldAt: later(HOUR), clientPresent: true, receiverPresent: true, probationPresent: true },
    later(2 * HOUR),
  ).handover;
  if (status === 'meeting-held') return held;
  return complete(held, SENDER, { senderLeavesOn: '2026-03-16' }, later(3 * HOUR)).handover;
}

/** Runs a command as its rightful party, with valid input. */
const RUN: Record<HandoverCommand, (h: Handover) => Transition> = {
  accept: (h) => accept(h, RECEIVER, NOW),
  decline: (h) => decline(h, RECEIVER, { reasonCode: 'risk-too-high' }, NOW),
  'schedule-meeting': (h) =>
    scheduleMeeting(h, SENDER, { meetingAt: later(HOUR), clientInvited: true }, NOW),
  'record-meeting': (h) =>
    recordMeeting(
      h,
      RECEIVER,
      { heldAt: NOW, clientPresent: true, receiverPresent: true, probationPresent: false },
      NOW,
    ),
  'record-closing-report': (h) => recordClosingReport(h, SENDER, report, NOW),
  complete: (h) => complete(h, SENDER, { senderLeavesOn: '2026-03-10' }, NOW),
  cancel: (h) => cancel(h, SENDER, undefined, NOW),
};

const validAll = (t: Transition) =>
  t.events.map((e) => validatePayload(e.type, e.data)).filter((v) => !v.ok);

describe('handover state machine (R-HANDOVER)', () => {
  it('a request names both organisations and the deadline, and validates against its schema', () => {
    const t = requestHandover({
      id: '00000000-0000-4000-8000-000000000001',
      trajectoryId: '00000000-0000-4000-8000-0000000000aa',
      kind: 'end-of-title-follow-on',
      followOnCare: 'wmo',
      sendingOrganisationId: 'fz-de-brug',
      sendingRole: 'provider',
      receivingOrganisationId: 'wijkteam-oost',
      reason: 'Title ends',
      plannedDate: '2026-03-02',
      now: NOW,
      responseWithinMs: HOUR,
    });
    expect(t.handover.status).toBe('requested');
    expect(t.events).toEqual([
      expect.objectContaining({
        type: 'nl.ketenlink.handover.requested.v1',
        data: expect.objectContaining({
          receivingOrganisationId: 'wijkteam-oost',
          followOnCare: 'wmo',
          responseDueAt: later(HOUR).toISOString(),
        }),
      }),
    ]);
    expect(validAll(t)).toEqual([]);
  });

  it.each([
    ['receiver-is-sender', { receivingOrganisationId: SENDER.organisationId }],
    ['planned-date-in-past', { plannedDate: '2026-03-01' }],
    ['planned-date-in-past', { plannedDate: '1 April' }],
    ['follow-on-care-missing', { kind: 'end-of-title-follow-on' as const }],
    ['follow-on-care-misplaced', { followOnCare: 'zvw' as const }],
    ['invalid-text', { reason: '   ' }],
  ])('refuses a request: %s', (code, change) => {
    expect(() =>
      requestHandover({
        id: '00000000-0000-4000-8000-000000000001',
        trajectoryId: '00000000-0000-4000-8000-0000000000aa',
        kind: 'prison-to-housing',
        sendingOrganisationId: SENDER.organisationId,
        sendingRole: 'referrer',
        receivingOrganisationId: RECEIVER.organisationId,
        reason: 'x',
        plannedDate: '2026-04-01',
        now: NOW,
        responseWithinMs: HOUR,
        ...change,
      }),
    ).toThrow(expect.objectContaining({ kind: 'unprocessable', code }));
  });

  it('walks requested → accepted → meeting scheduled → meeting held (warm) → completed', () => {
    const done = inStatus('completed');
    expect(done).toMatchObject({
      status: 'completed',
      meetingHeld: { warm: true },
      completion: { receiverJoinsOn: '2026-03-02', senderLeavesOn: '2026-03-16' },
    });
    const held = inStatus('meeting-held');
    const t = complete(held, SENDER, { senderLeavesOn: '2026-03-16' }, NOW);
    expect(t.events[0]).toEqual({
      type: 'nl.ketenlink.handover.completed.v1',
      data: expect.objectContaining({
        sendingOrganisationId: 'pi-vught',
        sendingRole: 'referrer',
        receivingOrganisationId: 'fz-de-brug',
        receivingRole: 'provider',
        senderLeavesOn: '2026-03-16',
        warm: true,
      }),
    });
    expect(validAll(t)).toEqual([]);
  });

  it('a meeting without the client in person is held but not warm, and can be rescheduled', () => {
    const scheduled = inStatus('meeting-scheduled');
    const cold = recordMeeting(
      scheduled,
      SENDER,
      { heldAt: NOW, clientPresent: false, receiverPresent: true, probationPresent: true },
      NOW,
    );
    expect(cold.handover.meetingHeld?.warm).toBe(false);
    expect(validAll(cold)).toEqual([]);
    const again = scheduleMeeting(
      cold.handover,
      RECEIVER,
      { meetingAt: later(HOUR), clientInvited: true },
      NOW,
    );
    expect(again.handover.status).toBe('meeting-scheduled');
    expect(again.handover.meetingHeld).toBeUndefined();
  });

  it('a warm meeting is not rescheduled', () => {
    expect(() => RUN['schedule-meeting'](inStatus('meeting-held'))).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'meeting-already-warm' }),
    );
  });

  it('declines with a reason; "other" must explain itself', () => {
    const t = decline(requested(), RECEIVER, { reasonCode: 'other', reasonText: 'Region' }, NOW);
    expect(t.handover.status).toBe('declined');
    expect(validAll(t)).toEqual([]);
    expect(() => decline(requested(), RECEIVER, { reasonCode: 'other' }, NOW)).toThrow(
      expect.objectContaining({ code: 'reason-text-missing' }),
    );
  });

  // Every command from every status: allowed exactly where COMMANDS says, else 409 and unchanged.
  const cases = (Object.keys(COMMANDS) as HandoverCommand[]).flatMap((command) =>
    HANDOVER_STATUSES.map((status) => [command, status] as const),
  );
  it.each(cases)('%s from %s', (command, status) => {
    const h = inStatus(status);
    const before = structuredClone(h);
    const allowed = (COMMANDS[command].from as readonly HandoverStatus[]).includes(status);
    const warmAlready = command === 'schedule-meeting' && status === 'meeting-held';
    if (allowed && !warmAlready) {
      const t = RUN[command](h);
      expect(validAll(t)).toEqual([]);
    } else {
      expect(() => RUN[command](h)).toThrow(expect.objectContaining({ kind: 'conflict' }));
    }
    expect(h).toEqual(before);
  });

  it('refuses completion before acceptance, and cancellation after completion (409)', () => {
    expect(() => RUN.complete(inStatus('requested'))).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'illegal-handover-transition' }),
    );
    expect(() => RUN.cancel(inStatus('completed'))).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'illegal-handover-transition' }),
    );
  });

  it.each([
    ['accept', SENDER, (h: Handover, by: typeof SENDER) => accept(h, by, NOW)],
    ['accept', OTHER, (h: Handover, by: typeof SENDER) => accept(h, by, NOW)],
    [
      'decline',
      SENDER,
      (h: Handover, by: typeof SENDER) => decline(h, by, { reasonCode: 'no-capacity' }, NOW),
    ],
    ['cancel', RECEIVER, (h: Handover, by: typeof SENDER) => cancel(h, by, undefined, NOW)],
  ])('refuses %s by %o: not its side (409), nothing changed', (_c, by, run) => {
    const h = requested();
    const before = structuredClone(h);
    expect(() => run(h, by)).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'wrong-handover-party' }),
    );
    expect(h).toEqual(before);
  });

  it('refuses completion by the receiver, and completion without a closing report', () => {
    const held = inStatus('meeting-held');
    expect(() => complete(held, RECEIVER, { senderLeavesOn: '2026-03-10' }, NOW)).toThrow(
      expect.objectContaining({ code: 'wrong-handover-party' }),
    );
    const { closingReport: _r, ...noReport } = held;
    expect(() => complete(noReport, SENDER, { senderLeavesOn: '2026-03-10' }, NOW)).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'closing-report-missing' }),
    );
  });

  it.each([
    ['join-date-in-past', { receiverJoinsOn: '2026-03-01', senderLeavesOn: '2026-03-10' }],
    ['leave-before-join', { receiverJoinsOn: '2026-03-05', senderLeavesOn: '2026-03-04' }],
    ['leave-before-join', { senderLeavesOn: 'soon' }],
  ])('refuses completion dates: %s', (code, input) => {
    expect(() => complete(inStatus('meeting-held'), SENDER, input, NOW)).toThrow(
      expect.objectContaining({ kind: 'unprocessable', code }),
    );
  });

  it('refuses a meeting that does not invite the client or lies in the past', () => {
    const a = inStatus('accepted');
    expect(() =>
      scheduleMeeting(a, SENDER, { meetingAt: later(HOUR), clientInvited: false }, NOW),
    ).toThrow(expect.objectContaining({ code: 'client-not-invited' }));
    expect(() => scheduleMeeting(a, SENDER, { meetingAt: NOW, clientInvited: true }, NOW)).toThrow(
      expect.objectContaining({ code: 'meeting-in-past' }),
    );
    expect(() =>
      recordMeeting(
        inStatus('meeting-scheduled'),
        SENDER,
        { heldAt: later(HOUR), clientPresent: true, receiverPresent: true, probationPresent: true },
        NOW,
      ),
    ).toThrow(expect.objectContaining({ code: 'meeting-not-yet-held' }));
  });

  it('raises overdue once, only for an unanswered request past its deadline', () => {
    const h = requested();
    expect(detectOverdue(h, later(5 * 24 * HOUR - 1)).events).toEqual([]);
    const t = detectOverdue(h, later(5 * 24 * HOUR));
    expect(t.events.map((e) => e.type)).toEqual(['nl.ketenlink.handover.overdue.v1']);
    expect(validAll(t)).toEqual([]);
    expect(detectOverdue(t.handover, later(6 * 24 * HOUR)).events).toEqual([]);
    expect(detectOverdue(inStatus('accepted'), later(9 * 24 * HOUR)).events).toEqual([]);
  });

  it('opens the package window at acceptance and closes it at cancellation or participation', () => {
    expect(packageWindow(requested())).toBeUndefined();
    expect(packageWindow(inStatus('accepted'))).toEqual({ from: NOW });
    const accepted = inStatus('accepted');
    const cancelled = cancel(accepted, SENDER, undefined, later(HOUR)).handover;
    expect(packageWindow(cancelled)).toEqual({ from: NOW, until: later(HOUR) });
    const done = complete(
      inStatus('meeting-held'),
      SENDER,
      { receiverJoinsOn: '2026-03-09', senderLeavesOn: '2026-03-20' },
      NOW,
    ).handover;
    // 9 March 00:00 in Amsterdam (CET)
    expect(packageWindow(done)).toEqual({ from: NOW, until: new Date('2026-03-08T23:00:00Z') });
  });
});
