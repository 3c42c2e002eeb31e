import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EVENT_TYPES } from '../generated/events';

/**
 * Contracts first: every event type named in service code must have a schema here. (Emitting
 * validates each payload against its schema at run time — libs/messaging EventEmitter — and the
 * integration tests exercise those paths; this catches a type that has no contract at all.)
 */
const ROOT = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(full);
    return /\.ts$/.test(name) && !/\.(int-|e2e-)?spec\.ts$/.test(name) ? [full] : [];
  });
}

describe('event types used in code', () => {
  const used = new Map<string, string>();
  for (const file of sourceFiles(path.join(ROOT, 'services'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(
      /['"`](nl\.ketenlink\.[a-z-]+\.[a-z-]+\.v\d+)['"`]/g,
    )) {
      used.set(m[1]!, path.relative(ROOT, file));
    }
  }

  it('finds the event types the services emit and consume', () => {
    expect(used.has('nl.ketenlink.trajectory.opened.v1')).toBe(true);
  });

  it('has a contract for each of them', () => {
    const known = new Set<string>(EVENT_TYPES);
    const missing = [...used].filter(([type]) => !known.has(type)).map(([t, f]) => `${t} (${f})`);
    expect(missing).toEqual([]);
  });
});
