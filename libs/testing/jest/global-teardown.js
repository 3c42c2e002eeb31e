require('@swc-node/register');
module.exports = require('./jest-global-teardown.ts').default;
