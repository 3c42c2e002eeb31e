// Nx plugin (nx.json "plugins"): the targets every project has, inferred from its project.json,
// so a new library or service gets them without copying target definitions
// (docs/adr/0018-build-and-module-graph.md):
//   lint   ESLint on the project's folder (module boundaries, domain imports)
//   test   the project's unit tests (*.spec.ts)
//   int    the project's integration tests (*.int-spec.ts; real Kafka and PostgreSQL, not cached)
//   build  services only (services/<name>/src/main.ts): compiled JavaScript in dist/<name>
// The edges of the graph come from Nx's TypeScript import analysis (tsconfig.base.json paths).
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const LINT_INPUTS = ['default', '^default', '{workspaceRoot}/eslint.config.mjs'];
const TEST_INPUTS = [
  'default',
  '^production',
  '{workspaceRoot}/jest.config.js',
  '{workspaceRoot}/tsconfig.base.json',
];
// A service's build compiles the service and every library source root (build-service.mjs).
const BUILD_INPUTS = [
  'production',
  '^production',
  '{workspaceRoot}/libs/*/src/**/*.ts',
  '{workspaceRoot}/contracts/src/**/*.ts',
  '{workspaceRoot}/contracts/generated/**/*.ts',
  '{workspaceRoot}/contracts/events/**/*.json',
  '!{workspaceRoot}/**/*.spec.ts',
  '!{workspaceRoot}/**/*.int-spec.ts',
  '{workspaceRoot}/tsconfig.base.json',
  '{workspaceRoot}/scripts/build/build-service.mjs',
];

function run(command, extra = {}) {
  return { executor: 'nx:run-commands', options: { command, cwd: '{workspaceRoot}' }, ...extra };
}

function targetsFor(root, name, workspaceRoot) {
  const pattern = `/${root}/`;
  const targets = {
    lint: run(`eslint ${root} --max-warnings=0`, { cache: true, inputs: LINT_INPUTS }),
    test: run(`jest --selectProjects unit --passWithNoTests '${pattern}'`, {
      cache: true,
      inputs: TEST_INPUTS,
    }),
    int: run(`jest --selectProjects int --runInBand --passWithNoTests '${pattern}'`, {
      cache: false,
    }),
  };
  if (root.startsWith('services/') && existsSync(path.join(workspaceRoot, root, 'src/main.ts'))) {
    targets.build = run(`node scripts/build/build-service.mjs ${name}`, {
      cache: true,
      inputs: BUILD_INPUTS,
      outputs: [`{workspaceRoot}/dist/${name}`],
    });
  }
  return targets;
}

const createNodes = [
  '**/project.json',
  (files, _options, context) =>
    files.map((file) => {
      const root = path.dirname(file);
      const json = JSON.parse(readFileSync(path.join(context.workspaceRoot, file), 'utf8'));
      const name = json.name ?? path.basename(root);
      return [
        file,
        { projects: { [root]: { targets: targetsFor(root, name, context.workspaceRoot) } } },
      ];
    }),
];

module.exports = { name: 'ketenlink-targets', createNodes, createNodesV2: createNodes };
