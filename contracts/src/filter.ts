import type { DataCategory } from './categories';
import type { Field } from './json-schema';

export interface FilterResult {
  /** A deep copy of the payload holding only the permitted fields. */
  readonly data: unknown;
  /** Paths of the fields that were present and left out (`conditions[].description`), once each. */
  readonly withheld: string[];
}

export type CategoryPredicate = (category: DataCategory) => boolean;

const OMIT = Symbol('omit');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Field-by-field filter over a payload, driven by the categories in the schema.
 *
 * - A leaf (a primitive, or an array of primitives) is kept when its category is permitted.
 * - An object is kept when at least one of its fields is kept; an array of objects keeps the
 *   elements that kept a field. The container's own category only decides for an empty
 *   object or array (nothing below it to ask), or for a value that does not have the shape the
 *   schema gives it (then it is treated as one leaf of the container's category).
 * - A field the schema does not know is withheld (fail closed).
 */
export function filterFields(
  fields: ReadonlyMap<string, Field>,
  data: unknown,
  permitted: CategoryPredicate,
): FilterResult {
  if (!isPlainObject(data)) throw new TypeError('an event payload must be a JSON object');
  const withheld = new Set<string>();
  const result = filterObject(data, fields, '', permitted, withheld);
  return { data: result, withheld: [...withheld] };
}

function filterObject(
  value: Record<string, unknown>,
  fields: ReadonlyMap<string, Field>,
  prefix: string,
  permitted: CategoryPredicate,
  withheld: Set<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const field = fields.get(key);
    if (!field) {
      withheld.add(prefix ? `${prefix}.${key}` : key);
      continue;
    }
    const kept = filterField(field, child, permitted, withheld);
    if (kept !== OMIT) out[key] = kept;
  }
  return out;
}

function filterField(
  field: Field,
  value: unknown,
  permitted: CategoryPredicate,
  withheld: Set<string>,
): unknown {
  const asLeaf = (): unknown => {
    if (permitted(field.category)) return structuredClone(value);
    withheld.add(field.path);
    return OMIT;
  };
  const { shape } = field;
  if (shape.kind === 'object' && isPlainObject(value) && Object.keys(value).length > 0) {
    const kept = filterObject(value, shape.fields, field.path, permitted, withheld);
    return Object.keys(kept).length > 0 ? kept : OMIT;
  }
  if (shape.kind === 'array' && Array.isArray(value) && value.length > 0) {
    const kept: unknown[] = [];
    for (const element of value) {
      if (isPlainObject(element)) {
        const filtered = filterObject(
          element,
          shape.element,
          `${field.path}[]`,
          permitted,
          withheld,
        );
        if (Object.keys(filtered).length > 0) kept.push(filtered);
      } else if (permitted(field.category)) {
        kept.push(structuredClone(element));
      } else {
        withheld.add(field.path);
      }
    }
    return kept.length > 0 ? kept : OMIT;
  }
  return asLeaf();
}
