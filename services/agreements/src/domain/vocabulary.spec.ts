import { loadSchemas, type JsonSchema } from '@ketenlink/contracts';
import * as V from './vocabulary';

/** The input word lists equal the contract enums they feed (the schemas are the truth). */
const schema = (event: string) => loadSchemas().schemaOf(`nl.ketenlink.${event}.v1`);
const at = (s: JsonSchema, ...path: string[]): unknown =>
  path.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], s);
const defs = (event: string, def: string, prop: string) =>
  at(schema(event), '$defs', def, 'properties', prop, 'enum');

describe('agreements vocabulary = contract enums', () => {
  it.each([
    [V.CONDITION_TYPES, defs('agreement.drafted', 'Condition', 'type')],
    [V.CONDITION_SOURCES, defs('agreement.drafted', 'Condition', 'source')],
    [V.TRIGGER_KINDS, defs('agreement.drafted', 'Trigger', 'kind')],
    [V.CONTACT_BETWEEN, defs('agreement.drafted', 'ContactFrequency', 'between')],
    [V.INTERVAL_UNITS, defs('agreement.drafted', 'Interval', 'unit')],
    [V.LIFE_AREAS, defs('agreement.drafted', 'LifeAreaOwner', 'lifeArea')],
    [V.LIFE_AREA_OWNERS, defs('agreement.drafted', 'LifeAreaOwner', 'owner')],
    [V.CONTACT_PARTIES, defs('agreement.drafted', 'FirstPointOfContact', 'party')],
    [V.TERMINATION_REASONS, at(schema('agreement.terminated'), 'properties', 'reason', 'enum')],
    [V.NOTIFICATION_KINDS, at(schema('notification.raised'), 'properties', 'kind', 'enum')],
    [V.URGENCIES, at(schema('notification.raised'), 'properties', 'urgency', 'enum')],
    [V.CONSEQUENCE_KINDS, defs('violation.recorded', 'Consequence', 'kind')],
    [V.DECIDED_BY, defs('violation.recorded', 'Consequence', 'decidedBy')],
    [V.INCIDENT_KINDS, at(schema('incident.recorded'), 'properties', 'kind', 'enum')],
  ])('%j', (list, fromSchema) => {
    expect([...list]).toEqual(fromSchema);
  });
});
