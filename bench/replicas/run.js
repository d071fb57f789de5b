#!/usr/bin/env node
// Replicas benchmark: one server process vs two, both behind one PgBouncer (transaction pooling) and
// sharing Redis, side by side in alternating rounds of one run, under the same total load:
//   one   one dist/main.js; autocannon with C connections
//   two   two dist/main.js; two autocannon instances with C/2 connections each, run at once
// The load is a mix over T tenants (each with its own API key): 40% package lists, 20% the account,
// 20% one package, 20% package edits (PATCH: a write, audited). Every answer must be 2xx.
// On a 2-core machine shared with PostgreSQL, PgBouncer and the load generator, two servers cannot run
// faster than one; the ratio measures what a second replica costs, not what it would gain on more cores.
// Usage: npm run bench:replicas [-- --connections 16 --duration 8 --rounds 3 --warmup 3 --tenants 20]
'use strict';

const { randomBytes, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { createMigratedDatabase, withClient } = require('../lib/database');
const { load, median, parseIntegerOptions } = require('../lib/load');
const { startPgBouncer } = require('../lib/pgbouncer');
const { UNLIMITED_RATE_LIMITS } = require('../lib/rate-limits');
const { ROOT, START_FLAGS, killAll, peakRssMb, startService, stopService } = require('../lib/server');
const { fmt, say, table } = require('../lib/stats');

const DIST = path.join(ROOT, 'dist');
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const REDIS_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
/** Per server, as in the PgBouncer suite: both servers' pools together exceed PgBouncer's server connections. */
const POOL_SIZE = 10;
const PGBOUNCER_POOL_SIZE = 10;
const USAGE = 'see the usage line in bench/replicas/run.js';

async function seed(url, tenants) {
  const { generateKeyMaterial } = require(path.join(DIST, 'auth', 'secret-tokens.js'));
  const seeded = [];
  await withClient(url, async (client) => {
    for (let t = 0; t < tenants; t++) {
      const id = randomUUID();
      const segmentId = randomUUID();
      await client.query(`INSERT INTO tenants (id, slug, name, email, status) VALUES ($1, $2, $3, $4, 'ACTIVE')`, [id, `replica-${t}`, `Replica ${t}`, `replica-${t}@bench.example`]);
      await client.query(`INSERT INTO segments ("tenantId", id, slug, name) VALUES ($1, $2, 'general', 'General')`, [id, segmentId]);
      const packages = [];
      for (let p = 0; p < 10; p++) {
        const packageId = randomUUID();
        await client.query(`INSERT INTO packages ("tenantId", id, "segmentId", slug, name, "basePrice", "groupingOrder") VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
          id, packageId, segmentId, `package-${p}`, `Package ${p}`, 1000 * p, p,
        ]);
        packages.push(packageId);
      }
      const key = generateKeyMaterial('tenant');
      await client.query(`INSERT INTO api_keys ("tenantId", id, "publicId", "secretHash", name, scopes) VALUES ($1, $2, $3, $4, 'bench', '{*}')`, [id, randomUUID(), key.publicId, key.secretHash]);
      seeded.push({ id, secret: key.secret, packages });
    }
  });
  return seeded;
}

/**
 * The mix, as a request generator over the tenants. Generator `part` of `parts` takes every
 * `parts`-th request of the one sequence, so two generators together send what one sends alone
 * (identical sequences would edit the same package at the same moment and measure row locks).
 */
function mix(tenants, part = 0, parts = 1) {
  let n = 0;
  return () => {
    const i = n++ * parts + part;
    const tenant = tenants[i % tenants.length];
    const headers = { authorization: `Bearer ${tenant.secret}` };
    const packageId = tenant.packages[Math.floor(i / tenants.length) % tenant.packages.length];
    switch (i % 5) {
      case 0:
      case 1:
        return { method: 'GET', path: '/api/v1/packages?limit=20', headers };
      case 2:
        return { method: 'GET', path: '/api/v1/account', headers };
      case 3:
        return { method: 'GET', path: `/api/v1/packages/${packageId}`, headers };
      default:
        return { method: 'PATCH', path: `/api/v1/packages/${packageId}`, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ description: `edit ${i}` }) };
    }
  };
}

async function drive(servers, tenants, connections, duration) {
  const per = Math.max(1, Math.floor(connections / servers.length));
  const results = await Promise.all(
    servers.map((server, part) => {
      const next = mix(tenants, part, servers.length);
      return load({ url: server.url, connections: per, duration, requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, ...next() }) }] });
    }),
  );
  const total = results.reduce((sum, result) => sum + result.requests.total, 0);
  const bad = results.reduce((sum, result) => sum + result.non2xx + result.errors + result.timeouts, 0);
  if (bad > 0) {
    const codes = results.map((result) => JSON.stringify(result.statusCodeStats ?? {})).join(' ');
    throw new Error(`${bad} answers were not 2xx (or failed) with ${servers.length} server(s): ${codes}\n${servers.map((server) => server.stderr().slice(-1500)).join('\n')}`);
  }
  const seconds = Math.max(...results.map((result) => (result.finish - result.start) / 1000));
  // p50/p99: of the slower generator (each autocannon reports its own distribution).
  return {
    requests: total,
    rps: total / seconds,
    p50: Math.max(...results.map((result) => result.latency.p50)),
    p99: Math.max(...results.map((result) => result.latency.p99)),
  };
}

async function main() {
  const options = parseIntegerOptions(process.argv.slice(2), { connections: 16, duration: 8, rounds: 3, warmup: 3, tenants: 20 }, USAGE);
  if (options.rounds < 1 || options.connections < 2 || options.tenants < 1) throw new Error(`--rounds ≥ 1, --connections ≥ 2, --tenants ≥ 1 (${USAGE})`);
  const database = await createMigratedDatabase('replicas', DIST);
  let bouncer;
  const all = [];
  try {
    const tenants = await seed(database.url, options.tenants);
    bouncer = await startPgBouncer(database.url, { poolSize: PGBOUNCER_POOL_SIZE });
    const env = {
      ...UNLIMITED_RATE_LIMITS, // one client address at full speed: measure the servers, not the limits
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: bouncer.url,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      MIGRATE_ON_START: 'false',
      REDIS_URL,
      REDIS_KEY_PREFIX: `bench-replicas-${randomBytes(4).toString('hex')}:`,
      // Replicas share their secrets, as a deployment's do.
      JWT_SECRET: randomBytes(32).toString('base64url'),
      TENANT_COOKIE_SECRET: randomBytes(32).toString('base64url'),
      CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    };
    const variants = [
      { name: 'one', servers: [await startService('one-a', env)] },
      { name: 'two', servers: [await startService('two-a', env), await startService('two-b', env)] },
    ];
    for (const variant of variants) all.push(...variant.servers);

    say(`uptime: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
    say(`node flags: ${START_FLAGS.join(' ') || '(none)'}; per server pool ${POOL_SIZE}; PgBouncer default_pool_size ${PGBOUNCER_POOL_SIZE}, transaction mode; Redis shared`);
    say(`warm-up: ${options.warmup} s each`);
    for (const variant of variants) await drive(variant.servers, tenants, options.connections, options.warmup);

    const rounds = Object.fromEntries(variants.map((variant) => [variant.name, []]));
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        const result = await drive(variant.servers, tenants, options.connections, options.duration);
        rounds[variant.name].push(result);
        say(`round ${round + 1} ${variant.name.padEnd(3)} ${result.rps.toFixed(0).padStart(5)} req/s  p50 ${fmt(result.p50)} ms  p99 ${fmt(result.p99)} ms  (${result.requests} requests)`);
      }
    }

    const summary = Object.fromEntries(
      variants.map((variant) => {
        const runs = rounds[variant.name];
        return [variant.name, { rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), peakRssMb: variant.servers.map(peakRssMb) }];
      }),
    );
    const ratio = summary.two.rps / summary.one.rps;
    say();
    say(`median of ${options.rounds} rounds of ${options.duration} s; ${options.connections} connections in all; ${options.tenants} tenants; mix 40% list, 20% account, 20% get, 20% PATCH`);
    say(
      table(
        ['servers', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB per server'],
        variants.map((variant) => [variant.name, summary[variant.name].rps.toFixed(0), fmt(summary[variant.name].p50), fmt(summary[variant.name].p99), summary[variant.name].peakRssMb.map((mb) => fmt(mb, 0)).join(', ')]),
      ),
    );
    say(`two servers ÷ one: ${ratio.toFixed(2)} (on ${require('node:os').availableParallelism()} cores shared with PostgreSQL and the load generator: overhead, not speed-up)`);
    say(`uptime: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);

    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `replicas-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify({ options, poolSize: POOL_SIZE, pgbouncerPoolSize: PGBOUNCER_POOL_SIZE, startFlags: START_FLAGS, summary, ratio, rounds }, null, 2)}\n`);
    say(`results: ${path.relative(ROOT, file)}`);
  } finally {
    for (const server of all) await stopService(server).catch(() => {});
    killAll();
    await bouncer?.stop().catch(() => {});
    await database.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
