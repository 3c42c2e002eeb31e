import { UNSUPPORTED_KEYWORDS } from './schema-rules';
import { isDeepStrictEqual } from 'node:util';

import {
  CATEGORY_KEYWORD,
  type JsonSchema,
  MANDATORY_FOR_KEYWORD,
  resolveRef,
  typesOf,
} from './json-schema';

/**
 * Compatibility of a published event schema with its frozen copy (docs/adr/0004-event-contracts.md,
 * contracts/README.md). Pure: the CLI (contracts/tools/check-compat.ts) does the file I/O.
 *
 * The question is whether everyone who relies on the frozen version still can:
 * - a consumer replaying old events validates them with the current schema, so the current
 *   schema must accept every payload the frozen one accepted (no new required property, no
 *   narrowed enum, no tightened constraint, no closed-off additionalProperties);
 * - a consumer written against the frozen version relies on each field it was promised, with
 *   its type, format and meaning, so nothing may be removed, renamed, retyped or turned from
 *   required into optional;
 * - consent filtering relies on `x-data-category`, so a field's category never changes.
 * A new optional property and a new enum value pass: consumers are tolerant readers.
 */

export type Severity = 'breaking' | 'compatible';

export interface SchemaChange {
  readonly severity: Severity;
  /** Stable rule id, e.g. `property-removed`. */
  readonly rule: string;
  /** Field path (`openedBy.role`, `conditions[].type`), or `(payload)` for the root. */
  readonly path: string;
  readonly message: string;
}

/** Lower bounds: raising (or adding) one rejects payloads that used to pass. */
const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'];
/** Upper bounds: lowering (or adding) one rejects payloads that used to pass. */
const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'];
/** Keywords whose every change is breaking (value shape consumers parse). */
const EXACT = ['format', 'pattern', 'const', 'multipleOf'];
/** Not used by event schemas (schema-rules.ts forbids them); any difference is breaking. */
const OPAQUE = UNSUPPORTED_KEYWORDS;

const show = (v: unknown): string => (v === undefined ? '(none)' : JSON.stringify(v));

/** Every difference between the frozen and the current version of one payload schema. */
export function compareSchemas(frozen: JsonSchema, current: JsonSchema): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const add = (severity: Severity, rule: string, path: string, message: string): void => {
    changes.push({ severity, rule, path: path || '(payload)', message });
  };
  for (const keyword of ['$id', 'x-event-type']) {
    if (frozen[keyword] !== current[keyword]) {
      add(
        'breaking',
        'identity-changed',
        '',
        `${keyword} changed from ${show(frozen[keyword])} to ${show(current[keyword])}`,
      );
    }
  }
  if (frozen['x-published'] === true && current['x-published'] !== true) {
    add(
      'breaking',
      'unpublished',
      '',
      'a published schema cannot be unpublished (x-published is no longer true)',
    );
  }
  // Who receives the event without a subscription is part of the contract: a role added would
  // receive it unasked, a role removed would silently stop receiving what it relies on.
  const mandatoryBefore = [...(frozen[MANDATORY_FOR_KEYWORD] ?? [])].sort();
  const mandatoryNow = [...(current[MANDATORY_FOR_KEYWORD] ?? [])].sort();
  if (!isDeepStrictEqual(mandatoryBefore, mandatoryNow)) {
    add(
      'breaking',
      'mandatory-for-changed',
      '',
      `${MANDATORY_FOR_KEYWORD} changed from ${show(mandatoryBefore)} to ${show(mandatoryNow)}`,
    );
  }
  compareNode(frozen, current, frozen, current, '', add);
  return changes;
}

type Add = (severity: Severity, rule: string, path: string, message: string) => void;

