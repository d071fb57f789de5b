// Jest runs TypeScript through SWC with the build's own settings (.swcrc), so tests execute the code
// that ships. ES-module-only packages (Nest 12 and some dependencies) are compiled to CommonJS, because
// Jest cannot require ES modules on Node 20 (see test/setup/swc-esm-transformer.js).
const { readFileSync } = require('node:fs');
const { availableParallelism } = require('node:os');

const swcrc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcrc.exclude;
const swc = ['<rootDir>/test/setup/swc-esm-transformer.js', { ...swcrc, swcrc: false }];

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  transform: { '^.+\\.(ts|js|mjs)$': swc },
  // axe-core is a UMD script that reads `this` at the top level; compiled as a strict module it breaks.
  transformIgnorePatterns: ['/node_modules/axe-core/'],
  // The generated Prisma client imports its siblings as `./x.js`; resolve them to the `.ts` sources.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  // Every answer a test receives is checked against docs/openapi.json (test/support/openapi-contract.ts).
  setupFilesAfterEnv: ['<rootDir>/test/setup/contract-check.ts'],
  testTimeout: 30000,
  // Suites start server processes, PgBouncer, Chromium and `npm run build`; on two cores, two such
  // suites at once starve each other (the fuzz suite's one-second stall check tripped in CI while
  // another suite rebuilt dist/). One suite at a time there; half the cores on bigger machines.
  maxWorkers: availableParallelism() <= 2 ? 1 : '50%',
  // A worker that ran dozens of suites (each with its own apps, module registry and Prisma client)
  // grew until one GC pause outlasted the fuzz suite's stall check (1.1 s on /metrics, 30-90 ms in a
  // fresh worker). A worker above this after a suite is replaced (this also keeps one worker from
  // running in band).
  workerIdleMemoryLimit: '512MB',
};
