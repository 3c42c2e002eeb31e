import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/*
 * The boundary rules of eslint.config.mjs bite (docs/adr/0006-module-boundaries.md):
 *   - a domain folder imports only its own domain, contracts, domain and pure (type:util) libs;
 *   - a circular dependency between two projects fails lint.
 * Each case lints fixture source with the repository's real configuration.
 */
const ROOT = path.resolve(__dirname, '../..');

describe('domain folders import only their own domain, contracts and pure libraries', () => {
  const domainFile = path.join(ROOT, 'services/trajectory/src/domain/boundary-fixture.ts');
  const domainSpec = path.join(ROOT, 'services/placement-intake/src/domain/fixture.spec.ts');
  const consentFile = path.join(ROOT, 'libs/consent/src/boundary-fixture.ts');
  const refused: [string, string][] = [
    ["import { TrajectoryStore } from '../infrastructure/trajectory.store';", 'leaves it'],
    ["import type { X } from '../application/trajectory.service';", 'leaves it'],
    ["export * from '../api/trajectories.controller';", 'leaves it'],
    ["import { Outbox } from '@ketenlink/messaging';", 'tagged type:data-access'],
    ["import { DataSource } from '@ketenlink/persistence';", 'tagged type:data-access'],
    ["import { ProblemException } from '@ketenlink/http';", 'tagged type:platform'],
    ["import { Roles } from '@ketenlink/auth';", 'tagged type:platform'],
    ["import { DateTime } from 'luxon';", 'no package imports'],
    ["import { Injectable } from '@nestjs/common';", 'no package imports'],
    ["const pg = require('pg');", 'no package imports'],
  ];
  const allowed = [
    "import { EVENT_TYPES } from '@ketenlink/contracts';",
    "import { decide } from '@ketenlink/consent';",
    "import { DomainError } from './errors';",
    'export const x = [EVENT_TYPES, decide, DomainError];',
  ].join('\n');
  let results: string[][];

  beforeAll(() => {
    const inputs = [
      ...refused.map(([code]) => ({
        filePath: domainFile,
        code: `${code}\nexport const x = 1;\n`,
      })),
      { filePath: domainFile, code: `${allowed}\n` },
      {
        filePath: domainSpec,
        code: "import { dutchPublicHolidays } from '../infrastructure/dutch-public-holidays';\nexport const x = dutchPublicHolidays;\n",
      },
      {
        filePath: domainSpec,
        code: "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
      },
      {
        filePath: consentFile,
        code: "import { Outbox } from '@ketenlink/messaging';\nexport const x = Outbox;\n",
      },
    ];
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/eslint/lint-text.mjs')], {
      cwd: ROOT,
      input: JSON.stringify(inputs),
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    results = JSON.parse(r.stdout) as string[][];
  }, 60_000);

  const domainRule = (messages: string[]) =>
    messages.filter((m) => m.startsWith('ketenlink/domain-imports'));

  it.each(refused.map(([code, why], i) => [code, why, i] as const))(
    'refuses %s (%s)',
    (_code, why, i) => {
      expect(domainRule(results[i]!)).toEqual([expect.stringContaining(why)]);
    },
  );

  it('allows its own domain, contracts and domain libraries', () => {
    expect(results[refused.length]).toEqual([]);
  });

  it('lets domain tests use test data, but no framework either', () => {
    expect(results[refused.length + 1]).toEqual([]);
    expect(results[refused.length + 2]).toEqual([expect.stringContaining('framework-free')]);
  });

  it('applies to domain libraries (libs/consent) too', () => {
    expect(domainRule(results[refused.length + 3]!)).toEqual([
      expect.stringContaining('tagged type:data-access'),
    ]);
  });
});

describe('a circular dependency between two projects fails lint', () => {
  let ws: string;

  beforeAll(() => {
    // A throw-away Nx workspace using this repository's ESLint configuration: projects a and b
    // import each other; c imports d (no cycle).
    ws = mkdtempSync(path.join(tmpdir(), 'ketenlink-cycle-'));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(ws, file)), { recursive: true });
      writeFileSync(path.join(ws, file), text);
    };
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(ws, 'node_modules'));
    write('package.json', JSON.stringify({ name: 'cycle-fixture', private: true }));
    // Like the repository's nx.json: Nx reads the TypeScript imports (pluginsConfig @nx/js).
    write(
      'nx.json',
      JSON.stringify({
        useDaemonProcess: false,
        analytics: false,
        pluginsConfig: { '@nx/js': { analyzeSourceFiles: true } },
      }),
    );
    write(
      'eslint.config.mjs',
      `export { default } from ${JSON.stringify(path.join(ROOT, 'eslint.config.mjs'))};\n`,
    );
    const paths: Record<string, string[]> = {};
    const lib = (name: string, imports: string[]) => {
      paths[`@fx/${name}`] = [`libs/${name}/src/index.ts`];
      write(
        `libs/${name}/project.json`,
        JSON.stringify({
          name,
          sourceRoot: `libs/${name}/src`,
          tags: ['scope:shared', 'type:util'],
        }),
      );
      write(
        `libs/${name}/src/index.ts`,
        [
          ...imports.map((i) => `import { ${i} } from '@fx/${i}';`),
          `export const ${name} = (): unknown[] => [${imports.join(', ')}];`,
          '',
        ].join('\n'),
      );
    };
    lib('a', ['b']);
    lib('b', ['a']);
    lib('c', ['d']);
    lib('d', []);
    write(
      'tsconfig.base.json',
      JSON.stringify({ compilerOptions: { baseUrl: '.', paths }, exclude: ['node_modules'] }),
    );
  });

  afterAll(() => rmSync(ws, { recursive: true, force: true }));

  it('reports a <-> b and nothing for c -> d', () => {
    const node = process.execPath;
    const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
    const graph = spawnSync(
      node,
      [path.join(ROOT, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'],
      {
        cwd: ws,
        env,
        encoding: 'utf8',
      },
    );
    expect(graph.status).toBe(0);
    const lint = spawnSync(
      node,
      [path.join(ROOT, 'node_modules/eslint/bin/eslint.js'), 'libs', '--format', 'json'],
      { cwd: ws, env, encoding: 'utf8' },
    );
    const results = JSON.parse(lint.stdout) as {
      filePath: string;
      messages: { message: string }[];
    }[];
    const byLib = Object.fromEntries(
      results.map((r) => [
        path.relative(ws, r.filePath).split(path.sep)[1],
        r.messages.map((m) => m.message),
      ]),
    );
    expect(byLib.a).toEqual([expect.stringContaining('Circular dependency between "a" and "b"')]);
    expect(byLib.b).toEqual([expect.stringContaining('Circular dependency between "b" and "a"')]);
    expect(byLib.c).toEqual([]);
    expect(byLib.d).toEqual([]);
    expect(lint.status).toBe(1);
  }, 60_000);
});
