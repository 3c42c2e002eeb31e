/**
 * Checks every published event schema against its frozen copy in contracts/published/.
 *
 *   npm run contracts:check               exit 1 on any incompatible change, a removed
 *                                         published schema, or a snapshot that is not current
 *   npm run contracts:check -- --freeze   write new and compatibly changed published schemas
 *                                         to contracts/published/ (refuses while anything
 *                                         is incompatible)
 *
 *   --events-dir DIR / --published-dir DIR  check other directories (used by the tests)
 *
 * The rules are in contracts/src/compat.ts.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import { checkSnapshot, isIncompatible, needsFreeze, type SnapshotEntry } from '../src/compat';
import { EVENTS_DIR, PUBLISHED_DIR, readSchemaDir } from '../src/schema-files';

function describe(entry: SnapshotEntry): string[] {
  switch (entry.status) {
    case 'removed':
      return [
        `${entry.file}: published schema was removed (published versions stay; add a new major instead)`,
      ];
    case 'unfrozen':
      return [
        `${entry.file}: published but not frozen yet: run \`npm run contracts:check -- --freeze\``,
      ];
    case 'compatible':
      return [
        `${entry.file}: compatible change, snapshot not refreshed: run \`npm run contracts:check -- --freeze\``,
        ...entry.changes.map((c) => `    ${c.path}: ${c.message}`),
      ];
    case 'breaking':
      return [
        `${entry.file}: INCOMPATIBLE change to a published schema (make it a new major version):`,
        ...entry.changes
          .filter((c) => c.severity === 'breaking')
          .map((c) => `    ${c.path}: ${c.message} [${c.rule}]`),
      ];
    case 'unchanged':
      return [];
  }
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]!) : fallback;
}

function main(): number {
  const freeze = process.argv.includes('--freeze');
  const eventsDir = option('--events-dir', EVENTS_DIR);
  const publishedDir = option('--published-dir', PUBLISHED_DIR);
  const current = readSchemaDir(eventsDir);
  const frozen = readSchemaDir(publishedDir);
  const entries = checkSnapshot(current, frozen);
  const incompatible = entries.filter(isIncompatible);
  const stale = entries.filter(needsFreeze);
  const where = relative(process.cwd(), publishedDir) || publishedDir;

  for (const entry of [...incompatible, ...stale]) {
    for (const line of describe(entry)) (isIncompatible(entry) ? console.error : console.log)(line);
  }
  if (incompatible.length > 0) {
    console.error(
      `\ncontracts:check FAILED: ${incompatible.length} published schema(s) broken.` +
        (freeze ? ' Nothing was frozen.' : ''),
    );
    return 1;
  }
  if (freeze) {
    for (const entry of stale) {
      const target = join(publishedDir, entry.file);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(eventsDir, entry.file), target);
      console.log(`froze ${join(where, entry.file)}`);
    }
    console.log(
      `contracts:check: ${entries.length} published schema(s), ${stale.length} frozen now.`,
    );
    return 0;
  }
  if (stale.length > 0) {
    console.error(
      `\ncontracts:check FAILED: ${stale.length} published schema(s) not frozen in ${where}.`,
    );
    return 1;
  }
  console.log(`contracts:check OK: ${entries.length} published schema(s) match ${where}.`);
  return 0;
}

process.exitCode = main();
