#!/usr/bin/env node
// Provisioning throughput benchmark: whole tenants created one transaction each, two ways side by
// side in one run, at concurrency 1 and at a higher fixed concurrency (default 8):
//   service   TenantProvisioningService.createFullyProvisioned from the compiled application (Nest
//             application context, Prisma over `pg`, RLS transaction as shipped)
//   baseline  the same rows written by hand through `pg`: BEGIN; INSERT tenant; INSERT user (owner,
//             passwordHash '!'); INSERT OWNER membership; set_config role app_tenant + tenant id;
//             INSERT General segment; INSERT the 3 packages (one multi-row INSERT); INSERT API key
//             (SHA-256 of a fresh secret); INSERT audit event; COMMIT
// Both use a pool of 10 connections and generateKeyMaterial('tenant') from dist/. Closed loop: N
// workers each start the next provision when theirs finishes, for a fixed number of provisions.
// Usage: npm run bench:provisioning [-- --rounds 3 --warmup 50 --serial 400 --concurrent 800 --concurrency 8]
'use strict';

const { spawn } = require('node:child_process');
const { randomBytes, randomFillSync } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
/** The Node flags `npm start` runs the service with, so the benchmark measures what production runs. */
const START_FLAGS = require(path.join(ROOT, 'package.json')).scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
const TARGET = 0.5; // service provisions/s over baseline provisions/s, at each concurrency (issue #15)
const POOL_SIZE = 10;

function parseArgs(argv) {
  const options = { rounds: 3, warmup: 50, serial: 400, concurrent: 800, concurrency: 8 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in options) || !/^\d+$/.test(argv[i + 1] ?? '')) throw new Error(`unknown or bad option ${argv[i]} (see the usage line in bench/provisioning/run.js)`);
    options[name] = Number(argv[i + 1]);
  }
  if (options.rounds < 1 || options.concurrency < 1) throw new Error('--rounds and --concurrency must be at least 1');
  return options;
}

// ---------------------------------------------------------------------------------------------
// Run under the same Node flags as `npm start` (--max-semi-space-size): re-exec once with them.

