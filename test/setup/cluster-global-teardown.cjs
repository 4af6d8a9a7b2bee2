// Jest loads globalSetup without moduleNameMapper, so the ESM-style `.js` suffixes of relative imports
// in TypeScript sources would not resolve. Resolve `./x.js` to `./x.ts` while the setup runs.
const Module = require('node:module');

const original = Module._resolveFilename;
Module._resolveFilename = function resolveWithTsFallback(request, parent, ...rest) {
  try {
    return original.call(this, request, parent, ...rest);
  } catch (error) {
    if (request.startsWith('.') && request.endsWith('.js')) {
      return original.call(this, request.slice(0, -3), parent, ...rest);
    }
    throw error;
  }
};

module.exports = async () => {
  const { default: teardown } = require('./cluster-global-teardown.ts');
  await teardown();
};
