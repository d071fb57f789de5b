#!/usr/bin/env node
// Catalog read benchmark: the two catalog reads that must stay fast as the platform grows.
//
//   storefront   GET /api/v1/storefront/:slug, public. Three rounds per cache backend (in-process,
//                and Redis when one answers at BENCH_REDIS_URL, default redis://127.0.0.1:6379):
//                  cold  every request names a different tenant that nobody has asked for since the
//                        server started: a fixed-count run over a list of never-requested slugs, each
//                        requested exactly once (a fresh server per backend, so its caches are empty)
//                  warm  the same small set of tenants over and over, all requested once beforehand
//                  304   the warm set again, each request sending If-None-Match with that tenant's ETag
//   packages     GET /api/v1/packages?limit=50 with a tenant API key, against two databases served
//                side by side (one server each, same settings), in alternating rounds:
//                  small  10 tenants x 50 packages (500 package rows); every tenant queried
//                  big    10,000 tenants x 50 packages (500,000 rows); --keyed tenants spread evenly
//                         over the set queried, round-robin per request
//                Target: big/small ≤ 1.5 for p50 and for p99.
//
// Data is written as the database owner with plain SQL (generate_series), not through the API: each
// tenant has segments general / weddings / corporate and 50 active packages over them. By default a
// tenant's packages are interleaved with every other tenant's in the heap (inserted package-number
// first), as rows created over months would be; --interleaved 0 writes each tenant's rows together.
// Two throwaway databases bench_catalog_<random> and bench_catalog_<random>_small, dropped at the end.
//
// Usage: npm run bench:catalog [-- --duration 8 --warmup 3 --rounds 3 --connections 10 --tenants 10000
//          --packages 50 --keyed 100 --warm 100 --cold 2000 --jit 300 --redis 1 --interleaved 1
//          --only all|storefront|packages --seed-only 0]
'use strict';

const autocannon = require('autocannon');
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { Client } = require('pg');
const { UNLIMITED_RATE_LIMITS } = require('../lib/rate-limits');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
/** The Node flags `npm start` runs the service with, so the benchmark measures what production runs. */
const START_FLAGS = require(path.join(ROOT, 'package.json')).scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
const TARGET = 1.5; // packages list, big / small, for p50 and for p99
const SMALL_TENANTS = 10;
const POOL_SIZE = 10;
const STOREFRONT = (slug) => `/api/v1/storefront/${slug}`;
const PACKAGES = '/api/v1/packages?limit=50';

// ---------------------------------------------------------------------------------------------
// Options

const DEFAULTS = {
  duration: 8,
  warmup: 3,
  rounds: 3,
  connections: 10,
  tenants: 10_000,
  packages: 50,
  keyed: 100,
  warm: 100,
  cold: 2000,
  jit: 300,
  redis: 1,
  interleaved: 1,
  'seed-only': 0,
  only: 'all',
};

function parseArgs(argv) {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    const value = argv[i + 1] ?? '';
    if (name === 'only') {
      if (!['all', 'storefront', 'packages'].includes(value)) throw new Error('--only takes all, storefront or packages');
      options.only = value;
      continue;
    }
    if (!(name in options) || !/^\d+$/.test(value)) throw new Error(`unknown or bad option ${argv[i]} (see the usage line in bench/catalog/run.js)`);
    options[name] = Number(value);
  }
  if (options.packages < 3) throw new Error('--packages must be at least 3 (one per segment)');
  if (options.connections < 1 || options.rounds < 1 || options.duration < 1) throw new Error('--connections, --rounds and --duration must be at least 1');
  if (options.tenants < SMALL_TENANTS) throw new Error(`--tenants must be at least ${SMALL_TENANTS}`);
  return options;
}

