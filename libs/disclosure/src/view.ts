import {
  type DataCategory,
  type Field,
  fieldsOf,
  filterFields,
  type JsonSchema,
} from '@ketenlink/contracts';

export interface FilteredView {
  readonly data: Record<string, unknown>;
  /** Field paths present but left out. */
  readonly withheld: string[];
  /** Categories of the fields kept. */
  readonly categories: DataCategory[];
}

/**
 * A response shape whose every field carries its data category (`x-data-category`, as in the
 * event contracts), filtered field by field with contracts' filter: a field the schema does not
 * know is withheld (fail closed).
 */
export class ClientDataView {
  private constructor(private readonly fields: ReadonlyMap<string, Field>) {}

  /** Throws when a property has no valid category. */
  static fromSchema(schema: JsonSchema): ClientDataView {
    return new ClientDataView(fieldsOf(schema));
  }

  /** Builds one from a map of field name → category, nested by `{ category, fields }`. */
  static of(shape: ViewShape): ClientDataView {
    return ClientDataView.fromSchema(schemaOf(shape));
  }

  filter(data: object, permitted: ReadonlySet<DataCategory>): FilteredView {
    const used = new Set<DataCategory>();
    const { data: kept, withheld } = filterFields(this.fields, data, (c) => {
      if (!permitted.has(c)) return false;
      used.add(c);
      return true;
    });
    return {
      data: kept as Record<string, unknown>,
      withheld,
      categories: [...used].sort(),
    };
  }
}

/** A field is a leaf of one category, or an object / array of objects with fields of its own. */
export type ViewShape = { readonly [field: string]: ViewField };
export type ViewField =
  | DataCategory
  | { readonly category: DataCategory; readonly object: ViewShape }
  | { readonly category: DataCategory; readonly arrayOf: ViewShape };

function schemaOf(shape: ViewShape): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, f] of Object.entries(shape)) {
    if (typeof f === 'string') properties[name] = { 'x-data-category': f };
    else if ('object' in f) {
      properties[name] = { type: 'object', 'x-data-category': f.category, ...schemaOf(f.object) };
    } else {
      properties[name] = {
        type: 'array',
        'x-data-category': f.category,
        items: schemaOf(f.arrayOf),
      };
    }
  }
  return { type: 'object', properties };
}
