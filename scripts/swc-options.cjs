// The SWC options that compile the API and the libraries it imports to CommonJS: decorator
// metadata for Nest, class names kept, and the `@candor/*` aliases of tsconfig.base.json
// rewritten to relative paths. One copy for scripts/build-api.mjs, apps/api/bench/build.mjs and
// apps/api/test/fixtures/swc-register.js; CommonJS so that the register hook can require it.

/**
 * @param {string} root absolute path of the repository root (the aliases resolve from it)
 * @returns {import('@swc/core').Options}
 */
function swcOptions(root) {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      baseUrl: root,
      paths: {
        '@candor/contracts': ['libs/contracts/src/index.ts'],
        '@candor/instruments': ['libs/instruments/src/index.ts'],
        '@candor/stats': ['libs/stats/src/index.ts'],
        '@candor/disclosure': ['libs/disclosure/src/index.ts'],
      },
      keepClassNames: true,
    },
    module: { type: 'commonjs', strict: true },
  };
}

module.exports = { swcOptions };
