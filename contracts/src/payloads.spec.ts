import { EVENT_TYPES, type EventType } from '../generated/events';
import { SAMPLES, TRAJECTORY_ID } from './__fixtures__/samples';
import { validatePayload } from './registry';

const without = (o: object, ...keys: string[]): Record<string, unknown> => {
  const copy: Record<string, unknown> = structuredClone(o) as Record<string, unknown>;
  for (const k of keys) delete copy[k];
  return copy;
};
const withFields = (o: object, fields: Record<string, unknown>): Record<string, unknown> => ({
  ...(structuredClone(o) as Record<string, unknown>),
  ...fields,
});

describe('valid payloads', () => {
  it.each(EVENT_TYPES.map((t) => [t]))('%s: the full sample validates', (type) => {
    expect(validatePayload(type, SAMPLES[type])).toEqual({ ok: true });
  });

  const minimal: Array<[EventType, Record<string, unknown>]> = [
    [
      'nl.ketenlink.trajectory.opened.v1',
      without(SAMPLES['nl.ketenlink.trajectory.opened.v1'], 'region'),
    ],
    [
      'nl.ketenlink.trajectory.participant-joined.v1',
      without(SAMPLES['nl.ketenlink.trajectory.participant-joined.v1'], 'until'),
    ],
    [
      'nl.ketenlink.title.registered.v1',
      without(SAMPLES['nl.ketenlink.title.registered.v1'], 'conditions'),
    ],
    [
      'nl.ketenlink.title.registered.v1',
      withFields(SAMPLES['nl.ketenlink.title.registered.v1'], { conditions: [] }),
    ],
    [
      'nl.ketenlink.title.changed.v1',
      without(SAMPLES['nl.ketenlink.title.changed.v1'], 'conditions'),
    ],
    [
      'nl.ketenlink.consent.granted.v1',
      without(SAMPLES['nl.ketenlink.consent.granted.v1'], 'validUntil'),
    ],
    [
      'nl.ketenlink.consent.granted.v1',
      withFields(SAMPLES['nl.ketenlink.consent.granted.v1'], {
        recipient: { kind: 'class', id: 'probation' },
        legalBasis: 'covenant',
      }),
    ],
  ];
  it.each(minimal)('%s: optional fields may be left out', (type, data) => {
    expect(validatePayload(type, data)).toEqual({ ok: true });
  });
});

