// Jest on Node 20 cannot load ES modules through `require`, and Nest 12 and some of its dependencies
// ship only ES modules. This transformer compiles our TypeScript and any ES-module file under
// node_modules to CommonJS with SWC; CommonJS files from node_modules pass through untouched.
const swcJest = require('@swc/jest');

const ESM_SYNTAX = /^\s*(import\s*[\w{*'"]|export\s*[\w{*])/m;

module.exports = {
  createTransformer(options) {
    const swc = swcJest.createTransformer(options);
    const isPlainCommonJs = (source, path) => path.includes('/node_modules/') && !ESM_SYNTAX.test(source);
    return {
      canInstrument: false,
      getCacheKey: (source, path, transformOptions) => swc.getCacheKey(source, path, transformOptions),
      process(source, path, transformOptions) {
        if (isPlainCommonJs(source, path)) return { code: source };
        return swc.process(source, path, transformOptions);
      },
    };
  },
};
