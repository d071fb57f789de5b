#!/usr/bin/env node
// Builds the admin console (console/, Vite) into dist/console-app, which the server serves at /console.
// Part of `npm run build`; skipped when dist/console-app is newer than every source it is built from, so
// the CLI scripts that build first (`operators:grant`, `db:migrate`...) stay quick. `--force` always builds.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const OUTPUT = join(ROOT, 'dist', 'console-app', 'index.html');
const SOURCES = ['console/src', 'console/index.html', 'console/vite.config.ts', 'console/package.json', 'sdk/src', 'package-lock.json'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

function upToDate() {
  if (!existsSync(OUTPUT)) return false;
  const built = statSync(OUTPUT).mtimeMs;
  return SOURCES.every((source) => !existsSync(join(ROOT, source)) || newest(join(ROOT, source)) <= built);
}

if (process.argv.includes('--force') || !upToDate()) {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    // Vite honours NODE_ENV over its mode: under Jest (NODE_ENV=test) it would ship React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
