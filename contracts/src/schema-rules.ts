import { isDataCategory } from './categories';
import { interfaceNameOf, SCHEMA_BASE_URI, schemaPathOf } from './event-types';
import {
  CATEGORY_KEYWORD,
  type JsonSchema,
  MANDATORY_FOR_KEYWORD,
  resolveRef,
} from './json-schema';
import { PARTICIPATION_ROLES } from './vocabulary';

/**
 * House rules for event payload schemas, on top of what Ajv's strict mode checks. Registry
 * loading and the unit tests apply them; `schemaProblems` returns one readable line per breach.
 */

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * Keywords the field walker, `filterPayload` and the compatibility check cannot follow field by
 * field; an event schema that needs them needs those tools extended first.
 */
export const UNSUPPORTED_KEYWORDS = [
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'dependentSchemas',
  'dependentRequired',
  'prefixItems',
  'contains',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  '$dynamicRef',
  '$dynamicAnchor',
  '$anchor',
];

const IDENTITY_NAMES = new Set([
  'bsn',
  'burgerservicenummer',
  'name',
  'naam',
  'voornaam',
  'achternaam',
  'initials',
  'voorletters',
  'dob',
  'geboortedatum',
]);

/**
 * True for a property name that looks like client identity (BSN, name, date of birth). Matches
 * on the lower-cased name without separators: `bsn`/`birth`/`geboorte` anywhere, a set of exact
 * names, and anything ending in `name` (firstName, lastName, fullName, clientName…). Events
 * carry organisation *ids*, never names, so the rule can be this blunt.
 */
export function looksLikeIdentityField(name: string): boolean {
  const n = name.toLowerCase().replace(/[^a-z]/g, '');
  return (
    IDENTITY_NAMES.has(n) ||
    n.includes('bsn') ||
    n.includes('birth') ||
    n.includes('geboorte') ||
    n.endsWith('name')
  );
}

export interface PropertyEntry {
  /** `openedBy.role`, `conditions[].type`, or `$defs.Condition.type` for a definition. */
  readonly path: string;
  readonly name: string;
  /** The property as written (its `x-data-category` sits here, also beside a `$ref`). */
  readonly node: JsonSchema;
}

/**
 * Every property of the schema, recursively: through nested objects, array items and `$ref`s,
 * and once more through every `$defs` entry (so an unused definition cannot hide a property).
 */
export function propertyEntries(root: JsonSchema): PropertyEntry[] {
  const out: PropertyEntry[] = [];
  const visit = (raw: JsonSchema, prefix: string, seen: ReadonlySet<string>): void => {
    if (typeof raw.$ref === 'string') {
      if (seen.has(raw.$ref)) return;
      seen = new Set([...seen, raw.$ref]);
    }
    const node = resolveRef(root, raw);
    for (const [name, prop] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${name}` : name;
      out.push({ path, name, node: prop });
      visit(prop, path, seen);
    }
    if (node.items && typeof node.items === 'object') visit(node.items, `${prefix}[]`, seen);
  };
  visit(root, '', new Set());
  const defs = (root.$defs ?? {}) as Record<string, JsonSchema>;
  for (const [name, def] of Object.entries(defs)) visit(def, `$defs.${name}`, new Set());
  return out;
}

/** Every schema node (resolved or not), for keyword-level checks. */
function allNodes(root: JsonSchema): Array<{ path: string; node: JsonSchema }> {
  const out: Array<{ path: string; node: JsonSchema }> = [];
  const visit = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    const schema = node as JsonSchema;
    out.push({ path, node: schema });
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      visit(prop, `${path}/properties/${name}`);
    }
    if (schema.items !== undefined) visit(schema.items, `${path}/items`);
    if (typeof schema.additionalProperties === 'object') {
      visit(schema.additionalProperties, `${path}/additionalProperties`);
    }
    for (const [name, def] of Object.entries((schema.$defs ?? {}) as Record<string, unknown>)) {
      visit(def, `${path}/$defs/${name}`);
    }
  };
  visit(root, '#');
  return out;
}

/**
 * Problems with one payload schema. `relPath` (`trajectory.opened/v1.schema.json`) enables the
 * checks that tie `$id`, `x-event-type`, `title` and the file location together.
 */
export function schemaProblems(schema: JsonSchema, relPath?: string): string[] {
  const problems: string[] = [];
  const type = schema['x-event-type'];

  if (schema.$schema !== JSON_SCHEMA_DIALECT)
    problems.push(`$schema must be ${JSON_SCHEMA_DIALECT}`);
  if (typeof type !== 'string') {
    problems.push('x-event-type is missing');
  } else {
    try {
      if (relPath !== undefined && schemaPathOf(type) !== relPath) {
        problems.push(`x-event-type '${type}' does not match the file location '${relPath}'`);
      }
      if (schema.$id !== SCHEMA_BASE_URI + schemaPathOf(type)) {
        problems.push(`$id must be ${SCHEMA_BASE_URI + schemaPathOf(type)}`);
      }
      if (schema.title !== interfaceNameOf(type)) {
        problems.push(`title must be '${interfaceNameOf(type)}' (the generated interface name)`);
      }
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (typeof schema['x-published'] !== 'boolean')
    problems.push('x-published must be true or false');
  if (schema.type !== 'object') problems.push("the payload must be of type 'object'");

  const mandatory = schema[MANDATORY_FOR_KEYWORD];
  if (mandatory !== undefined) {
    const roles: readonly string[] = PARTICIPATION_ROLES;
    if (
      !Array.isArray(mandatory) ||
      mandatory.length === 0 ||
      new Set(mandatory).size !== mandatory.length ||
      !mandatory.every((r) => typeof r === 'string' && roles.includes(r))
    ) {
      problems.push(
        `${MANDATORY_FOR_KEYWORD} must be a non-empty list of distinct participation roles (${roles.join(', ')})`,
      );
    }
  }

  try {
    for (const { path, node } of allNodes(schema)) {
      if (path !== '#' && MANDATORY_FOR_KEYWORD in node) {
        problems.push(`${path}: ${MANDATORY_FOR_KEYWORD} belongs on the schema root only`);
      }
      for (const keyword of UNSUPPORTED_KEYWORDS) {
        if (keyword in node)
          problems.push(`${path}: keyword '${keyword}' is not supported in event schemas`);
      }
      if (typeof node.$ref === 'string') resolveRef(schema, node);
      if (node.properties !== undefined && node.additionalProperties !== false) {
        problems.push(`${path}: an object with properties must say "additionalProperties": false`);
      }
      for (const name of node.required ?? []) {
        if (!node.properties || !(name in node.properties)) {
          problems.push(`${path}: required property '${name}' is not declared`);
        }
      }
    }
    for (const { path, name, node } of propertyEntries(schema)) {
      const category = node[CATEGORY_KEYWORD];
      if (!isDataCategory(category)) {
        problems.push(
          `${path}: ${CATEGORY_KEYWORD} missing or not a data category (${String(category)})`,
        );
      } else if (category === 'identity') {
        problems.push(`${path}: identity data never appears in events`);
      }
      if (looksLikeIdentityField(name)) {
        problems.push(`${path}: property name looks like client identity (BSN, name, birth date)`);
      }
    }
  } catch (e) {
    problems.push((e as Error).message);
  }
  return problems;
}
