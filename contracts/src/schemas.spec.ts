/* eslint-disable @typescript-eslint/no-explicit-any -- the tests mutate schema JSON freely */
import { DATA_CATEGORIES, isDataCategory } from './categories';
import { schemaUriOf, topicOf } from './event-types';
import { EVENT_TYPES } from '../generated/events';
import { ContractRegistry, loadSchemas, mandatoryRolesOf } from './registry';
import { EVENTS_DIR, readSchemaDir } from './schema-files';
import { type JsonSchema, resolveRef } from './json-schema';
import { schemaProblems } from './schema-rules';

const schemas = readSchemaDir(EVENTS_DIR);

describe('event schemas on disk', () => {
  it('exist, and EVENT_TYPES lists exactly their x-event-types', () => {
    const types = [...schemas.values()].map((s) => s['x-event-type']).sort();
    expect(types).toEqual([...EVENT_TYPES].sort());
    expect(types.length).toBeGreaterThanOrEqual(8);
  });

  it('all compile with Ajv 2020 strict mode (the default registry loads)', () => {
    const registry = loadSchemas();
    expect(registry.eventTypes).toEqual([...EVENT_TYPES].sort());
    expect(loadSchemas()).toBe(registry); // loaded once
  });

  it.each([...schemas.keys()])('%s follows the house rules', (file) => {
    expect(schemaProblems(schemas.get(file)!, file)).toEqual([]);
  });

  it.each([...schemas.entries()])(
    '%s: $id is schemaUriOf(x-event-type), v1 is published',
    (_f, s) => {
      expect(s.$id).toBe(schemaUriOf(s['x-event-type']!));
      expect(s['x-published']).toBe(true);
    },
  );

  it('every property, at every depth and through $refs, carries a valid data category', () => {
    const seen: string[] = [];
    const failures: string[] = [];
    const walk = (root: JsonSchema, node: JsonSchema, path: string): void => {
      const resolved = resolveRef(root, node);
      for (const [name, prop] of Object.entries(resolved.properties ?? {})) {
        const where = `${root['x-event-type']} ${path}${name}`;
        // the category sits on the property itself, also where the property is a $ref
        if (!isDataCategory(prop['x-data-category'])) failures.push(where);
        seen.push(where);
        walk(root, prop, `${path}${name}.`);
      }
      if (resolved.items) walk(root, resolved.items, `${path.slice(0, -1)}[].`);
    };
    for (const schema of schemas.values()) walk(schema, schema, '');
    expect(failures).toEqual([]);
    expect(seen).toContain('nl.ketenlink.title.registered.v1 conditions[].type');
    expect(seen).toContain('nl.ketenlink.trajectory.opened.v1 openedBy.role');
  });

  it('each event goes to the topic of its bounded context', () => {
    const topicOfContext: Record<string, string> = {
      placement: 'ketenlink.placement.v1',
      intake: 'ketenlink.placement.v1',
      client: 'ketenlink.placement.v1',
      agreement: 'ketenlink.agreements.v1',
      notification: 'ketenlink.agreements.v1',
      violation: 'ketenlink.agreements.v1',
      incident: 'ketenlink.agreements.v1',
      review: 'ketenlink.reviews.v1',
      'risk-assessment': 'ketenlink.reviews.v1',
      plan: 'ketenlink.reviews.v1',
      meeting: 'ketenlink.reviews.v1',
      care: 'ketenlink.reviews.v1',
      handover: 'ketenlink.handover.v1',
      partner: 'ketenlink.gateway.v1',
    };
    for (const type of EVENT_TYPES) {
      const context = type.split('.')[2]!;
      const expected =
        type === 'nl.ketenlink.title.end-approaching.v1'
          ? 'ketenlink.reviews.v1'
          : (topicOfContext[context] ?? 'ketenlink.trajectory.v1');
      expect({ type, topic: topicOf(type) }).toEqual({ type, topic: expected });
    }
  });

  it('x-mandatory-for: notifications, violations and incidents go to probation unasked', () => {
    const registry = loadSchemas();
    const mandatory = registry.eventTypes.filter((t) => registry.mandatoryRolesOf(t).length > 0);
    expect(mandatory).toEqual([
      'nl.ketenlink.incident.recorded.v1',
      'nl.ketenlink.incident.report-overdue.v1',
      'nl.ketenlink.notification.acknowledgement-overdue.v1',
      'nl.ketenlink.notification.raised.v1',
      'nl.ketenlink.violation.recorded.v1',
    ]);
    expect(mandatoryRolesOf('nl.ketenlink.notification.raised.v1')).toEqual(['probation']);
    expect(mandatoryRolesOf('nl.ketenlink.trajectory.opened.v1')).toEqual([]);
  });

  it('consent.granted lists exactly the data categories', () => {
    const s = schemas.get('consent.granted/v1.schema.json')!;
    const items = s.properties!.categories!.items!;
    expect(items.enum).toEqual([...DATA_CATEGORIES]);
    expect(DATA_CATEGORIES.every(isDataCategory)).toBe(true);
  });
});

