#!/usr/bin/env node
// The Dockerfile's runtime stage, outside Docker (no Docker engine runs on our CI machines): the same
// install command, the same files, the same start command and HEALTHCHECK, on a data directory that
// stands for the mounted volume. Then it signs a user up and logs in (argon2 hashes and verifies in
// exactly this install layout), checks the admin console is served at /console, restarts, and logs
// in again from the persisted data.
//
//   npm run check:runtime-stage            (CI runs it; needs `npm run build` first, which it does)
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const { cpSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const runtimeStage = DOCKERFILE.slice(DOCKERFILE.indexOf(' AS runtime'));

/** The runtime stage's `RUN npm ci ...` and `CMD [...]`, read from the Dockerfile so they cannot drift. */
function dockerfileCommands() {
  const install = /^RUN (npm ci [^&\n]+)/m.exec(runtimeStage)?.[1].trim();
  const cmd = /^CMD (\[.+\])$/m.exec(runtimeStage)?.[1];
  const healthcheck = /^\s+CMD (\[.+\])$/m.exec(runtimeStage)?.[1];
  if (!install || !cmd || !healthcheck) throw new Error('Dockerfile runtime stage: RUN npm ci, HEALTHCHECK or CMD not found');
  return { install: install.split(/\s+/), cmd: JSON.parse(cmd), healthcheck: JSON.parse(healthcheck) };
}

function log(message) {
  process.stdout.write(`[runtime-stage] ${message}\n`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** What the image's environment would be: only the Dockerfile's ENV and the `docker run -e` secrets. */
function containerEnv(port) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    JWT_SECRET: require('node:crypto').randomBytes(48).toString('base64'),
    TENANT_COOKIE_SECRET: require('node:crypto').randomBytes(48).toString('base64'),
    CREDENTIALS_KEYS: `k1:${require('node:crypto').randomBytes(32).toString('base64')}`,
    LOG_LEVEL: 'warn',
  };
}

async function start(app, cmd, env) {
  const child = spawn(process.execPath, cmd.slice(1), { cwd: app, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${base}/api/v1/health/ready`);
      if (response.status === 200) return { child, exited, base };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error('server not ready within 60 s');
}

async function post(base, path, body) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function stop(server) {
  server.child.kill('SIGTERM');
  const code = await server.exited;
  if (code !== 0) throw new Error(`server exited with ${code} on SIGTERM, expected 0`);
}

/**
 * The deployment with a database server: DATABASE_URL and MIGRATE_ON_START=true on an empty database,
 * which the server migrates in a child process (dist/database/migrations/migrate-process.js) before
 * it serves. The local PostgreSQL stands for the server (RUNTIME_STAGE_ADMIN_URL to change it).
 */
async function externalDatabase(app, cmd) {
  const { Client } = require('pg');
  const adminUrl = process.env.RUNTIME_STAGE_ADMIN_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `tp_runtime_stage_${Date.now()}`;
  const admin = async (sql) => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const env = { ...containerEnv(await freePort()), DATABASE_URL: url.toString(), MIGRATE_ON_START: 'true' };
    const server = await start(app, cmd, env);
    const signup = await post(server.base, '/api/v1/auth/signup', {
      email: `runtime-db-${Date.now()}@example.com`,
      password: 'a long runtime-stage passphrase',
      businessName: 'Runtime Stage Database',
    });
    const packages = await fetch(`${server.base}/api/v1/packages`, { headers: { authorization: `Bearer ${signup.accessToken}` } });
    const list = await packages.json();
    if (packages.status !== 200 || list.total !== 3) throw new Error(`GET /packages after signup: ${packages.status} ${JSON.stringify(list).slice(0, 200)}`);
    await stop(server);
    log('on an empty PostgreSQL database with MIGRATE_ON_START=true: migrated, served, signed up, listed the 3 default packages');
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

async function main() {
  const { install, cmd, healthcheck } = dockerfileCommands();
  if (cmd[0] !== 'node' || healthcheck[0] !== 'node') throw new Error('expected the CMD and HEALTHCHECK to run node');
  const app = mkdtempSync(join(tmpdir(), 'tp-runtime-stage-'));
  try {
    log(`install in ${app}: ${install.join(' ')}`);
    cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
    cpSync(join(ROOT, 'package-lock.json'), join(app, 'package-lock.json'));
    execFileSync(install[0], install.slice(1), { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] });
    // COPY --from=build /app/node_modules/@node-rs ./node_modules/@node-rs ; /app/dist ; /app/prisma
    cpSync(join(ROOT, 'node_modules', '@node-rs'), join(app, 'node_modules', '@node-rs'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'prisma'), join(app, 'prisma'), { recursive: true });

    for (const devOnly of ['@swc/core', 'prisma', 'typescript', 'jest']) {
      let found = true;
      try {
        require.resolve(devOnly, { paths: [app] });
      } catch {
        found = false;
      }
      if (found) throw new Error(`${devOnly} is installed in the runtime layout; it should not be`);
    }
    log('layout has no build tools; starting the CMD with NODE_ENV=production on an empty data directory (the volume)');

    const env = containerEnv(await freePort());
    const account = { email: `runtime-${Date.now()}@example.com`, password: 'a long runtime-stage passphrase', businessName: 'Runtime Stage Check' };
    let server = await start(app, cmd, env);
    execFileSync(process.execPath, healthcheck.slice(1), { cwd: app, env, stdio: 'inherit' });
    log('ready; HEALTHCHECK passes');
    // The admin console ships inside dist/ (dist/console-app): its page and its script are served.
    const page = await fetch(`${server.base}/console/`);
    const html = await page.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    if (page.status !== 200 || !script) throw new Error(`GET /console/: ${page.status}, no console page`);
    const asset = await fetch(`${server.base}${script}`);
    if (asset.status !== 200) throw new Error(`GET ${script}: ${asset.status}`);
    log('the admin console is served at /console');
    const signup = await post(server.base, '/api/v1/auth/signup', account);
    await post(server.base, '/api/v1/auth/login', { email: account.email, password: account.password });
    log(`signed up tenant ${signup.tenant.slug} and logged in (argon2id hash + verify)`);
    await stop(server);

    server = await start(app, cmd, env);
    const session = await post(server.base, '/api/v1/auth/login', { email: account.email, password: account.password });
    if (session.tenantId !== signup.tenant.id) throw new Error('after a restart, login did not find the tenant on the volume');
    await stop(server);
    log('restarted on the same data directory: the account is still there; SIGTERM exits 0');
    await externalDatabase(app, cmd);
    log('OK');
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`[runtime-stage] FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
