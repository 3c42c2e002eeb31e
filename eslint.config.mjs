import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import ketenlink from './scripts/eslint/domain-imports.mjs';

// Module boundaries on two axes (docs/adr/0006-module-boundaries.md):
//   scope:<service> may use its own scope and scope:shared; scope:shared only itself.
//   type:app -> anything below it. type:platform = framework-bound shared libs (http, auth,
//   observability); type:util = pure libs (no framework, no I/O) that domain code may use.
// A circular dependency between projects is an error too (@nx/enforce-module-boundaries, on the
// project graph Nx builds from the imports). Domain folders: see `ketenlink/domain-imports` below.
const depConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:trajectory', onlyDependOnLibsWithTags: ['scope:trajectory', 'scope:shared'] },
  {
    sourceTag: 'scope:placement-intake',
    onlyDependOnLibsWithTags: ['scope:placement-intake', 'scope:shared'],
  },
  ...['agreements', 'plan-reviews', 'handover', 'partner-gateway'].map((name) => ({
    sourceTag: `scope:${name}`,
    onlyDependOnLibsWithTags: [`scope:${name}`, 'scope:shared'],
  })),
  { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:domain',
      'type:data-access',
      'type:platform',
      'type:util',
      'type:contracts',
    ],
  },
  {
    sourceTag: 'type:data-access',
    // type:domain: a data-access lib may build the pure domain's inputs (trajectory-facts →
    // libs/disclosure TrajectoryFacts, libs/consent).
    onlyDependOnLibsWithTags: [
      'type:data-access',
      'type:domain',
      'type:platform',
      'type:util',
      'type:contracts',
    ],
  },
  {
    sourceTag: 'type:platform',
    onlyDependOnLibsWithTags: ['type:platform', 'type:util', 'type:contracts'],
  },
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:contracts'],
  },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: [
      'type:data-access',
      'type:platform',
      'type:util',
      'type:contracts',
      'type:testing',
    ],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: [
      'type:data-access',
      'type:platform',
      'type:util',
      'type:contracts',
      'type:testing',
    ],
  },
];

// Tests may also use the shared test harness (libs/testing).
const testDepConstraints = depConstraints.map((c) =>
  c.sourceTag.startsWith('type:')
    ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] }
    : c,
);

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      '.data',
      '.nx',
      'coverage',
      'contracts/generated',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints },
      ],
      // No deep imports into another library: only its index.ts is public.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@ketenlink/*/*'],
              message: 'Import a library through its index (public API) only.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Domain code is plain TypeScript: no framework, ORM or Kafka client (tests included).
    files: ['services/*/src/domain/**/*.ts', 'libs/consent/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@ketenlink/*/*'],
              message: 'Import a library through its index (public API) only.',
            },
            {
              group: ['@nestjs/*', 'typeorm', 'kafkajs', 'pg', 'express'],
              message: 'Domain code stays framework-free.',
            },
          ],
        },
      ],
    },
  },
  {
    // ...and imports only its own domain folder, contracts, domain and pure (type:util) libraries.
    // Its tests may also use test tools (fast-check) and test data.
    files: ['services/*/src/domain/**/*.ts', 'libs/consent/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    plugins: { ketenlink },
    rules: { 'ketenlink/domain-imports': 'error' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test-support/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: testDepConstraints },
      ],
    },
  },
  prettier,
);
