import { DATA_CATEGORIES, type DataCategory } from './categories';
import { EVENT_TYPES } from '../generated/events';
import { SAMPLES, TRAJECTORY_ID } from './__fixtures__/samples';
import { dataCategoriesOf, filterPayload, validatePayload } from './registry';

const only =
  (...allowed: DataCategory[]) =>
  (category: DataCategory): boolean =>
    allowed.includes(category);
const everything = (): boolean => true;
const nothing = (): boolean => false;

describe('dataCategoriesOf', () => {
  it('maps leaf paths (dots for objects, [] for arrays) to categories', () => {
    expect(dataCategoriesOf('nl.ketenlink.trajectory.opened.v1')).toEqual(
      new Map([
        ['trajectoryId', 'metadata'],
        ['openedAt', 'metadata'],
        ['openedBy.organisationId', 'participation'],
        ['openedBy.role', 'participation'],
        ['region', 'contact-and-logistics'],
      ]),
    );
    expect(
      dataCategoriesOf('nl.ketenlink.title.registered.v1').get('conditions[].description'),
    ).toBe('title-and-conditions');
    expect([...dataCategoriesOf('nl.ketenlink.consent.granted.v1').keys()]).toEqual([
      'trajectoryId',
      'consentId',
      'recipient.kind',
      'recipient.id',
      'categories',
      'purpose',
      'legalBasis',
      'validFrom',
      'validUntil',
    ]);
  });

  it('covers every event, only with known categories, never identity', () => {
    for (const type of EVENT_TYPES) {
      const categories = [...dataCategoriesOf(type).values()];
      expect(categories.length).toBeGreaterThan(0);
      for (const c of categories) expect(DATA_CATEGORIES).toContain(c);
      expect(categories).not.toContain('identity');
    }
  });

  it('returns a copy and throws on an unknown type', () => {
    dataCategoriesOf('nl.ketenlink.trajectory.opened.v1').clear();
    expect(dataCategoriesOf('nl.ketenlink.trajectory.opened.v1').size).toBe(5);
    expect(() => dataCategoriesOf('nl.ketenlink.nope.nope.v1')).toThrow(
      "unknown event type 'nl.ketenlink.nope.nope.v1'",
    );
  });
});

describe('filterPayload', () => {
  const opened = SAMPLES['nl.ketenlink.trajectory.opened.v1'];
  const registered = SAMPLES['nl.ketenlink.title.registered.v1'];

  it.each(EVENT_TYPES.map((t) => [t]))(
    '%s: permitting everything returns an equal deep copy',
    (type) => {
      const result = filterPayload(type, SAMPLES[type], everything);
      expect(result).toEqual({ data: SAMPLES[type], withheld: [] });
      expect(result.data).not.toBe(SAMPLES[type]);
    },
  );

  it('permitting nothing withholds every field, metadata included', () => {
    expect(filterPayload('nl.ketenlink.trajectory.opened.v1', opened, nothing)).toEqual({
      data: {},
      withheld: ['trajectoryId', 'openedAt', 'openedBy.organisationId', 'openedBy.role', 'region'],
    });
  });

  it('keeps an object when one of its fields is kept', () => {
    expect(
      filterPayload('nl.ketenlink.trajectory.opened.v1', opened, only('metadata', 'participation')),
    ).toEqual({
      data: {
        trajectoryId: TRAJECTORY_ID,
        openedAt: opened.openedAt,
        openedBy: { organisationId: 'reclassering-noord', role: 'coordinator' },
      },
      withheld: ['region'],
    });
  });

  it('drops an object none of whose fields is kept', () => {
    expect(filterPayload('nl.ketenlink.trajectory.opened.v1', opened, only('metadata'))).toEqual({
      data: { trajectoryId: TRAJECTORY_ID, openedAt: opened.openedAt },
      withheld: ['openedBy.organisationId', 'openedBy.role', 'region'],
    });
  });

  it('filters the elements of an array of objects and names the path once', () => {
    const result = filterPayload('nl.ketenlink.title.registered.v1', registered, only('metadata'));
    expect(result).toEqual({
      data: { trajectoryId: TRAJECTORY_ID },
      withheld: [
        'titleId',
        'kind',
        'startDate',
        'expectedEndDate',
        'conditions[].type',
        'conditions[].description',
      ],
    });
    const probation = filterPayload(
      'nl.ketenlink.title.registered.v1',
      registered,
      only('metadata', 'title-and-conditions'),
    );
    expect(probation).toEqual({ data: registered, withheld: [] });
  });

  it('an empty array follows its own category', () => {
    const data = { ...registered, conditions: [] };
    expect(filterPayload('nl.ketenlink.title.registered.v1', data, everything).data).toEqual(data);
    expect(
      filterPayload('nl.ketenlink.title.registered.v1', data, only('metadata')).withheld,
    ).toContain('conditions');
  });

  it('an array of primitives is one leaf', () => {
    const granted = SAMPLES['nl.ketenlink.consent.granted.v1'];
    const result = filterPayload('nl.ketenlink.consent.granted.v1', granted, only('metadata'));
    expect(result.data).toEqual({ trajectoryId: TRAJECTORY_ID });
    expect(result.withheld).toContain('categories');
    expect(result.withheld).toContain('recipient.kind');
  });

  it('withholds fields the schema does not know (fail closed)', () => {
    const data = { ...opened, bsn: '123456782', openedBy: { ...opened.openedBy, name: 'X' } };
    expect(filterPayload('nl.ketenlink.trajectory.opened.v1', data, everything)).toEqual({
      data: opened,
      withheld: ['openedBy.name', 'bsn'],
    });
  });

  it('returns a deep copy: changing the result leaves the input alone', () => {
    const input = structuredClone(registered);
    const { data } = filterPayload('nl.ketenlink.title.registered.v1', input, everything) as {
      data: typeof registered;
    };
    data.conditions![0]!.description = 'changed';
    expect(input).toEqual(registered);
  });

  it('asks the predicate with categories only', () => {
    const asked = new Set<DataCategory>();
    filterPayload(
      'nl.ketenlink.consent.granted.v1',
      SAMPLES['nl.ketenlink.consent.granted.v1'],
      (c) => {
        asked.add(c);
        return true;
      },
    );
    expect([...asked].sort()).toEqual(['consent', 'metadata']);
  });

  it('a filtered payload still validates when every required field survives', () => {
    const result = filterPayload(
      'nl.ketenlink.trajectory.opened.v1',
      opened,
      only('metadata', 'participation'),
    );
    expect(validatePayload('nl.ketenlink.trajectory.opened.v1', result.data)).toEqual({ ok: true });
  });

  it('throws on an unknown type or a payload that is not an object', () => {
    expect(() => filterPayload('nl.ketenlink.nope.nope.v1', {}, everything)).toThrow(
      /unknown event type/,
    );
    expect(() => filterPayload('nl.ketenlink.trajectory.opened.v1', [opened], everything)).toThrow(
      TypeError,
    );
    expect(() => filterPayload('nl.ketenlink.trajectory.opened.v1', null, everything)).toThrow(
      TypeError,
    );
  });
});
