// Jest's cluster-global-setup hook: the TypeScript module of the same name (test/setup/ts-require.cjs says why).
const { runDefault } = require('./ts-require.cjs');

module.exports = () => runDefault('cluster-global-setup.ts');