// ---------------------------------------------------------------------------------------------
// Helpers (the same as bench/isolation and bench/provisioning use; copied, those scripts are standalone)

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (value) => (value === undefined || value === null || Number.isNaN(value) ? 'n/a' : Number.isInteger(value) ? String(value) : value.toFixed(2));
const say = (line) => process.stdout.write(`${line}\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function withAdmin(work) {
  const client = new Client({ connectionString: ADMIN_URL });
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

/** Deterministic shuffle (mulberry32), so the same options give the same tenant pools. */
function shuffled(values, seed = 0x5eed) {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Servers: the compiled service, `node <START_FLAGS> dist/main.js`, one child process each

/** What an interrupted run must not leave behind. */
const live = { children: new Set(), databases: new Set(), redisPrefixes: new Set() };

async function start(name, env) {
  const port = await freePort();
  const childEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, [...START_FLAGS, path.join(DIST, 'main.js')], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  live.children.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-20_000)));
  const server = { name, port, child, stderr: () => stderr };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`).then((r) => r.ok, () => false);
    if (ok) return server;
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not become ready:\n${stderr}`);
}

async function stop(server) {
  if (!server || !live.children.has(server.child)) return;
  if (server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', resolve)));
  }
  live.children.delete(server.child);
}

function serviceEnv(url, redisPrefix) {
  return {
    ...UNLIMITED_RATE_LIMITS, // one client at full speed: measure the catalog, not the limits
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    MIGRATE_ON_START: 'false',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    TENANT_COOKIE_SECRET: randomBytes(32).toString('base64url'),
    CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    // Unset (not inherited) for the in-process cache; a fresh prefix so no earlier run's keys are read.
    REDIS_URL: redisPrefix ? REDIS_URL : undefined,
    REDIS_KEY_PREFIX: redisPrefix ?? undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Database: create, migrate, seed

async function createDatabase(name) {
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  live.databases.add(name);
  const { MigrationRunner } = require(path.join(DIST, 'database', 'migrations', 'migration-runner.js'));
  await new MigrationRunner({ databaseUrl: databaseUrl(name) }).apply();
}

async function dropDatabase(name) {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  live.databases.delete(name);
}

const slugOf = (n) => `cat-${String(n).padStart(5, '0')}`;

const SEGMENTS = [
  { slug: 'general', name: 'General', heroTitle: 'Our Services', description: 'Your main service offerings', share: 0.4 },
  { slug: 'weddings', name: 'Weddings', heroTitle: 'Your big day', description: 'Packages for weddings and receptions', share: 0.3 },
  { slug: 'corporate', name: 'Corporate', heroTitle: 'For teams', description: 'Events, off-sites and team days', share: 0.3 },
];

/**
 * Tenants 0..count-1 (slug cat-00000...), each with the three segments and `packages` active packages:
 * the first 40% in general, then 30% weddings, 30% corporate, groupingOrder 1.. within each segment,
 * createdAt one minute apart. Ids are random UUIDs (gen_random_uuid), as the test fixtures write them.
 * interleaved: packages are inserted package-number first, so one tenant's rows lie on as many heap
 * pages as it has packages (what years of interleaved writes give); otherwise tenant by tenant.
 * Returns per-table timings in ms.
 */
async function seedCatalog(url, count, packages, interleaved) {
  const generalEnd = Math.round(packages * SEGMENTS[0].share);
  const weddingsEnd = generalEnd + Math.round(packages * SEGMENTS[1].share);
  const client = new Client({ connectionString: url });
  await client.connect();
  const timings = {};
  const timed = async (label, sql, params) => {
    const t0 = performance.now();
    const result = await client.query(sql, params);
    timings[label] = performance.now() - t0;
    return result;
  };
  try {
    await client.query('BEGIN');
    await timed('tenant ids', `CREATE TEMP TABLE seed_tenants ON COMMIT DROP AS SELECT n, gen_random_uuid() AS id FROM generate_series(0, $1::int - 1) AS n`, [count]);
    await timed(
      'tenants',
      `INSERT INTO tenants (id, slug, name, email, status, "createdAt", "updatedAt")
       SELECT id, 'cat-' || lpad(n::text, 5, '0'), 'Catalog Bench ' || n, 'cat-' || lpad(n::text, 5, '0') || '@bench.example', 'ACTIVE',
              now() - make_interval(mins => $1::int - n), now() - make_interval(mins => $1::int - n)
       FROM seed_tenants ORDER BY n`,
      [count],
    );
    await timed(
      'segments',
      `INSERT INTO segments ("tenantId", id, slug, name, "heroTitle", description, "sortOrder")
       SELECT st.id, gen_random_uuid(), s.slug, s.name, s.hero, s.description, s.sort
       FROM seed_tenants st CROSS JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[]) AS s(slug, name, hero, description, sort)
       ORDER BY st.n, s.sort`,
      [SEGMENTS.map((s) => s.slug), SEGMENTS.map((s) => s.name), SEGMENTS.map((s) => s.heroTitle), SEGMENTS.map((s) => s.description), SEGMENTS.map((_, i) => i)],
    );
    await timed(
      'packages',
      `INSERT INTO packages ("tenantId", id, "segmentId", slug, name, description, "basePrice", "bookingType", "groupingOrder", "createdAt", "updatedAt")
       SELECT st.id, gen_random_uuid(), seg.id, 'package-' || lpad(p::text, 3, '0'), 'Package ' || p,
              'Package ' || p || ' of ' || seg.name || ': ' || repeat('a thoughtfully described offer, ', 3),
              p * 2500, (CASE WHEN p % 3 = 0 THEN 'TIMESLOT' ELSE 'DATE' END)::"BookingType",
              p - (CASE WHEN p <= $2 THEN 0 WHEN p <= $3 THEN $2 ELSE $3 END),
              now() - make_interval(mins => $1::int - p), now() - make_interval(mins => $1::int - p)
       FROM seed_tenants st
       CROSS JOIN generate_series(1, $1::int) AS p
       JOIN segments seg ON seg."tenantId" = st.id AND seg.slug = (CASE WHEN p <= $2 THEN 'general' WHEN p <= $3 THEN 'weddings' ELSE 'corporate' END)
       ORDER BY ${interleaved ? 'p, st.n' : 'st.n, p'}`,
      [packages, generalEnd, weddingsEnd],
    );
    await timed('commit', 'COMMIT');
    // VACUUM as well as ANALYZE: otherwise autovacuum (insert threshold) and the checkpointer would
    // process the fresh rows during the first measured rounds; a long-lived table is vacuumed anyway.
    await timed('vacuum analyze', 'VACUUM (ANALYZE)');
    await timed('checkpoint', 'CHECKPOINT');
    return timings;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** One API key (scopes ['*'], as provisioning's first key) for each tenant number given. */
async function seedKeys(url, numbers) {
  const { generateKeyMaterial } = require(path.join(DIST, 'auth', 'secret-tokens.js'));
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const slugs = numbers.map(slugOf);
    const { rows } = await client.query(`SELECT id, slug FROM tenants WHERE slug = ANY($1::text[])`, [slugs]);
    const idBySlug = new Map(rows.map((row) => [row.slug, row.id]));
    const keys = slugs.map((slug) => ({ slug, tenantId: idBySlug.get(slug), ...generateKeyMaterial('tenant') }));
    if (keys.some((key) => !key.tenantId)) throw new Error('a keyed tenant is missing from the seed');
    await client.query(
      `INSERT INTO api_keys ("tenantId", id, "publicId", "secretHash", name, scopes)
       SELECT t, gen_random_uuid(), p, h, 'Bench key', ARRAY['*']::varchar[] FROM unnest($1::uuid[], $2::text[], $3::text[]) AS k(t, p, h)`,
      [keys.map((key) => key.tenantId), keys.map((key) => key.publicId), keys.map((key) => key.secretHash)],
    );
    await client.query('ANALYZE api_keys');
    return keys.map(({ slug, tenantId, secret }) => ({ slug, tenantId, secret }));
  } finally {
    await client.end();
  }
}

/** Row counts and sizes, and the plan of (roughly) the packages list query for one tenant. */
async function describeDatabase(url, tenantId) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT (SELECT count(*)::int FROM tenants) AS tenants, (SELECT count(*)::int FROM segments) AS segments,
              (SELECT count(*)::int FROM packages) AS packages, (SELECT count(*)::int FROM api_keys) AS keys,
              pg_size_pretty(pg_total_relation_size('packages')) AS "packagesSize"`,
    );
    // As the owner (superuser: no row-level security), with the tenant filter RLS would add.
    const plan = await client.query(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF)
       SELECT * FROM packages WHERE "tenantId" = $1 ORDER BY "groupingOrder", "createdAt", id LIMIT 50`,
      [tenantId],
    );
    const layout = await client.query(
      `SELECT s.slug, count(p.id)::int AS packages, min(p."groupingOrder") AS first, max(p."groupingOrder") AS last,
              count(DISTINCT (p.ctid::text::point)[0])::int AS "heapPages"
       FROM segments s LEFT JOIN packages p ON p."tenantId" = s."tenantId" AND p."segmentId" = s.id
       WHERE s."tenantId" = $1 GROUP BY s.slug, s."sortOrder" ORDER BY s."sortOrder"`,
      [tenantId],
    );
    const perSegment = layout.rows.map((row) => `${row.slug} ${row.packages} (order ${row.first}..${row.last}, ${row.heapPages} heap pages)`).join(', ');
    return { ...rows[0], layout: perSegment, plan: plan.rows.map((row) => row['QUERY PLAN']) };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Redis (optional backend of the versioned cache)

async function redisClient() {
  const { Redis } = require('ioredis');
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch {
    redis.disconnect();
    return null;
  }
}

/** Deletes every key the run's server wrote under its prefix. Returns how many. */
async function deleteRedisPrefix(prefix) {
  const redis = await redisClient();
  if (!redis) return 0;
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    live.redisPrefixes.delete(prefix);
    return deleted;
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Checks before anything is measured: the routes exist and answer the documented shape

async function getJson(server, route, headers = {}) {
  const response = await fetch(`http://127.0.0.1:${server.port}${route}`, { headers });
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, etag: response.headers.get('etag'), body, text };
}

