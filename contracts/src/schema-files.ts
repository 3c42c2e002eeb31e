import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { JsonSchema } from './json-schema';

/** `contracts/` (this file lives in `contracts/src/`). */
export const CONTRACTS_DIR = resolve(__dirname, '..');
/** The payload schemas: `<context>.<event>/v<major>.schema.json`. */
export const EVENTS_DIR = join(CONTRACTS_DIR, 'events');
/** Frozen copies of the published schemas, same layout (the registry snapshot). */
export const PUBLISHED_DIR = join(CONTRACTS_DIR, 'published');

const DIR_NAME = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;
const FILE_NAME = /^v[1-9][0-9]*\.schema\.json$/;

/**
 * Reads every schema below `dir` into a map keyed by path relative to `dir`
 * (`trajectory.opened/v1.schema.json`), sorted. A JSON file in the wrong place is an error, not
 * silently skipped. A missing `dir` reads as empty.
 */
export function readSchemaDir(dir: string): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw e;
  }
  for (const entry of entries) {
    const sub = join(dir, entry);
    if (!statSync(sub).isDirectory()) {
      if (entry.endsWith('.json'))
        throw new Error(
          `stray schema file ${sub}: expected <context>.<event>/v<major>.schema.json`,
        );
      continue;
    }
    if (!DIR_NAME.test(entry))
      throw new Error(`bad schema directory name ${sub}: expected <context>.<event>`);
    for (const file of readdirSync(sub).sort()) {
      if (!FILE_NAME.test(file))
        throw new Error(`bad schema file name ${join(sub, file)}: expected v<major>.schema.json`);
      const text = readFileSync(join(sub, file), 'utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw new Error(`${join(sub, file)} is not valid JSON: ${(e as Error).message}`);
      }
      out.set(`${entry}/${file}`, parsed as JsonSchema);
    }
  }
  return out;
}
