import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * The generator runs in a child process: json-schema-to-typescript loads prettier, whose
 * dynamic import() jest cannot host without --experimental-vm-modules.
 */
describe('contracts/generated/events.ts', () => {
  it('is what contracts:generate produces from the schemas (regenerate and commit when this fails)', () => {
    const run = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', 'contracts/tools/generate-types.ts', '--check'],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('declares one interface per event and the EventPayloads map', () => {
    const text = readFileSync(join(ROOT, 'contracts/generated/events.ts'), 'utf8');
    for (const name of [
      'TrajectoryOpenedV1',
      'TitleRegisteredV1',
      'ConsentGrantedV1',
      'ConsentRevokedV1',
    ]) {
      expect(text).toContain(`export interface ${name} {`);
    }
    expect(text).toContain("'nl.ketenlink.trajectory.opened.v1': TrajectoryOpenedV1;");
  });
});
