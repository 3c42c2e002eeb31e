require('@swc-node/register');
module.exports = require('../src/jest-global-teardown.ts').default;