function compareNode(
  oldRoot: JsonSchema,
  newRoot: JsonSchema,
  oldRaw: JsonSchema,
  newRaw: JsonSchema,
  path: string,
  add: Add,
): void {
  const o = resolveRef(oldRoot, oldRaw);
  const n = resolveRef(newRoot, newRaw);

  if (o[CATEGORY_KEYWORD] !== n[CATEGORY_KEYWORD]) {
    add(
      'breaking',
      'category-changed',
      path,
      `${CATEGORY_KEYWORD} changed from ${show(o[CATEGORY_KEYWORD])} to ${show(n[CATEGORY_KEYWORD])}`,
    );
  }

  const oldTypes = typesOf(o).sort();
  const newTypes = typesOf(n).sort();
  if (!isDeepStrictEqual(oldTypes, newTypes)) {
    add('breaking', 'type-changed', path, `type changed from ${show(o.type)} to ${show(n.type)}`);
  }

  for (const keyword of EXACT) {
    if (!isDeepStrictEqual(o[keyword], n[keyword])) {
      add(
        'breaking',
        `${keyword}-changed`,
        path,
        `${keyword} changed from ${show(o[keyword])} to ${show(n[keyword])}`,
      );
    }
  }
  for (const keyword of OPAQUE) {
    if (!isDeepStrictEqual(o[keyword], n[keyword])) {
      add(
        'breaking',
        'unsupported-keyword-changed',
        path,
        `${keyword} changed (cannot be checked field by field)`,
      );
    }
  }

  compareEnum(o, n, path, add);
  compareBounds(o, n, path, add);
  compareObject(oldRoot, newRoot, o, n, path, add);

  if (o.items !== undefined || n.items !== undefined) {
    if (o.items === undefined || n.items === undefined) {
      add(
        'breaking',
        'items-changed',
        path,
        `array items schema ${o.items === undefined ? 'added' : 'removed'}`,
      );
    } else {
      compareNode(oldRoot, newRoot, o.items, n.items, `${path}[]`, add);
    }
  }
}

function compareEnum(o: JsonSchema, n: JsonSchema, path: string, add: Add): void {
  if (o.enum === undefined && n.enum === undefined) return;
  if (o.enum === undefined) {
    add('breaking', 'enum-added', path, `values restricted to ${show(n.enum)}`);
    return;
  }
  if (n.enum === undefined) {
    add(
      'breaking',
      'enum-removed',
      path,
      `the value list ${show(o.enum)} was dropped (consumers rely on a closed set)`,
    );
    return;
  }
  const newValues = n.enum;
  const oldValues = o.enum;
  const removed = oldValues.filter((v) => !newValues.some((w) => isDeepStrictEqual(v, w)));
  const added = newValues.filter((v) => !oldValues.some((w) => isDeepStrictEqual(v, w)));
  if (removed.length > 0)
    add(
      'breaking',
      'enum-value-removed',
      path,
      `enum value(s) removed: ${removed.map(show).join(', ')}`,
    );
  if (added.length > 0)
    add(
      'compatible',
      'enum-value-added',
      path,
      `enum value(s) added: ${added.map(show).join(', ')}`,
    );
}

function compareBounds(o: JsonSchema, n: JsonSchema, path: string, add: Add): void {
  const check = (keyword: string, tighter: (was: number, now: number) => boolean): void => {
    const was = o[keyword];
    const now = n[keyword];
    if (was === now) return;
    if (typeof now === 'number' && (typeof was !== 'number' || tighter(was, now))) {
      add(
        'breaking',
        'constraint-tightened',
        path,
        `${keyword} tightened from ${show(was)} to ${show(now)}`,
      );
    } else {
      add(
        'compatible',
        'constraint-loosened',
        path,
        `${keyword} loosened from ${show(was)} to ${show(now)}`,
      );
    }
  };
  for (const keyword of LOWER_BOUNDS) check(keyword, (was, now) => now > was);
  for (const keyword of UPPER_BOUNDS) check(keyword, (was, now) => now < was);
  if ((o.uniqueItems === true) !== (n.uniqueItems === true)) {
    if (n.uniqueItems === true) add('breaking', 'constraint-tightened', path, 'uniqueItems added');
    else add('compatible', 'constraint-loosened', path, 'uniqueItems dropped');
  }
}