const needsFlags = !process.env.BENCH_PROVISIONING_CHILD && START_FLAGS.some((flag) => !process.execArgv.includes(flag));
if (needsFlags) {
  const child = spawn(process.execPath, [...START_FLAGS, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PROVISIONING_CHILD: '1' },
  });
  // Ctrl-C reaches the child through the process group; a SIGINT sent to this pid alone is passed on.
  process.on('SIGINT', () => child.kill('SIGINT'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
}

if (!needsFlags) require('node:v8').setFlagsFromString('--liftoff-only'); // as src/main.ts does, before Prisma loads
const pg = require('pg');

async function withAdmin(work) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(name) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Set on Ctrl-C: the database is being dropped under the run, so its failures are expected. */
let interrupted = false;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---------------------------------------------------------------------------------------------
// The two variants

/** UUIDv7 (time-ordered), as Prisma's @default(uuid(7)) generates client-side for the service. */
const uuidBytes = Buffer.alloc(16);
function uuidv7() {
  randomFillSync(uuidBytes);
  uuidBytes.writeUIntBE(Date.now(), 0, 6);
  uuidBytes[6] = (uuidBytes[6] & 0x0f) | 0x70;
  uuidBytes[8] = (uuidBytes[8] & 0x3f) | 0x80;
  const hex = uuidBytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const RUN_TAG = randomBytes(3).toString('hex');
let sequence = 0;
/** A tenant nobody has yet: unique slug and email per provision, per variant. */
function nextInput(prefix) {
  const n = ++sequence;
  return { name: `Bench ${prefix} ${n}`, email: `${prefix}-${RUN_TAG}-${n}@bench.example`, slug: `${prefix}-${RUN_TAG}-${n}` };
}

async function startService(url) {
  Object.assign(process.env, {
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    MIGRATE_ON_START: 'false',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    TENANT_COOKIE_SECRET: randomBytes(32).toString('base64url'),
    CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  });
  const { NestFactory } = require('@nestjs/core');
  const { AppModule } = require(path.join(DIST, 'app.module.js'));
  const { TenantProvisioningService } = require(path.join(DIST, 'provisioning', 'tenant-provisioning.service.js'));
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  const service = app.get(TenantProvisioningService);
  return {
    name: 'service',
    app,
    async provision() {
      const result = await service.createFullyProvisioned(nextInput('svc'));
      return result.tenant.id;
    },
    close: () => app.close(),
  };
}

const SETTINGS = JSON.stringify({ timezone: 'UTC', language: 'en' });
const INSERT_TENANT = `INSERT INTO "tenants" ("id", "slug", "name", "email", "domain", "settings", "commissionPercent", "phoneNumberId", "genesysIntegrationId", "status")
  VALUES ($1, $2, $3, $4, NULL, $5, 10, NULL, NULL, 'ACTIVE')`;
const INSERT_USER = `INSERT INTO "users" ("id", "email", "passwordHash") VALUES ($1, $2, '!')`;
const INSERT_MEMBERSHIP = `INSERT INTO "tenant_memberships" ("tenantId", "userId", "role") VALUES ($1, $2, 'OWNER')`;
const ENTER_TENANT = `SELECT set_config('role', 'app_tenant', true), set_config('app.current_tenant_id', $1, true)`;
const INSERT_SEGMENT = `INSERT INTO "segments" ("tenantId", "id", "slug", "name", "heroTitle", "description", "sortOrder")
  VALUES ($1, $2, 'general', 'General', 'Our Services', 'Your main service offerings', 0)`;
const INSERT_PACKAGES = `INSERT INTO "packages" ("tenantId", "id", "segmentId", "slug", "name", "description", "basePrice", "groupingOrder") VALUES
  ($1, $2, $5, 'basic-package', 'Basic', 'Good: the essentials, for a simple booking.', 0, 1),
  ($1, $3, $5, 'standard-package', 'Standard', 'Better: everything in Basic, plus more time and extras.', 0, 2),
  ($1, $4, $5, 'premium-package', 'Premium', 'Best: everything in Standard, with the full premium experience.', 0, 3)`;
const INSERT_API_KEY = `INSERT INTO "api_keys" ("tenantId", "id", "publicId", "secretHash", "name", "scopes") VALUES ($1, $2, $3, $4, 'Default key', $5)`;
const INSERT_AUDIT = `INSERT INTO "audit_events" ("id", "actorType", "actorId", "action", "targetType", "targetId", "tenantId", "requestId", "metadata")
  VALUES ($1, 'SYSTEM', NULL, 'tenant.created', 'tenant', $2, $3, NULL, $4)`;

function startBaseline(url) {
  const { generateKeyMaterial } = require(path.join(DIST, 'auth', 'secret-tokens.js'));
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: 5_000 });
  // Idle connections end when the database is dropped (Ctrl-C); the service's pool ignores that too.
  pool.on('error', () => {});
  return {
    name: 'baseline',
    async provision() {
      const input = nextInput('raw');
      const key = generateKeyMaterial('tenant');
      const tenantId = uuidv7();
      const userId = uuidv7();
      const segmentId = uuidv7();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(INSERT_TENANT, [tenantId, input.slug, input.name, input.email, SETTINGS]);
        await client.query(INSERT_USER, [userId, input.email]);
        await client.query(INSERT_MEMBERSHIP, [tenantId, userId]);
        await client.query(ENTER_TENANT, [tenantId]);
        await client.query(INSERT_SEGMENT, [tenantId, segmentId]);
        await client.query(INSERT_PACKAGES, [tenantId, uuidv7(), uuidv7(), uuidv7(), segmentId]);
        await client.query(INSERT_API_KEY, [tenantId, uuidv7(), key.publicId, key.secretHash, ['*']]);
        await client.query(INSERT_AUDIT, [uuidv7(), tenantId, tenantId, JSON.stringify({ source: 'platform', slug: input.slug, ownerId: userId })]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
      return tenantId;
    },
    close: () => pool.end(),
  };
}

// ---------------------------------------------------------------------------------------------
// Checks and measurement

/** Both variants must leave the same rows behind, or the comparison means nothing. */
async function sameRows(url, variants) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const shapes = [];
    for (const variant of variants) {
      const id = await variant.provision();
      const { rows } = await client.query(
        `SELECT t.status::text AS status, t."commissionPercent"::text AS commission, t.settings = $2::jsonb AS "defaultSettings",
           (SELECT count(*)::int FROM tenant_memberships m JOIN users u ON u.id = m."userId" WHERE m."tenantId" = t.id AND m.role = 'OWNER' AND u."passwordHash" = '!') AS owners,
           (SELECT count(*)::int FROM segments s WHERE s."tenantId" = t.id AND s.slug = 'general') AS segments,
           (SELECT string_agg(p.slug, ',' ORDER BY p."groupingOrder") FROM packages p WHERE p."tenantId" = t.id) AS packages,
           (SELECT count(*)::int FROM api_keys k WHERE k."tenantId" = t.id AND k.scopes = ARRAY['*']::varchar[] AND length(k."secretHash") = 64) AS keys,
           (SELECT count(*)::int FROM audit_events a WHERE a."tenantId" = t.id AND a.action = 'tenant.created' AND a."actorType" = 'SYSTEM') AS audits
         FROM tenants t WHERE t.id = $1`,
        [id, SETTINGS],
      );
      shapes.push(JSON.stringify(rows[0]));
    }
    const expected = JSON.stringify({
      status: 'ACTIVE',
      commission: '10.00',
      defaultSettings: true,
      owners: 1,
      segments: 1,
      packages: 'basic-package,standard-package,premium-package',
      keys: 1,
      audits: 1,
    });
    for (const [i, shape] of shapes.entries()) {
      if (shape !== expected) throw new Error(`${variants[i].name} wrote ${shape}, expected ${expected}`);
    }
  } finally {
    await client.end();
  }
}

