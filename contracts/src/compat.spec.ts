/* eslint-disable @typescript-eslint/no-explicit-any -- the tests mutate schema JSON freely */
import {
  checkSnapshot,
  compareSchemas,
  isIncompatible,
  needsFreeze,
  type SchemaChange,
} from './compat';
import type { JsonSchema } from './json-schema';
import { EVENTS_DIR, PUBLISHED_DIR, readSchemaDir } from './schema-files';

/** A small published schema to mutate in the table below. */
const base = (): Record<string, any> => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://schemas.ketenlink.nl/events/test.happened/v1.schema.json',
  title: 'TestHappenedV1',
  'x-event-type': 'nl.ketenlink.test.happened.v1',
  'x-published': true,
  type: 'object',
  additionalProperties: false,
  required: ['trajectoryId', 'status', 'who'],
  properties: {
    trajectoryId: { $ref: '#/$defs/Uuid', 'x-data-category': 'metadata' },
    status: { type: 'string', enum: ['a', 'b'], 'x-data-category': 'risk' },
    note: { type: 'string', maxLength: 100, 'x-data-category': 'plan-and-goals' },
    who: {
      type: 'object',
      additionalProperties: false,
      required: ['org'],
      'x-data-category': 'participation',
      properties: {
        org: { type: 'string', pattern: '^[a-z]+$', 'x-data-category': 'participation' },
        since: { type: 'string', format: 'date', 'x-data-category': 'participation' },
      },
    },
    items: {
      type: 'array',
      'x-data-category': 'title-and-conditions',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind'],
        properties: {
          kind: { type: 'string', enum: ['x', 'y'], 'x-data-category': 'title-and-conditions' },
        },
      },
    },
  },
  $defs: { Uuid: { type: 'string', format: 'uuid' } },
});

type Mutation = (s: Record<string, any>) => void;
const changesOf = (mutate: Mutation): SchemaChange[] => {
  const current = base();
  mutate(current);
  return compareSchemas(base() as JsonSchema, current as JsonSchema);
};
const rules = (changes: SchemaChange[], severity: 'breaking' | 'compatible'): string[] =>
  changes.filter((c) => c.severity === severity).map((c) => `${c.rule} @ ${c.path}`);

describe('compareSchemas: breaking changes', () => {
  const table: Array<[string, Mutation, string]> = [
    ['remove a property', (s) => delete s.properties.note, 'property-removed @ note'],
    [
      'make an event mandatory for a role (delivered unasked)',
      (s) => (s['x-mandatory-for'] = ['probation']),
      'mandatory-for-changed @ (payload)',
    ],
    [
      'remove a nested property',
      (s) => delete s.properties.who.properties.since,
      'property-removed @ who.since',
    ],
    [
      'rename a property',
      (s) => {
        s.properties.remark = s.properties.note;
        delete s.properties.note;
      },
      'property-removed @ note',
    ],
    ['change a type', (s) => (s.properties.note.type = 'number'), 'type-changed @ note'],
    [
      'widen a type with null',
      (s) => (s.properties.note.type = ['string', 'null']),
      'type-changed @ note',
    ],
    [
      'change a format',
      (s) => (s.properties.who.properties.since.format = 'date-time'),
      'format-changed @ who.since',
    ],
    [
      'drop a format',
      (s) => delete s.properties.who.properties.since.format,
      'format-changed @ who.since',
    ],
    [
      'change a format behind a $ref',
      (s) => (s.$defs.Uuid.format = 'uri'),
      'format-changed @ trajectoryId',
    ],
    [
      'change a pattern',
      (s) => (s.properties.who.properties.org.pattern = '^[a-z0-9]+$'),
      'pattern-changed @ who.org',
    ],
    [
      'make an optional property required',
      (s) => s.required.push('note'),
      'became-required @ note',
    ],
    [
      'make a required property optional',
      (s) => (s.required = ['trajectoryId', 'who']),
      'became-optional @ status',
    ],
    [
      'add a required property',
      (s) => {
        s.properties.extra = { type: 'string', 'x-data-category': 'risk' };
        s.required.push('extra');
      },
      'property-added-required @ extra',
    ],
    [
      'remove an enum value',
      (s) => (s.properties.status.enum = ['a']),
      'enum-value-removed @ status',
    ],
    [
      'remove an enum value in array items',
      (s) => (s.properties.items.items.properties.kind.enum = ['x']),
      'enum-value-removed @ items[].kind',
    ],
    ['drop an enum altogether', (s) => delete s.properties.status.enum, 'enum-removed @ status'],
    ['add an enum to a free field', (s) => (s.properties.note.enum = ['x']), 'enum-added @ note'],
    [
      'change a data category',
      (s) => (s.properties.status['x-data-category'] = 'incidents-and-violations'),
      'category-changed @ status',
    ],
    [
      'change a category of an array element field',
      (s) => (s.properties.items.items.properties.kind['x-data-category'] = 'risk'),
      'category-changed @ items[].kind',
    ],
    ['tighten maxLength', (s) => (s.properties.note.maxLength = 50), 'constraint-tightened @ note'],
    ['add minLength', (s) => (s.properties.note.minLength = 5), 'constraint-tightened @ note'],
    [
      'add uniqueItems',
      (s) => (s.properties.items.uniqueItems = true),
      'constraint-tightened @ items',
    ],
    [
      'change the event type',
      (s) => (s['x-event-type'] = 'nl.ketenlink.test.happened.v2'),
      'identity-changed @ (payload)',
    ],
    ['unpublish', (s) => (s['x-published'] = false), 'unpublished @ (payload)'],
    [
      'add a combinator',
      (s) => (s.properties.note.anyOf = [{ minLength: 1 }]),
      'unsupported-keyword-changed @ note',
    ],
  ];

  it.each(table)('%s', (_name, mutate, expected) => {
    expect(rules(changesOf(mutate), 'breaking')).toContain(expected);
  });

  it('closing additionalProperties on an open object', () => {
    const frozen = base();
    frozen.properties.who.additionalProperties = true;
    const changes = compareSchemas(frozen as JsonSchema, base() as JsonSchema);
    expect(rules(changes, 'breaking')).toEqual(['additional-properties-closed @ who']);
  });
});

