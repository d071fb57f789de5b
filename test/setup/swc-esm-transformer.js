// Jest on Node 20 cannot load ES modules through `require`, and Nest 12 and some of its dependencies
// ship only ES modules. This transformer compiles our TypeScript and any ES-module file under
// node_modules to CommonJS with SWC; CommonJS files from node_modules pass through untouched, unless
// they load an ES module with a dynamic `import()` (@fastify/cookie loads `cookie` that way), which
// Jest's module sandbox cannot run: SWC turns it into a `require`.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const swcJest = require('@swc/jest');

// Part of every cache key: a change to this file's rules must not reuse output made under the old ones.
const SELF = createHash('sha256').update(readFileSync(__filename)).digest('hex').slice(0, 16);

const ESM_SYNTAX = /^\s*(import\s*[\w{*'"]|export\s*[\w{*])/m;
const DYNAMIC_IMPORT = /\bawait\s+import\s*\(/;

module.exports = {
  createTransformer(options) {
    const swc = swcJest.createTransformer(options);
    const isPlainCommonJs = (source, path) => path.includes('/node_modules/') && !ESM_SYNTAX.test(source) && !DYNAMIC_IMPORT.test(source);
    return {
      canInstrument: false,
      getCacheKey: (source, path, transformOptions) => `${swc.getCacheKey(source, path, transformOptions)}:${SELF}`,
      process(source, path, transformOptions) {
        if (isPlainCommonJs(source, path)) return { code: source };
        return swc.process(source, path, transformOptions);
      },
    };
  },
};