function expectStatus(answer, status, what) {
  if (answer.status !== status) {
    throw new Error(`${what} answered ${answer.status}, expected ${status}: ${answer.text.slice(0, 300)}`);
  }
}

/** Checks a storefront answer; returns its ETag. Package counts differing from the seed only warn. */
async function checkStorefront(server, slug, packages, warnings) {
  const what = `GET ${STOREFRONT(slug)} on ${server.name}`;
  const answer = await getJson(server, STOREFRONT(slug));
  expectStatus(answer, 200, what);
  const body = answer.body;
  if (!body || body.slug !== slug || !Array.isArray(body.segments)) throw new Error(`${what}: expected { slug: '${slug}', segments: [...] }, got ${answer.text.slice(0, 300)}`);
  const shown = body.segments.reduce((sum, segment) => sum + (Array.isArray(segment.packages) ? segment.packages.length : 0), 0);
  if (body.segments.length !== SEGMENTS.length || shown !== packages) {
    warnings.add(`storefront shows ${body.segments.length} segments / ${shown} packages for a tenant seeded with ${SEGMENTS.length} / ${packages} (all active)`);
  }
  if (!answer.etag) throw new Error(`${what}: no ETag header (the 304 round needs one)`);
  return { etag: answer.etag, bytes: Buffer.byteLength(answer.text) };
}

