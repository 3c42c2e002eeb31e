// Jest runs globalSetup outside its module system (no moduleNameMapper), so the TypeScript
// setup is loaded through @swc-node/register, which resolves the @ketenlink/* path aliases.
require('@swc-node/register');
module.exports = require('./jest-global-setup.ts').default;