describe('compareSchemas: compatible changes', () => {
  const table: Array<[string, Mutation, string]> = [
    [
      'add an optional property',
      (s) => (s.properties.extra = { type: 'string', 'x-data-category': 'risk' }),
      'property-added @ extra',
    ],
    [
      'add an optional nested property',
      (s) =>
        (s.properties.who.properties.until = {
          type: 'string',
          format: 'date',
          'x-data-category': 'participation',
        }),
      'property-added @ who.until',
    ],
    [
      'add an enum value',
      (s) => (s.properties.status.enum = ['a', 'b', 'c']),
      'enum-value-added @ status',
    ],
    ['loosen maxLength', (s) => (s.properties.note.maxLength = 200), 'constraint-loosened @ note'],
    [
      'open additionalProperties',
      (s) => (s.additionalProperties = true),
      'additional-properties-opened @ (payload)',
    ],
  ];

  it.each(table)('%s', (_name, mutate, expected) => {
    const changes = changesOf(mutate);
    expect(rules(changes, 'breaking')).toEqual([]);
    expect(rules(changes, 'compatible')).toContain(expected);
  });

  it.each<[string, Mutation]>([
    [
      'edit descriptions and titles',
      (s) => {
        s.description = 'new words';
        s.properties.note.description = 'x';
      },
    ],
    [
      'reorder properties, required and enum values',
      (s) => {
        s.properties = Object.fromEntries(Object.entries(s.properties).reverse());
        s.required.reverse();
        s.properties.status.enum.reverse();
      },
    ],
    [
      'move an inline schema into $defs',
      (s) => {
        s.$defs.Who = s.properties.who;
        s.properties.who = { $ref: '#/$defs/Who', 'x-data-category': 'participation' };
        delete s.$defs.Who['x-data-category'];
      },
    ],
    [
      'inline a $ref',
      (s) =>
        (s.properties.trajectoryId = {
          type: 'string',
          format: 'uuid',
          'x-data-category': 'metadata',
        }),
    ],
  ])('%s: no contract change at all', (_name, mutate) => {
    expect(changesOf(mutate)).toEqual([]);
  });
});

describe('checkSnapshot', () => {
  const file = 'test.happened/v1.schema.json';
  const map = (s?: Record<string, any>): Map<string, JsonSchema> =>
    s ? new Map([[file, s as JsonSchema]]) : new Map();

  it('unchanged', () => {
    const [entry] = checkSnapshot(map(base()), map(base()));
    expect(entry).toMatchObject({ file, status: 'unchanged' });
    expect(isIncompatible(entry!) || needsFreeze(entry!)).toBe(false);
  });

  it('a compatible change passes the rules but asks for --freeze', () => {
    const current = base();
    current.properties.status.enum.push('c');
    const [entry] = checkSnapshot(map(current), map(base()));
    expect(entry!.status).toBe('compatible');
    expect(isIncompatible(entry!)).toBe(false);
    expect(needsFreeze(entry!)).toBe(true);
  });

  it('a description-only edit is compatible (the snapshot is refreshed, nothing breaks)', () => {
    const current = base();
    current.description = 'better words';
    expect(checkSnapshot(map(current), map(base()))[0]!.status).toBe('compatible');
  });

  it('a breaking change', () => {
    const current = base();
    delete current.properties.note;
    const [entry] = checkSnapshot(map(current), map(base()));
    expect(entry!.status).toBe('breaking');
    expect(isIncompatible(entry!)).toBe(true);
  });

  it('a published schema that disappeared', () => {
    expect(checkSnapshot(map(), map(base()))).toEqual([{ file, status: 'removed', changes: [] }]);
  });

  it('a published schema without a frozen copy; an unpublished one is ignored', () => {
    expect(checkSnapshot(map(base()), map())).toEqual([{ file, status: 'unfrozen', changes: [] }]);
    const draft = { ...base(), 'x-published': false };
    expect(checkSnapshot(map(draft), map())).toEqual([]);
  });

  it('the repository: every published schema matches its frozen copy', () => {
    const entries = checkSnapshot(readSchemaDir(EVENTS_DIR), readSchemaDir(PUBLISHED_DIR));
    const problems = entries
      .filter((e) => e.status !== 'unchanged')
      .map((e) => `${e.file}: ${e.status}`);
    expect(problems).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(8);
  });
});