async function checkNotModified(server, slug, etag) {
  const response = await fetch(`http://127.0.0.1:${server.port}${STOREFRONT(slug)}`, { headers: { 'if-none-match': etag } });
  await response.arrayBuffer();
  if (response.status !== 304) throw new Error(`GET ${STOREFRONT(slug)} with If-None-Match: ${etag} answered ${response.status}, expected 304`);
}

async function checkPackages(server, key, packages, warnings) {
  const what = `GET ${PACKAGES} on ${server.name} (tenant ${key.slug})`;
  const answer = await getJson(server, PACKAGES, { authorization: `Bearer ${key.secret}` });
  expectStatus(answer, 200, what);
  const items = Array.isArray(answer.body) ? answer.body : answer.body?.items;
  if (!Array.isArray(items)) throw new Error(`${what}: expected { items: [...] } or an array, got ${answer.text.slice(0, 300)}`);
  const expected = Math.min(50, packages);
  if (items.length !== expected) warnings.add(`packages list returned ${items.length} items, expected ${expected}`);
  if (items.some((item) => item.tenantId && item.tenantId !== key.tenantId)) throw new Error(`${what}: returned another tenant's packages`);
  if (answer.body?.total !== undefined && answer.body.total !== packages) warnings.add(`packages list total is ${answer.body.total}, expected ${packages}`);
  return Buffer.byteLength(answer.text);
}