describe('registry loading rejects a bad schema', () => {
  const good = schemas.get('trajectory.opened/v1.schema.json')!;
  const load = (schema: unknown, file = 'trajectory.opened/v1.schema.json'): ContractRegistry =>
    ContractRegistry.fromSchemas(new Map([[file, schema as JsonSchema]]));

  it('accepts the real one', () => {
    expect(load(good).eventTypes).toEqual(['nl.ketenlink.trajectory.opened.v1']);
  });

  it('an uncategorised nested property', () => {
    const bad = structuredClone(good) as Record<string, any>;
    delete bad.properties.openedBy.properties.role['x-data-category'];
    expect(() => load(bad)).toThrow(/openedBy\.role: x-data-category missing/);
  });

  it('a category that does not exist', () => {
    const bad = structuredClone(good) as Record<string, any>;
    bad.properties.region['x-data-category'] = 'gossip';
    expect(() => load(bad)).toThrow(
      /region: x-data-category missing or not a data category \(gossip\)/,
    );
  });

  it('a category on a $ref target only, not beside the $ref', () => {
    const bad = structuredClone(good) as Record<string, any>;
    delete bad.properties.trajectoryId['x-data-category'];
    bad.$defs.TrajectoryId['x-data-category'] = 'metadata';
    expect(() => load(bad)).toThrow(/trajectoryId: x-data-category missing/);
  });

  it('an open object', () => {
    const bad = structuredClone(good) as Record<string, any>;
    delete bad.properties.openedBy.additionalProperties;
    expect(() => load(bad)).toThrow(
      /openedBy: an object with properties must say "additionalProperties": false/,
    );
  });

  it('a schema in the wrong place or with the wrong $id', () => {
    expect(() => load(good, 'trajectory.closed/v1.schema.json')).toThrow(
      /does not match the file location/,
    );
    expect(() => load({ ...good, $id: 'https://example.org/x.json' })).toThrow(/\$id must be/);
  });

  it('an unknown keyword (Ajv strict mode)', () => {
    const bad = structuredClone(good) as Record<string, any>;
    bad.properties.region.maxlength = 10;
    expect(() => load(bad)).toThrow(/unknown keyword: "maxlength"/);
  });

  it('x-mandatory-for with a role that does not exist, empty, or below the root', () => {
    expect(() => load({ ...good, 'x-mandatory-for': ['probation-officer'] })).toThrow(
      /x-mandatory-for must be a non-empty list of distinct participation roles/,
    );
    expect(() => load({ ...good, 'x-mandatory-for': [] })).toThrow(/x-mandatory-for must be/);
    expect(() => load({ ...good, 'x-mandatory-for': ['probation', 'probation'] })).toThrow(
      /x-mandatory-for must be/,
    );
    const nested = structuredClone(good) as Record<string, any>;
    nested.properties.openedBy['x-mandatory-for'] = ['probation'];
    expect(() => load(nested)).toThrow(/openedBy: x-mandatory-for belongs on the schema root only/);
    expect(
      load({ ...good, 'x-mandatory-for': ['probation', 'provider'] }).mandatoryRolesOf(
        'nl.ketenlink.trajectory.opened.v1',
      ),
    ).toEqual(['probation', 'provider']);
  });

  it('a combinator the field tools cannot follow', () => {
    const bad = structuredClone(good) as Record<string, any>;
    bad.properties.region.anyOf = [{ minLength: 2 }];
    expect(() => load(bad)).toThrow(/keyword 'anyOf' is not supported/);
  });
});
