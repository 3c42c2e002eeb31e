// Three test tiers by file name (docs/architecture.md "Testing"):
//   *.spec.ts      unit: pure, fast, no I/O
//   *.int-spec.ts  integration: real PostgreSQL and Kafka, real migrations
//   tests/e2e/**   end to end: every service as its own process
const { compilerOptions } = require('./tsconfig.base.json');
const { pathsToModuleNameMapper } = require('./scripts/jest-paths');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      // swc rewrites the @ketenlink/* aliases itself, so code loaded outside jest's module
      // system (globalSetup) resolves them too.
      baseUrl: __dirname,
      paths: compilerOptions.paths,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // ESM-only packages (jose, @nestjs/terminus, @platformatic/kafka and its scule): let swc turn
  // them into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(jose|@nestjs/terminus|@platformatic|scule)/)'],
  moduleNameMapper: pathsToModuleNameMapper(),
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/.data/', '<rootDir>/dist/'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,services,contracts,scripts}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/{libs,services,contracts}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/jest/global-setup.js',
      globalTeardown: '<rootDir>/libs/testing/jest/global-teardown.js',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/jest/slow-tier.js'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/jest/global-setup.js',
      globalTeardown: '<rootDir>/libs/testing/jest/global-teardown.js',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/jest/slow-tier.js'],
    },
  ],
};