// ---------------------------------------------------------------------------------------------
// Load

/**
 * One autocannon run. `next()` gives each request its path and headers (autocannon builds every
 * request once, from a per-connection copy of this, so a counter in `next` sees each request once).
 * `amount` fixes the request count (cold round); otherwise it runs `duration` seconds. Every answer
 * must have status `expect`, or the run fails.
 */
function load(server, { next, amount, duration, connections, expect = 200, label }) {
  return new Promise((resolve, reject) => {
    const options = {
      url: `http://127.0.0.1:${server.port}`,
      connections,
      requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, ...next() }) }],
    };
    if (amount) options.amount = amount;
    else options.duration = duration;
    autocannon(options, (error, result) => {
      if (error) return reject(error);
      const statuses = Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => `${code}×${count}`);
      const wrong = Object.keys(result.statusCodeStats ?? {}).filter((code) => Number(code) !== expect);
      if (wrong.length || result.errors > 0 || result.timeouts > 0) {
        return reject(new Error(`${label} on ${server.name}: statuses ${statuses.join(', ') || 'none'} (expected all ${expect}), ${result.errors} errors, ${result.timeouts} timeouts\n${server.stderr().slice(-2000)}`));
      }
      const seconds = (result.finish - result.start) / 1000;
      resolve({
        requests: result.requests.total,
        seconds,
        rps: result.requests.total / seconds,
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      });
    });
  });
}

/** Each slug once, in order; counts requests past the end (which would be warm, so must not happen). */
function onceEach(slugs) {
  const state = { next: 0, overrun: 0 };
  state.fn = () => {
    const i = state.next++;
    if (i >= slugs.length) state.overrun++;
    return { path: STOREFRONT(slugs[i % slugs.length]) };
  };
  return state;
}