/** The statements one provision sends (each pg query() is one round trip), by wrapping pg's Client. */
async function statementsOf(variant) {
  const original = pg.Client.prototype.query;
  const sent = [];
  pg.Client.prototype.query = function (config, ...rest) {
    const text = typeof config === 'string' ? config : config?.text;
    if (text) sent.push(text.replace(/\s+/g, ' ').slice(0, 120));
    return original.call(this, config, ...rest);
  };
  try {
    await variant.provision();
  } finally {
    pg.Client.prototype.query = original;
  }
  return sent;
}

async function measure(variant, concurrency, count) {
  const latencies = new Float64Array(count);
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await variant.provision();
        latencies[i] = performance.now() - t0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = latencies.sort();
  // cpu: this Node process's CPU time (user + system) per provision; PostgreSQL's is not in it.
  return { rate: count / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), cpu: (cpu.user + cpu.system) / 1000 / count, count, seconds };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const name = `bench_provisioning_${randomBytes(4).toString('hex')}`;
  const url = databaseUrl(name);
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  process.on('SIGINT', () => {
    if (interrupted) return;
    interrupted = true;
    withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).finally(() => process.exit(130));
  });
  const variants = [];
  try {
    const { MigrationRunner } = require(path.join(DIST, 'database', 'migrations', 'migration-runner.js'));
    const { releaseSchemaEngine } = require(path.join(DIST, 'database', 'migrations', 'schema-engine.js'));
    await new MigrationRunner({ databaseUrl: url }).apply().finally(releaseSchemaEngine);

    variants.push(await startService(url));
    variants.push(startBaseline(url));
    await sameRows(url, variants);
    const statements = {};
    for (const variant of variants) statements[variant.name] = await statementsOf(variant);

    const levels = [
      { concurrency: 1, count: options.serial },
      { concurrency: options.concurrency, count: options.concurrent },
    ];
    process.stdout.write(`warm-up: ${options.warmup} provisions each at concurrency 1 and ${options.concurrency}\n`);
    for (const variant of variants) for (const level of levels) await measure(variant, level.concurrency, options.warmup);

    const results = {};
    for (const level of levels) {
      results[level.concurrency] = Object.fromEntries(variants.map((variant) => [variant.name, []]));
      for (let round = 0; round < options.rounds; round++) {
        // Alternate which goes first, so drift (and the tables growing) is spread over both.
        const order = round % 2 === 0 ? variants : [...variants].reverse();
        for (const variant of order) {
          const result = await measure(variant, level.concurrency, level.count);
          results[level.concurrency][variant.name].push(result);
          process.stdout.write(
            `c=${String(level.concurrency).padEnd(2)} round ${round + 1} ${variant.name.padEnd(8)} ${result.rate.toFixed(0).padStart(5)} provisions/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  node cpu ${result.cpu.toFixed(2)} ms/provision\n`,
          );
        }
      }
    }

    const summary = {};
    const ratios = {};
    for (const level of levels) {
      const byVariant = results[level.concurrency];
      summary[level.concurrency] = Object.fromEntries(
        Object.entries(byVariant).map(([key, runs]) => [
          key,
          {
            rate: median(runs.map((run) => run.rate)),
            p50: median(runs.map((run) => run.p50)),
            p99: median(runs.map((run) => run.p99)),
            cpu: median(runs.map((run) => run.cpu)),
          },
        ]),
      );
      ratios[level.concurrency] = summary[level.concurrency].service.rate / summary[level.concurrency].baseline.rate;
    }

    process.stdout.write(
      `\nmedian of ${options.rounds} rounds; ${options.serial} provisions per run at c=1, ${options.concurrent} at c=${options.concurrency}; pool ${POOL_SIZE}\n`,
    );
    process.stdout.write('| variant | concurrency | provisions/s | p50 ms | p99 ms | node cpu ms/provision |\n|---|---|---|---|---|---|\n');
    for (const level of levels) {
      for (const [key, value] of Object.entries(summary[level.concurrency])) {
        process.stdout.write(`| ${key} | ${level.concurrency} | ${value.rate.toFixed(0)} | ${value.p50.toFixed(2)} | ${value.p99.toFixed(2)} | ${value.cpu.toFixed(2)} |\n`);
      }
    }
    process.stdout.write(`statements per provision: ${variants.map((variant) => `${variant.name} ${statements[variant.name].length}`).join(', ')}\n`);
    let met = true;
    for (const level of levels) {
      const ratio = ratios[level.concurrency];
      met &&= ratio >= TARGET;
      process.stdout.write(`c=${level.concurrency} service/baseline: ${ratio.toFixed(2)} (target ≥ ${TARGET}) ${ratio >= TARGET ? 'PASS' : 'FAIL'}\n`);
    }
    process.stdout.write(`${met ? 'target met' : 'MISSED'}\n`);

    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `provisioning-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify({ options, poolSize: POOL_SIZE, summary, ratios, target: TARGET, statements, rounds: results }, null, 2)}\n`);
    process.stdout.write(`results: ${path.relative(ROOT, file)}\n`);
  } finally {
    for (const variant of variants) await variant.close().catch(() => {});
    await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

if (!needsFlags) {
  main().catch((error) => {
    if (interrupted) return;
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exitCode = 1;
  });
}
