#!/usr/bin/env node
// Compiles one service to plain JavaScript (docs/adr/0018-build-and-module-graph.md):
//   node scripts/build/build-service.mjs <service>
// → dist/<service>/ holds the service's sources and every library (the source roots named in
// tsconfig.base.json "paths") as CommonJS, in the repository's own folder layout, so the path
// aliases become plain relative requires and node_modules resolves from the repository root.
// Run it through Nx (`nx run <service>:build`): Nx caches dist/<service> on its inputs.
//
// swc options: legacy decorators + decorator metadata (NestJS's dependency injection reads the
// emitted `design:paramtypes`), ES2023, and the tsconfig path aliases rewritten (jsc.paths).
// Tests are left out (*.spec.ts, *.int-spec.ts, test-support/, fixtures).
import { transformFile } from '@swc/core';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const service = process.argv[2];
if (!service || !/^[a-z][a-z0-9-]*$/.test(service)) {
  console.error('usage: build-service.mjs <service>');
  process.exit(2);
}
const serviceRoot = path.join(ROOT, 'services', service);
if (!existsSync(path.join(serviceRoot, 'src/main.ts'))) {
  console.error(`no services/${service}/src/main.ts`);
  process.exit(2);
}

const { compilerOptions } = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.base.json'), 'utf8'));
const paths = compilerOptions.paths;
// Source roots: the service and the folder of each alias target (libs/x/src, contracts/src).
const roots = new Set([path.join(serviceRoot, 'src')]);
for (const targets of Object.values(paths)) {
  for (const t of targets) roots.add(path.dirname(path.join(ROOT, t)));
}

const OUT = path.join(ROOT, 'dist', service);
const EXCLUDED = [/\.spec\.ts$/, /\.int-spec\.ts$/, /\.e2e-spec\.ts$/, /\.d\.ts$/];
const EXCLUDED_DIRS = new Set(['test-support', '__fixtures__', 'node_modules']);

function* sources(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!EXCLUDED_DIRS.has(e.name)) yield* sources(p);
    } else if (e.name.endsWith('.ts') && !EXCLUDED.some((re) => re.test(e.name))) {
      yield p;
    }
  }
}

const swcOptions = (filename) => ({
  filename,
  swcrc: false,
  configFile: false,
  sourceMaps: true,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
    baseUrl: ROOT,
    paths,
  },
  module: { type: 'commonjs', strict: false, noInterop: false },
});

const started = Date.now();
rmSync(OUT, { recursive: true, force: true });
const files = [...roots].filter((r) => existsSync(r)).flatMap((r) => [...sources(r)]);
await Promise.all(
  files.map(async (file) => {
    const rel = path.relative(ROOT, file);
    const target = path.join(OUT, rel.replace(/\.ts$/, '.js'));
    const { code, map } = await transformFile(file, swcOptions(file));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    if (map) writeFileSync(`${target}.map`, map);
  }),
);
// Files read at run time next to the code: the event payload schemas (contracts/src/schema-files.ts
// reads `<contracts>/events` relative to its own folder).
for (const asset of ['contracts/events']) {
  cpSync(path.join(ROOT, asset), path.join(OUT, asset), { recursive: true });
}
console.log(
  `built ${service}: ${files.length} files → ${path.relative(ROOT, OUT)}/services/${service}/src/main.js in ${Date.now() - started} ms`,
);
