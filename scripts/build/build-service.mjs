#!/usr/bin/env node
// Compiles one service to plain JavaScript (docs/adr/0018-build-and-module-graph.md):
//   node scripts/build/build-service.mjs <service>
// → dist/<service>/ holds main.ts and every file it reaches through its imports (its own
// sources, the libraries named in tsconfig.base.json "paths", contracts) as CommonJS, in the
// repository's own folder layout, so the path aliases become plain relative requires and
// node_modules resolves from the repository root.
// Run it through Nx (`nx run <service>:build`): Nx caches dist/<service> on its inputs.
//
// swc options: legacy decorators + decorator metadata (NestJS's dependency injection reads the
// emitted `design:paramtypes`), ES2023, and the tsconfig path aliases rewritten (jsc.paths).
// Tests are never reached from main.ts, so they are not compiled.
import { transformFile } from '@swc/core';
import {
  cpSync,
  existsSync,
  mkdirSync,
  statSync,
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
const OUT = path.join(ROOT, 'dist', service);

/** The TypeScript file a relative require of `from` names (x.ts or x/index.ts), if any. */
function resolveSource(from, specifier) {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile()) {
      return candidate;
    }
  }
  return undefined;
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
// Every file reachable from main.ts through relative requires (after swc rewrote the aliases):
// exactly what the service runs, wherever it lives (libs, contracts/src, contracts/generated).
const seen = new Set();
const queue = [path.join(serviceRoot, 'src/main.ts')];
while (queue.length > 0) {
  const batch = queue.splice(0).filter((f) => !seen.has(f));
  batch.forEach((f) => seen.add(f));
  await Promise.all(
    batch.map(async (file) => {
      const rel = path.relative(ROOT, file);
      if (rel.startsWith('..')) throw new Error(`${file} is outside the repository`);
      const target = path.join(OUT, rel.replace(/\.ts$/, '.js'));
      const { code, map } = await transformFile(file, swcOptions(file));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
      if (map) writeFileSync(`${target}.map`, map);
      for (const [, specifier] of code.matchAll(/require\("(\.{1,2}\/[^"]*)"\)/g)) {
        const source = resolveSource(file, specifier);
        const asset = path.resolve(path.dirname(file), specifier);
        if (source) queue.push(source);
        else if (asset.endsWith('.json') && existsSync(asset)) {
          mkdirSync(path.dirname(path.join(OUT, path.relative(ROOT, asset))), { recursive: true });
          cpSync(asset, path.join(OUT, path.relative(ROOT, asset)));
        } else if (!existsSync(path.resolve(path.dirname(file), specifier))) {
          throw new Error(`${rel}: cannot resolve '${specifier}'`);
        }
      }
    }),
  );
}
const files = [...seen];
// Files read at run time next to the code: the event payload schemas (contracts/src/schema-files.ts
// reads `<contracts>/events` relative to its own folder).
for (const asset of ['contracts/events']) {
  cpSync(path.join(ROOT, asset), path.join(OUT, asset), { recursive: true });
}
console.log(
  `built ${service}: ${files.length} files → ${path.relative(ROOT, OUT)}/services/${service}/src/main.js in ${Date.now() - started} ms`,
);
