import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import { EVENT_TYPES } from '../generated/events';
import { DATA_CATEGORIES, type DataCategory } from './categories';
import { parseEventType } from './event-types';
import { PARTICIPATION_ROLES, type ParticipationRole } from './vocabulary';
import { type CategoryPredicate, filterFields, type FilterResult } from './filter';
import { type Field, fieldsOf, type JsonSchema, leafCategories } from './json-schema';
import { EVENTS_DIR, readSchemaDir } from './schema-files';
import { schemaProblems } from './schema-rules';

export type ValidationResult =
  { readonly ok: true } | { readonly ok: false; readonly errors: string[] };

interface Entry {
  readonly type: string;
  readonly schema: JsonSchema;
  readonly validate: ValidateFunction;
  readonly fields: ReadonlyMap<string, Field>;
  readonly categories: ReadonlyMap<string, DataCategory>;
}

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // Annotation keywords: no effect on validation, but their values are checked when compiling.
  ajv.addKeyword({ keyword: 'x-data-category', metaSchema: { enum: [...DATA_CATEGORIES] } });
  ajv.addKeyword({
    keyword: 'x-event-type',
    metaSchema: { type: 'string', pattern: '^nl\\.ketenlink\\.' },
  });
  ajv.addKeyword({ keyword: 'x-published', metaSchema: { type: 'boolean' } });
  ajv.addKeyword({
    keyword: 'x-mandatory-for',
    metaSchema: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: [...PARTICIPATION_ROLES] },
    },
  });
  return ajv;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  let message = error.message ?? `fails ${error.keyword}`;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties')
    message += `: '${String(params.additionalProperty)}'`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    message += `: ${params.allowedValues.join(', ')}`;
  }
  return `${where} ${message}`;
}

/**
 * The event contracts, loaded and compiled once: validation, field categories and
 * consent-driven filtering per event type.
 */
export class ContractRegistry {
  private constructor(private readonly entries: ReadonlyMap<string, Entry>) {}

  /** Loads every `<context>.<event>/v<major>.schema.json` below `dir` (default `contracts/events`). */
  static load(dir: string = EVENTS_DIR): ContractRegistry {
    return ContractRegistry.fromSchemas(readSchemaDir(dir));
  }

  /**
   * Compiles schemas keyed by their path relative to the events directory. Throws one error
   * listing every problem (Ajv strict mode and the house rules of schema-rules.ts).
   */
  static fromSchemas(schemas: ReadonlyMap<string, JsonSchema>): ContractRegistry {
    const ajv = createAjv();
    const problems: string[] = [];
    const entries = new Map<string, Entry>();
    for (const [relPath, schema] of schemas) {
      const own = schemaProblems(schema, relPath);
      if (own.length > 0) {
        problems.push(...own.map((p) => `${relPath}: ${p}`));
        continue;
      }
      const type = schema['x-event-type']!;
      try {
        const validate = ajv.compile(schema);
        const fields = fieldsOf(schema);
        entries.set(type, { type, schema, validate, fields, categories: leafCategories(fields) });
      } catch (e) {
        problems.push(`${relPath}: ${(e as Error).message}`);
      }
    }
    if (problems.length > 0)
      throw new Error(`invalid event contracts:\n  ${problems.join('\n  ')}`);
    return new ContractRegistry(entries);
  }

  /** The event types with a schema, sorted. */
  get eventTypes(): string[] {
    return [...this.entries.keys()].sort();
  }

  has(type: string): boolean {
    return this.entries.has(type);
  }

  /** The parsed schema (do not mutate). */
  schemaOf(type: string): JsonSchema {
    return this.entry(type).schema;
  }

  validate(type: string, data: unknown): ValidationResult {
    const entry = this.entries.get(type);
    if (!entry) return { ok: false, errors: [unknownType(type)] };
    if (entry.validate(data)) return { ok: true };
    return { ok: false, errors: [...new Set((entry.validate.errors ?? []).map(describe))] };
  }

  /** The participation roles that receive `type` without a subscription (`x-mandatory-for`). */
  mandatoryRolesOf(type: string): readonly ParticipationRole[] {
    return (this.entry(type).schema['x-mandatory-for'] ?? []) as readonly ParticipationRole[];
  }

  /** Leaf field path (`openedBy.organisationId`, `conditions[].type`) → data category. */
  dataCategoriesOf(type: string): Map<string, DataCategory> {
    return new Map(this.entry(type).categories);
  }

  filterPayload(type: string, data: unknown, permitted: CategoryPredicate): FilterResult {
    return filterFields(this.entry(type).fields, data, permitted);
  }

  private entry(type: string): Entry {
    const entry = this.entries.get(type);
    if (!entry) throw new Error(unknownType(type));
    return entry;
  }
}

function unknownType(type: string): string {
  try {
    parseEventType(type);
  } catch (e) {
    return (e as Error).message;
  }
  return `unknown event type '${type}'`;
}

let defaultRegistry: ContractRegistry | undefined;

/**
 * The registry of `contracts/events`, loaded on first use and cached. Also checks that the
 * generated EVENT_TYPES list matches the schemas on disk.
 */
export function loadSchemas(): ContractRegistry {
  if (!defaultRegistry) {
    const registry = ContractRegistry.load();
    const onDisk = registry.eventTypes.join(', ');
    const generated = [...EVENT_TYPES].sort().join(', ');
    if (onDisk !== generated) {
      throw new Error(
        `contracts/generated/events.ts is out of date (run npm run contracts:generate): ` +
          `schemas define [${onDisk}], EVENT_TYPES lists [${generated}]`,
      );
    }
    defaultRegistry = registry;
  }
  return defaultRegistry;
}

/** Validates an event payload (the CloudEvents `data`) against the schema of `type`. */
export function validatePayload(type: string, data: unknown): ValidationResult {
  return loadSchemas().validate(type, data);
}

/**
 * The participation roles that must receive `type` on its trajectory without a subscription
 * (the schema's root `x-mandatory-for`; empty for most events). Throws on an unknown type.
 */
export function mandatoryRolesOf(type: string): readonly ParticipationRole[] {
  return loadSchemas().mandatoryRolesOf(type);
}

/** Leaf field path → data category for `type`; throws on an unknown type. */
export function dataCategoriesOf(type: string): Map<string, DataCategory> {
  return loadSchemas().dataCategoriesOf(type);
}

/**
 * A deep copy of `data` with only the fields whose category `permitted` accepts, and the
 * paths withheld. Metadata fields (trajectoryId …) are asked about like any other category.
 * Throws on an unknown type or a non-object payload.
 */
export function filterPayload(
  type: string,
  data: unknown,
  permitted: CategoryPredicate,
): FilterResult {
  return loadSchemas().filterPayload(type, data, permitted);
}
