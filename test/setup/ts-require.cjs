// Jest loads globalSetup and globalTeardown modules without moduleNameMapper, so the ESM-style `.js`
// suffixes of relative imports in TypeScript sources would not resolve. While such a module loads,
// `./x.js` falls back to `./x.ts`. The global setup and teardown shims beside this file use it.
const Module = require('node:module');

const original = Module._resolveFilename;
let installed = false;

function install() {
  if (installed) return;
  installed = true;
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
}

/** Runs the default export of a TypeScript module of test/setup (its name relative to this folder). */
module.exports.runDefault = async (name) => {
  install();
  const { default: run } = require(`./${name}`);
  await run();
};