function compareObject(
  oldRoot: JsonSchema,
  newRoot: JsonSchema,
  o: JsonSchema,
  n: JsonSchema,
  path: string,
  add: Add,
): void {
  const oldProps = o.properties ?? {};
  const newProps = n.properties ?? {};
  const oldRequired = new Set(o.required ?? []);
  const newRequired = new Set(n.required ?? []);
  const at = (name: string): string => (path ? `${path}.${name}` : name);

  for (const name of Object.keys(oldProps)) {
    if (!(name in newProps)) {
      add('breaking', 'property-removed', at(name), 'property removed (or renamed)');
      continue;
    }
    if (!oldRequired.has(name) && newRequired.has(name)) {
      add('breaking', 'became-required', at(name), 'optional property became required');
    }
    if (oldRequired.has(name) && !newRequired.has(name)) {
      add(
        'breaking',
        'became-optional',
        at(name),
        'required property became optional (consumers rely on it)',
      );
    }
    compareNode(oldRoot, newRoot, oldProps[name]!, newProps[name]!, at(name), add);
  }
  for (const name of Object.keys(newProps)) {
    if (name in oldProps) continue;
    if (newRequired.has(name)) {
      add(
        'breaking',
        'property-added-required',
        at(name),
        'new property is required (old payloads lack it)',
      );
    } else {
      add('compatible', 'property-added', at(name), 'new optional property');
    }
  }

  const wasClosed = o.additionalProperties === false;
  const isClosed = n.additionalProperties === false;
  if (!wasClosed && isClosed) {
    add('breaking', 'additional-properties-closed', path, 'additionalProperties became false');
  } else if (wasClosed && !isClosed) {
    add(
      'compatible',
      'additional-properties-opened',
      path,
      'additionalProperties is no longer false',
    );
  } else if (!isDeepStrictEqual(o.additionalProperties, n.additionalProperties)) {
    add('breaking', 'unsupported-keyword-changed', path, 'additionalProperties schema changed');
  }
}

export type SnapshotStatus =
  /** Same as the frozen copy. */
  | 'unchanged'
  /** Changed compatibly: passes, but the snapshot must be refreshed with --freeze. */
  | 'compatible'
  /** Changed incompatibly: needs a new major version instead. */
  | 'breaking'
  /** Frozen copy exists but the schema is gone. */
  | 'removed'
  /** Published (`x-published: true`) but not frozen yet: run --freeze. */
  | 'unfrozen';

export interface SnapshotEntry {
  /** `trajectory.opened/v1.schema.json`. */
  readonly file: string;
  readonly status: SnapshotStatus;
  readonly changes: readonly SchemaChange[];
}

/**
 * Compares every current schema against the frozen snapshot. Keys are paths relative to the
 * events and published directories.
 */
export function checkSnapshot(
  current: ReadonlyMap<string, JsonSchema>,
  frozen: ReadonlyMap<string, JsonSchema>,
): SnapshotEntry[] {
  const entries: SnapshotEntry[] = [];
  for (const [file, frozenSchema] of frozen) {
    const schema = current.get(file);
    if (!schema) {
      entries.push({ file, status: 'removed', changes: [] });
      continue;
    }
    const changes = compareSchemas(frozenSchema, schema);
    const status: SnapshotStatus = changes.some((c) => c.severity === 'breaking')
      ? 'breaking'
      : isDeepStrictEqual(frozenSchema, schema)
        ? 'unchanged'
        : 'compatible';
    entries.push({ file, status, changes });
  }
  for (const [file, schema] of current) {
    if (schema['x-published'] === true && !frozen.has(file)) {
      entries.push({ file, status: 'unfrozen', changes: [] });
    }
  }
  return entries.sort((a, b) => a.file.localeCompare(b.file));
}

/** Statuses that can never be accepted (a new major version is the way out). */
export function isIncompatible(entry: SnapshotEntry): boolean {
  return entry.status === 'breaking' || entry.status === 'removed';
}

/** Statuses that `--freeze` resolves by writing the current schema to the snapshot. */
export function needsFreeze(entry: SnapshotEntry): boolean {
  return entry.status === 'compatible' || entry.status === 'unfrozen';
}
