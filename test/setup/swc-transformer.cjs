// Jest runs in CommonJS mode (ESM Jest is unreliable on Node 20). The project and some
// ESM-only dependencies are transpiled by swc; `import.meta.url` (Prisma's generated
// client uses it) has no CommonJS equivalent, so it is rewritten before swc runs.
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
});

const IMPORT_META_URL = /import\.meta\.url/g;
const IMPORT_META_DIRNAME = /import\.meta\.dirname/g;
// ESM packages often do `const require = createRequire(import.meta.url)`; CommonJS already has one, and
// the declaration would shadow the `require` calls swc emits for imports (temporal dead zone).
const CREATE_REQUIRE = /\b(?:const|let|var)\s+require\s*=\s*createRequire\([^)]*\);?/g;

module.exports = {
  process(src, filename, options) {
    const rewritten = src
      .replace(CREATE_REQUIRE, '')
      .replace(IMPORT_META_URL, "require('node:url').pathToFileURL(__filename).href")
      .replace(IMPORT_META_DIRNAME, '__dirname');
    return swc.process(rewritten, filename, options);
  },
  getCacheKey(src, filename, options) {
    return swc.getCacheKey(src, filename, options) + ':import-meta-v2';
  },
};