function roundRobin(items, toRequest) {
  let i = 0;
  return () => toRequest(items[i++ % items.length]);
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async function storefrontScenario(variant, url, pools, options, warnings) {
  const server = await start(`storefront-${variant.name}`, serviceEnv(url, variant.redisPrefix));
  try {
    // JIT warm-up of the cold path (cache misses) on tenants of its own, each requested once.
    if (pools.jit.length >= options.connections) {
      await load(server, { next: onceEach(pools.jit).fn, amount: pools.jit.length, connections: options.connections, label: 'warm-up (misses)' });
    }
    const cold = onceEach(pools.cold);
    const coldResult = await load(server, { next: cold.fn, amount: pools.cold.length, connections: options.connections, label: 'cold' });
    if (cold.next !== pools.cold.length || cold.overrun) throw new Error(`cold round built ${cold.next} requests for ${pools.cold.length} tenants`);
    coldResult.tenants = pools.cold.length;
    say(`${variant.name.padEnd(10)} cold ${fmt(coldResult.rps).padStart(8)} req/s  p50 ${fmt(coldResult.p50)} ms  p99 ${fmt(coldResult.p99)} ms  (${coldResult.requests} requests, ${coldResult.tenants} distinct tenants, ${fmt(coldResult.seconds)} s)`);

    // Warm set: requested once now (after the cold round, so the in-process cache's oldest-first
    // eviction cannot have dropped them), ETags kept for the 304 round.
    const etags = new Map();
    for (const slug of pools.warm) etags.set(slug, (await checkStorefront(server, slug, options.packages, warnings)).etag);
    await checkNotModified(server, pools.warm[0], etags.get(pools.warm[0]));
    const warmNext = () => roundRobin(pools.warm, (slug) => ({ path: STOREFRONT(slug) }));
    if (options.warmup) await load(server, { next: warmNext(), duration: options.warmup, connections: options.connections, label: 'warm-up (hits)' });
    const warm = await load(server, { next: warmNext(), duration: options.duration, connections: options.connections, label: 'warm' });
    say(`${variant.name.padEnd(10)} warm ${fmt(warm.rps).padStart(8)} req/s  p50 ${fmt(warm.p50)} ms  p99 ${fmt(warm.p99)} ms  (${warm.requests} requests over ${pools.warm.length} tenants)`);

    const conditional = roundRobin(pools.warm, (slug) => ({ path: STOREFRONT(slug), headers: { 'if-none-match': etags.get(slug) } }));
    const notModified = await load(server, { next: conditional, duration: options.duration, connections: options.connections, expect: 304, label: '304' });
    say(`${variant.name.padEnd(10)} 304  ${fmt(notModified.rps).padStart(8)} req/s  p50 ${fmt(notModified.p50)} ms  p99 ${fmt(notModified.p99)} ms  (${notModified.requests} requests)`);
    return { cold: coldResult, warm, notModified };
  } finally {
    await stop(server);
  }
}

async function packagesScenario(urls, keys, options, warnings) {
  const servers = {};
  try {
    servers.small = await start('packages-small', serviceEnv(urls.small));
    servers.big = await start('packages-big', serviceEnv(urls.big));
    for (const set of ['small', 'big']) for (const key of keys[set]) await checkPackages(servers[set], key, options.packages, warnings);
    const nextFor = (set) => roundRobin(keys[set], (key) => ({ path: PACKAGES, headers: { authorization: `Bearer ${key.secret}` } }));
    if (options.warmup) {
      say(`packages warm-up: ${options.warmup} s each at ${options.connections} connections`);
      for (const set of ['small', 'big']) await load(servers[set], { next: nextFor(set), duration: options.warmup, connections: options.connections, label: 'warm-up' });
    }
    const runs = { small: [], big: [] };
    for (let round = 0; round < options.rounds; round++) {
      // Alternate which goes first, so drift on the machine is spread over both.
      const order = round % 2 === 0 ? ['small', 'big'] : ['big', 'small'];
      for (const set of order) {
        const result = await load(servers[set], { next: nextFor(set), duration: options.duration, connections: options.connections, label: `packages ${set}` });
        runs[set].push(result);
        say(`round ${round + 1} packages ${set.padEnd(5)} ${fmt(result.rps).padStart(8)} req/s  p50 ${fmt(result.p50)} ms  p99 ${fmt(result.p99)} ms`);
      }
    }
    return runs;
  } finally {
    for (const server of Object.values(servers)) await stop(server).catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const tag = randomBytes(4).toString('hex');
  const names = { big: `bench_catalog_${tag}`, small: `bench_catalog_${tag}_small` };
  const urls = { big: databaseUrl(names.big), small: databaseUrl(names.small) };
  const doStorefront = options.only !== 'packages';
  const doPackages = options.only !== 'storefront';
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    process.stderr.write('interrupted: cleaning up\n');
    for (const child of live.children) child.kill('SIGKILL');
    const drops = [...live.databases].map((name) => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => {}));
    const flushes = [...live.redisPrefixes].map((prefix) => deleteRedisPrefix(prefix).catch(() => {}));
    Promise.all([...drops, ...flushes]).finally(() => process.exit(130));
  });

  const warnings = new Set();
  const report = { options, machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryMb: Math.round(os.totalmem() / 2 ** 20), loadBefore: os.loadavg() }, seed: {}, storefront: {}, packages: {} };
  try {
    // Tenant pools of the big database, disjoint: keyed (packages list), warm set, and per cache
    // backend a JIT warm-up pool and a cold pool, shuffled so every pool is spread over the set.
    const keyedNumbers = Array.from({ length: Math.min(options.keyed, options.tenants) }, (_, i) => Math.floor(((i + 0.5) * options.tenants) / options.keyed));
    const keyedSet = new Set(keyedNumbers);
    const rest = shuffled(Array.from({ length: options.tenants }, (_, n) => n).filter((n) => !keyedSet.has(n)));
    const redis = doStorefront && options.redis ? await redisClient() : null;
    if (redis) redis.disconnect();
    const variants = doStorefront ? [{ name: 'in-process' }, ...(redis ? [{ name: 'redis', redisPrefix: `bench-catalog-${tag}:` }] : [])] : [];
    const pools = { warm: rest.splice(0, options.warm).map(slugOf) };
    for (const variant of variants) pools[variant.name] = { jit: rest.splice(0, options.jit).map(slugOf), cold: rest.splice(0, options.cold).map(slugOf), warm: pools.warm };
    if (doStorefront && !options['seed-only']) {
      const short = variants.find((variant) => pools[variant.name].cold.length < options.cold);
      if (short || pools.warm.length < 1) throw new Error(`--tenants ${options.tenants} is too few for --keyed ${options.keyed}, --warm ${options.warm}, --jit ${options.jit} and --cold ${options.cold} per cache backend (${variants.length})`);
      if (options.cold < options.connections) throw new Error('--cold must be at least --connections');
    }

    // Databases
    const t0 = performance.now();
    const wanted = doPackages || options['seed-only'] ? ['small', 'big'] : ['big'];
    try {
      for (const set of wanted) await createDatabase(names[set]);
    } finally {
      await require(path.join(DIST, 'database', 'migrations', 'schema-engine.js')).releaseSchemaEngine();
    }
    say(`databases ${wanted.map((set) => names[set]).join(', ')} created and migrated in ${fmt((performance.now() - t0) / 1000)} s`);
    const counts = { small: SMALL_TENANTS, big: options.tenants };
    const keys = {};
    for (const set of wanted) {
      const started = performance.now();
      const timings = await seedCatalog(urls[set], counts[set], options.packages, Boolean(options.interleaved));
      keys[set] = await seedKeys(urls[set], set === 'small' ? Array.from({ length: SMALL_TENANTS }, (_, n) => n) : keyedNumbers);
      const seconds = (performance.now() - started) / 1000;
      const description = await describeDatabase(urls[set], keys[set][0].tenantId);
      report.seed[set] = { seconds, timings, ...description };
      say(
        `seeded ${set.padEnd(5)} ${description.tenants} tenants, ${description.segments} segments, ${description.packages} packages (${description.packagesSize}), ${description.keys} API keys in ${fmt(seconds)} s  ` +
          `[${Object.entries(timings).map(([label, ms]) => `${label} ${fmt(ms / 1000)} s`).join(', ')}]`,
      );
    }
    say(`package rows ${options.interleaved ? 'interleaved across tenants in the heap (each tenant\'s packages on different pages)' : 'written tenant by tenant (each tenant\'s packages on adjacent pages)'}`);
    if (options['seed-only']) {
      for (const set of wanted) say(`one tenant (${set}): ${report.seed[set].layout}`);
      for (const set of wanted) say(`plan (${set}, as owner, no RLS): ${report.seed[set].plan.join(' | ').replace(/\s+/g, ' ')}`);
      say('--seed-only: no HTTP rounds');
      return;
    }

    // Fail fast on the API's shape, on the small database's tenant 0 (no pool tenant is touched).
    if (doStorefront) {
      const probe = await start('probe', serviceEnv(urls[doPackages ? 'small' : 'big']));
      try {
        const probeSlug = slugOf(doPackages ? 0 : keyedNumbers[0]);
        const { etag, bytes } = await checkStorefront(probe, probeSlug, options.packages, warnings);
        await checkNotModified(probe, probeSlug, etag);
        report.storefront.bytes = bytes;
        say(`storefront answer: ${bytes} bytes, ETag ${etag}`);
      } finally {
        await stop(probe);
      }
    }

    if (doPackages) report.packages.rounds = await packagesScenario(urls, keys, options, warnings);

    if (doStorefront) {
      say(
        'storefront: cold = a fixed-count run in which each request names a different tenant never requested since the server started ' +
          `(fresh server per backend; ${options.cold} tenants, after a warm-up on ${options.jit} other tenants); warm = ${pools.warm.length} tenants requested once first, then round-robin; ` +
          '304 = the warm set with If-None-Match: <its ETag>',
      );
      if (options.redis && !redis) say(`redis: no answer at ${REDIS_URL}, in-process cache only`);
      for (const variant of variants) {
        if (variant.redisPrefix) live.redisPrefixes.add(variant.redisPrefix);
        try {
          report.storefront[variant.name] = await storefrontScenario(variant, urls.big, pools[variant.name], options, warnings);
        } finally {
          if (variant.redisPrefix) report.storefront[variant.name] = { ...report.storefront[variant.name], redisKeysDeleted: await deleteRedisPrefix(variant.redisPrefix) };
        }
      }
    }

    // Summary
    say(`\n${options.connections} connections; warm/304 rounds ${options.duration} s; packages: median of ${options.rounds} rounds of ${options.duration} s`);
    say('| scenario | data | cache | requests | req/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|---|');
    const bigData = `${options.tenants} tenants × ${options.packages}`;
    for (const variant of variants) {
      const result = report.storefront[variant.name];
      for (const [label, run] of [['storefront cold', result.cold], ['storefront warm', result.warm], ['storefront 304', result.notModified]]) {
        say(`| ${label} | ${bigData} | ${variant.name} | ${run.requests} | ${run.rps.toFixed(0)} | ${fmt(run.p50)} | ${fmt(run.p99)} |`);
      }
    }
    if (doPackages) {
      const summary = {};
      for (const set of ['small', 'big']) {
        const runs = report.packages.rounds[set];
        summary[set] = { rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), requests: runs.reduce((s, r) => s + r.requests, 0) };
        const data = set === 'small' ? `${SMALL_TENANTS} tenants × ${options.packages}` : `${bigData} (${keys.big.length} queried)`;
        say(`| packages list | ${data} | - | ${summary[set].requests} | ${summary[set].rps.toFixed(0)} | ${fmt(summary[set].p50)} | ${fmt(summary[set].p99)} |`);
      }
      report.packages.summary = summary;
    }
    for (const variant of variants) {
      const { cold, warm, notModified } = report.storefront[variant.name];
      const ratios = { warmOverCold: warm.rps / cold.rps, notModifiedOverCold: notModified.rps / cold.rps, coldP99OverWarmP99: cold.p99 / warm.p99 };
      report.storefront[variant.name].ratios = ratios;
      say(`storefront ${variant.name}: warm/cold req/s ${ratios.warmOverCold.toFixed(2)}x, 304/cold req/s ${ratios.notModifiedOverCold.toFixed(2)}x, cold/warm p99 ${ratios.coldP99OverWarmP99.toFixed(2)}x`);
    }
    if (doPackages) {
      const { small, big } = report.packages.summary;
      const ratios = { p50: big.p50 / small.p50, p99: big.p99 / small.p99, rps: big.rps / small.rps };
      report.packages.ratios = ratios;
      for (const key of ['p50', 'p99']) say(`packages big/small ${key}: ${ratios[key].toFixed(2)} (target ≤ ${TARGET}) ${ratios[key] <= TARGET ? 'PASS' : 'MISS'}`);
      say(`packages big/small req/s: ${ratios.rps.toFixed(2)}`);
      say(`${ratios.p50 <= TARGET && ratios.p99 <= TARGET ? 'target met' : 'MISSED'}`);
    }
    for (const warning of warnings) say(`warning: ${warning}`);
    report.warnings = [...warnings];
    report.machine.loadAfter = os.loadavg();
    say(`load average before ${report.machine.loadBefore.map((v) => v.toFixed(2)).join(' ')}, after ${report.machine.loadAfter.map((v) => v.toFixed(2)).join(' ')} (${report.machine.cpus} CPUs)`);

    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `catalog-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    say(`results: ${path.relative(ROOT, file)}`);
  } finally {
    if (!interrupted) {
      for (const child of live.children) child.kill('SIGKILL');
      for (const prefix of [...live.redisPrefixes]) await deleteRedisPrefix(prefix).catch(() => {});
      for (const name of [...live.databases]) await dropDatabase(name).catch((error) => process.stderr.write(`could not drop ${name}: ${error.message}\n`));
    }
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
