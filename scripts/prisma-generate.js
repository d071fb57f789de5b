#!/usr/bin/env node
// `prisma generate` with no network: the CLI first tries to download the native schema engine, which
// generation does not use. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any executable skips the download
// (see docs/architecture.md, "Prisma without network").
const { spawnSync } = require('node:child_process');

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath };
const result = spawnSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate'], {
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
process.exit(result.status ?? 1);
