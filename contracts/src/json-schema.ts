import { type DataCategory, isDataCategory } from './categories';

/** A JSON Schema node as read from disk (only the keywords the contracts tooling looks at). */
export interface JsonSchema {
  readonly [keyword: string]: unknown;
  readonly $id?: string;
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly 'x-data-category'?: string;
  readonly 'x-event-type'?: string;
  readonly 'x-published'?: boolean;
  readonly 'x-mandatory-for'?: readonly string[];
}

export const CATEGORY_KEYWORD = 'x-data-category';

/**
 * Root-only keyword: the participation roles that must receive this event on the trajectory it
 * concerns without a subscription (e.g. `["probation"]` on `notification.raised`). The partner
 * gateway reads it; consent filtering still applies field by field.
 */
export const MANDATORY_FOR_KEYWORD = 'x-mandatory-for';

/**
 * Follows a local `$ref` (`#/$defs/...`) and merges the referencing node's sibling keywords over
 * the target (2020-12 allows siblings; ours carry `x-data-category` and `description`).
 */
export function resolveRef(root: JsonSchema, node: JsonSchema): JsonSchema {
  let current = node;
  for (let depth = 0; typeof current.$ref === 'string'; depth++) {
    if (depth > 32) throw new Error(`$ref chain too deep at '${node.$ref}'`);
    const { $ref, ...siblings } = current;
    current = { ...pointer(root, $ref), ...siblings };
  }
  return current;
}

function pointer(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#/')) {
    throw new Error(`only local $refs ('#/...') are supported in event schemas, got '${ref}'`);
  }
  let target: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    target =
      target !== null && typeof target === 'object'
        ? (target as Record<string, unknown>)[key]
        : undefined;
    if (target === undefined) throw new Error(`unresolvable $ref '${ref}'`);
  }
  if (target === null || typeof target !== 'object') {
    throw new Error(`$ref '${ref}' does not point at a schema`);
  }
  return target as JsonSchema;
}

export function typesOf(node: JsonSchema): string[] {
  if (node.type === undefined) return [];
  return typeof node.type === 'string' ? [node.type] : [...node.type];
}

/**
 * The categorised fields of a payload schema, as a tree. A field is a leaf (its value is taken
 * or withheld as a whole), an object with fields of its own, or an array of such objects.
 */
export interface Field {
  readonly name: string;
  /** `openedBy.organisationId`, `conditions[].type`. */
  readonly path: string;
  readonly category: DataCategory;
  readonly shape: FieldShape;
}

export type FieldShape =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, Field> }
  | { readonly kind: 'array'; readonly element: ReadonlyMap<string, Field> };

/** Builds the field tree of a payload schema; throws on an uncategorised property. */
export function fieldsOf(root: JsonSchema): ReadonlyMap<string, Field> {
  return objectFields(root, resolveRef(root, root), '');
}

function objectFields(
  root: JsonSchema,
  node: JsonSchema,
  prefix: string,
): ReadonlyMap<string, Field> {
  const fields = new Map<string, Field>();
  for (const [name, raw] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const prop = resolveRef(root, raw);
    const category = prop[CATEGORY_KEYWORD];
    if (!isDataCategory(category)) {
      throw new Error(
        `property '${path}' has no valid ${CATEGORY_KEYWORD} (got ${String(category)})`,
      );
    }
    fields.set(name, { name, path, category, shape: shapeOf(root, prop, path) });
  }
  return fields;
}

function shapeOf(root: JsonSchema, prop: JsonSchema, path: string): FieldShape {
  const types = typesOf(prop);
  if (types.includes('object') && prop.properties) {
    return { kind: 'object', fields: objectFields(root, prop, path) };
  }
  if (types.includes('array') && prop.items) {
    const items = resolveRef(root, prop.items);
    if (typesOf(items).includes('object') && items.properties) {
      return { kind: 'array', element: objectFields(root, items, `${path}[]`) };
    }
  }
  return { kind: 'leaf' };
}

/** Leaf field paths and their categories, in schema order. */
export function leafCategories(fields: ReadonlyMap<string, Field>): Map<string, DataCategory> {
  const out = new Map<string, DataCategory>();
  const walk = (level: ReadonlyMap<string, Field>): void => {
    for (const field of level.values()) {
      if (field.shape.kind === 'leaf') out.set(field.path, field.category);
      else walk(field.shape.kind === 'object' ? field.shape.fields : field.shape.element);
    }
  };
  walk(fields);
  return out;
}