describe('invalid payloads', () => {
  const S = SAMPLES;
  const cases: Array<[string, EventType, unknown, string]> = [
    ['not an object', 'nl.ketenlink.trajectory.opened.v1', 'opened', '/ must be object'],
    [
      'missing openedBy',
      'nl.ketenlink.trajectory.opened.v1',
      without(S['nl.ketenlink.trajectory.opened.v1'], 'openedBy'),
      "/ must have required property 'openedBy'",
    ],
    [
      'identity smuggled in',
      'nl.ketenlink.trajectory.opened.v1',
      withFields(S['nl.ketenlink.trajectory.opened.v1'], { bsn: '123456782' }),
      "/ must NOT have additional properties: 'bsn'",
    ],
    [
      'trajectory id not a uuid',
      'nl.ketenlink.trajectory.opened.v1',
      withFields(S['nl.ketenlink.trajectory.opened.v1'], { trajectoryId: 'T-1' }),
      '/trajectoryId must match format "uuid"',
    ],
    [
      'openedAt without zone',
      'nl.ketenlink.trajectory.opened.v1',
      withFields(S['nl.ketenlink.trajectory.opened.v1'], { openedAt: '2025-03-01 09:30' }),
      '/openedAt must match format "date-time"',
    ],
    [
      'opener role',
      'nl.ketenlink.trajectory.opened.v1',
      withFields(S['nl.ketenlink.trajectory.opened.v1'], {
        openedBy: { organisationId: 'x', role: 'provider' },
      }),
      '/openedBy/role must be equal to one of the allowed values: referrer, coordinator',
    ],
    [
      'organisation id not topic-safe',
      'nl.ketenlink.trajectory.participant-joined.v1',
      withFields(S['nl.ketenlink.trajectory.participant-joined.v1'], { organisationId: 'De Brug' }),
      '/organisationId must match pattern',
    ],
    [
      'participant role',
      'nl.ketenlink.trajectory.participant-joined.v1',
      withFields(S['nl.ketenlink.trajectory.participant-joined.v1'], { role: 'relative' }),
      '/role must be equal to one of the allowed values: provider, probation, zvh, referrer, receiving-provider',
    ],
    [
      'from is a date',
      'nl.ketenlink.trajectory.participant-joined.v1',
      withFields(S['nl.ketenlink.trajectory.participant-joined.v1'], { from: '2025-02-30' }),
      '/from must match format "date"',
    ],
    [
      'left without at',
      'nl.ketenlink.trajectory.participant-left.v1',
      without(S['nl.ketenlink.trajectory.participant-left.v1'], 'at'),
      "/ must have required property 'at'",
    ],
    [
      'title kind',
      'nl.ketenlink.title.registered.v1',
      withFields(S['nl.ketenlink.title.registered.v1'], { kind: 'tbs' }),
      '/kind must be equal to one of the allowed values',
    ],
    [
      'condition type',
      'nl.ketenlink.title.registered.v1',
      withFields(S['nl.ketenlink.title.registered.v1'], {
        conditions: [{ type: 'curfew', description: 'x' }],
      }),
      '/conditions/0/type must be equal to one of the allowed values',
    ],
    [
      'condition extra field',
      'nl.ketenlink.title.registered.v1',
      withFields(S['nl.ketenlink.title.registered.v1'], {
        conditions: [{ type: 'other', description: 'x', note: 'y' }],
      }),
      "/conditions/0 must NOT have additional properties: 'note'",
    ],
    [
      'registered without expected end',
      'nl.ketenlink.title.registered.v1',
      without(S['nl.ketenlink.title.registered.v1'], 'expectedEndDate'),
      "/ must have required property 'expectedEndDate'",
    ],
    [
      'changed without effectiveFrom',
      'nl.ketenlink.title.changed.v1',
      without(S['nl.ketenlink.title.changed.v1'], 'effectiveFrom'),
      "/ must have required property 'effectiveFrom'",
    ],
    [
      'end reason',
      'nl.ketenlink.title.ended.v1',
      withFields(S['nl.ketenlink.title.ended.v1'], { reason: 'pardoned' }),
      '/reason must be equal to one of the allowed values: expired, ended-early-hearing, revoked, other',
    ],
    [
      'consent category unknown',
      'nl.ketenlink.consent.granted.v1',
      withFields(S['nl.ketenlink.consent.granted.v1'], { categories: ['gossip'] }),
      '/categories/0 must be equal to one of the allowed values',
    ],
    [
      'consent categories empty',
      'nl.ketenlink.consent.granted.v1',
      withFields(S['nl.ketenlink.consent.granted.v1'], { categories: [] }),
      '/categories must NOT have fewer than 1 items',
    ],
    [
      'consent categories repeated',
      'nl.ketenlink.consent.granted.v1',
      withFields(S['nl.ketenlink.consent.granted.v1'], { categories: ['risk', 'risk'] }),
      '/categories must NOT have duplicate items',
    ],
    [
      'legal basis',
      'nl.ketenlink.consent.granted.v1',
      withFields(S['nl.ketenlink.consent.granted.v1'], { legalBasis: 'because' }),
      '/legalBasis must be equal to one of the allowed values: consent, legal-duty, covenant',
    ],
    [
      'recipient kind',
      'nl.ketenlink.consent.granted.v1',
      withFields(S['nl.ketenlink.consent.granted.v1'], { recipient: { kind: 'person', id: 'x' } }),
      '/recipient/kind must be equal to one of the allowed values: organisation, class',
    ],
    [
      'revoked without time',
      'nl.ketenlink.consent.revoked.v1',
      without(S['nl.ketenlink.consent.revoked.v1'], 'revokedAt'),
      "/ must have required property 'revokedAt'",
    ],
  ];

  it.each(cases)('%s', (_name, type, data, expected) => {
    const result = validatePayload(type, data);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toContain(expected);
  });

  it('lists every problem, one readable line each', () => {
    const result = validatePayload('nl.ketenlink.trajectory.opened.v1', {
      trajectoryId: 'x',
      extra: 1,
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        "/ must have required property 'openedAt'",
        "/ must have required property 'openedBy'",
        "/ must NOT have additional properties: 'extra'",
        '/trajectoryId must match format "uuid"',
      ],
    });
  });

  it('an unknown or malformed type is an error, not an exception', () => {
    expect(
      validatePayload('nl.ketenlink.trajectory.closed.v1', { trajectoryId: TRAJECTORY_ID }),
    ).toEqual({
      ok: false,
      errors: ["unknown event type 'nl.ketenlink.trajectory.closed.v1'"],
    });
    expect(validatePayload('TrajectoryOpened', {})).toEqual({
      ok: false,
      errors: ["not a Ketenlink event type: 'TrajectoryOpened'"],
    });
  });
});
