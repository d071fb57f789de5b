#!/usr/bin/env node
// Login flood benchmark: does a flood of wrong-password logins starve the rest of the server?
// For each variant, one server process (as `npm start` runs it) is measured twice, side by side:
//   quiet   GET /api/v1/health/live alone (--live-connections connections, --duration s)
//   flood   the same, while --flood-connections connections send wrong-password logins for one
//           account as fast as the server answers; meanwhile a correct login of another account
//           every 500 ms (its latency and status)
// Variants:
//   cheap-flood   the reference: the same flood of requests, but to an unknown route (404), which
//                 costs no hashing; what any flood of requests costs the other routes
//   bounded-1     the shipped hashing queue (PASSWORD_HASH_CONCURRENCY=1, QUEUE_LIMIT=32), rate
//                 limits off: a flood from many addresses, which only the queue holds back
//   bounded-2     the same with two hashes at once (PASSWORD_HASH_CONCURRENCY=2)
//   unbounded     no queue (every login goes straight to argon2, as before this change), rate
//                 limits off
//   rate-limited  everything as shipped; the flood comes from one address, the correct logins from
//                 another (TRUST_PROXY=loopback and X-Forwarded-For, as behind a proxy)
// Each round runs every variant once, in a rotated order (drift on the machine is spread over all);
// the table shows medians over the rounds.
// Usage: npm run bench:login-flood [-- --rounds 2 --duration 10 --flood-connections 16 --live-connections 8]
// Method and results: docs/benchmarks.md.
'use strict';

const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { createDatabase, withClient } = require('../lib/database');
const { load, median, parseIntegerOptions, percentile } = require('../lib/load');
const { UNLIMITED_RATE_LIMITS } = require('../lib/rate-limits');
const { killAll, peakRssMb, ROOT, startService: startServer, stopService: stopServer } = require('../lib/server');
const { sleep } = require('../lib/stats');

const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const { PasswordHasher } = require(path.join(ROOT, 'dist', 'auth', 'password-hasher.service.js'));
const PASSWORD = 'a sound password 2026';
const FLOOD_ADDRESS = '203.0.113.66';
const USER_ADDRESS = '198.51.100.7';

const VARIANTS = [
  { name: 'cheap-flood', env: { ...UNLIMITED_RATE_LIMITS }, floodPath: '/api/v1/no-such-route' },
  { name: 'bounded-1', env: { ...UNLIMITED_RATE_LIMITS, PASSWORD_HASH_CONCURRENCY: '1' } },
  { name: 'bounded-2', env: { ...UNLIMITED_RATE_LIMITS, PASSWORD_HASH_CONCURRENCY: '2' } },
  { name: 'unbounded', env: { ...UNLIMITED_RATE_LIMITS, PASSWORD_HASH_CONCURRENCY: '64', PASSWORD_HASH_QUEUE_LIMIT: '10000' } },
  { name: 'rate-limited', env: { TRUST_PROXY: 'loopback' } },
];

async function seed(url) {
  const hasher = new PasswordHasher();
  const users = { target: `target-${randomBytes(3).toString('hex')}@bench.example`, user: `user-${randomBytes(3).toString('hex')}@bench.example` };
  await withClient(url, async (client) => {
    for (const email of Object.values(users)) {
      await client.query(`INSERT INTO users (id, email, "passwordHash") VALUES (gen_random_uuid(), $1, $2)`, [email, await hasher.hash(PASSWORD)]);
    }
  });
  return users;
}

function liveLoad(server, options) {
  return load({ url: `${server.url}/api/v1/health/live`, connections: options['live-connections'], duration: options.duration });
}

function floodLoad(server, users, options, variant) {
  return load({
    url: `${server.url}${variant.floodPath ?? '/api/v1/auth/login'}`,
    method: 'POST',
    connections: options['flood-connections'],
    duration: options.duration,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': FLOOD_ADDRESS },
    body: JSON.stringify({ email: users.target, password: 'not the password' }),
  });
}

/** A correct login every 500 ms while `until` is in the future: latency (ms) and status of each. */
async function sampleLogins(server, users, until) {
  const samples = [];
  while (Date.now() < until) {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': USER_ADDRESS },
      body: JSON.stringify({ email: users.user, password: PASSWORD }),
    });
    await response.arrayBuffer();
    samples.push({ ms: performance.now() - started, status: response.status });
    await sleep(500);
  }
  return samples;
}

/** Counts of the flood's answers by status (autocannon's statusCodeStats). */
function floodStatuses(result) {
  return Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count]));
}

async function measure(variant, url, users, options, env) {
  const server = await startServer(variant.name, { ...env, ...variant.env });
  try {
    // Warm-up: argon2 loaded, routes compiled, connections open.
    await sampleLogins(server, users, Date.now() + 1_000);
    await load({ url: `${server.url}/api/v1/health/live`, connections: 4, duration: 2 });

    const quiet = await liveLoad(server, options);
    const until = Date.now() + options.duration * 1000;
    const [flood, busy, logins] = await Promise.all([floodLoad(server, users, options, variant), liveLoad(server, options), sampleLogins(server, users, until)]);
    const ok = logins.filter((sample) => sample.status === 200);
    return {
      variant: variant.name,
      quiet: { p50: quiet.latency.p50, p99: quiet.latency.p99, rps: quiet.requests.average },
      flood: { p50: busy.latency.p50, p99: busy.latency.p99, rps: busy.requests.average, errors: busy.errors + busy.non2xx },
      p99Ratio: busy.latency.p99 / Math.max(1, quiet.latency.p99),
      logins: { rps: flood.requests.average, statuses: floodStatuses(flood) },
      userLogins: {
        ok: ok.length,
        total: logins.length,
        p50: percentile(ok.map((sample) => sample.ms), 50),
        statuses: [...new Set(logins.map((sample) => sample.status))].sort(),
      },
      peakRssMb: peakRssMb(server),
    };
  } finally {
    await stopServer(server);
  }
}

/** Medians over a variant's rounds (the statuses of its last round: counts, not rates). */
function summarise(runs) {
  const mid = (pick) => median(runs.map(pick));
  const last = runs[runs.length - 1];
  return {
    variant: last.variant,
    quiet: { p50: mid((r) => r.quiet.p50), p99: mid((r) => r.quiet.p99), rps: mid((r) => r.quiet.rps) },
    flood: { p50: mid((r) => r.flood.p50), p99: mid((r) => r.flood.p99), rps: mid((r) => r.flood.rps) },
    p99Ratio: mid((r) => r.p99Ratio),
    logins: { rps: mid((r) => r.logins.rps), statuses: last.logins.statuses },
    userLogins: { ok: runs.reduce((n, r) => n + r.userLogins.ok, 0), total: runs.reduce((n, r) => n + r.userLogins.total, 0), p50: median(runs.map((r) => r.userLogins.p50).filter((ms) => ms !== null)) },
    peakRssMb: mid((r) => r.peakRssMb ?? 0),
  };
}

const fixed = (value, digits = 0) => (value === null || value === undefined ? '-' : Number(value).toFixed(digits));

async function main() {
  const options = parseIntegerOptions(process.argv.slice(2), { rounds: 2, duration: 10, 'flood-connections': 16, 'live-connections': 8 }, 'see the usage line in bench/login-flood/run.js');
  const database = await createDatabase('bench_login_flood');
  process.once('SIGINT', () => {
    killAll();
    database.drop().finally(() => process.exit(130));
  });
  try {
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      REDIS_URL: undefined,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      TENANT_COOKIE_SECRET: randomBytes(32).toString('base64url'),
    };
    await stopServer(await startServer('migrate', { ...env, MIGRATE_ON_START: 'true' }));
    const users = await seed(database.url);

    const loadBefore = os.loadavg()[0];
    const rounds = [];
    for (let round = 0; round < options.rounds; round++) {
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
      for (const variant of order) {
        const result = await measure(variant, database.url, users, options, env);
        rounds.push(result);
        process.stdout.write(
          `round ${round + 1} ${variant.name.padEnd(12)} live p99 ${result.quiet.p99} ms quiet, ${result.flood.p99} ms under the flood; flood ${JSON.stringify(result.logins.statuses)}\n`,
        );
      }
    }
    const results = VARIANTS.map((variant) => summarise(rounds.filter((result) => result.variant === variant.name)));

    // Other work on the machine shows in every number: the load average says how much there was.
    const machine = { cpus: os.availableParallelism(), loadBefore, loadAfter: os.loadavg()[0] };
    process.stdout.write(`\nmedians of ${options.rounds} rounds, ${options.duration} s per phase; flood ${options['flood-connections']} connections, /health/live ${options['live-connections']} connections\n`);
    process.stdout.write(`machine: ${machine.cpus} CPUs, 1-minute load average ${machine.loadBefore.toFixed(1)} before, ${machine.loadAfter.toFixed(1)} after\n`);
    process.stdout.write('| variant | live p50 / p99 quiet (ms) | live p50 / p99 under flood (ms) | p99 flood / quiet | live req/s quiet / flood | flood answers/s | flood answers by status (last round) | correct logins ok (p50 ms) | peak RSS MB |\n');
    process.stdout.write('|---|---|---|---|---|---|---|---|---|\n');
    for (const r of results) {
      const statuses = Object.entries(r.logins.statuses).map(([status, count]) => `${status}: ${count}`).join(', ');
      process.stdout.write(
        `| ${r.variant} | ${r.quiet.p50} / ${r.quiet.p99} | ${r.flood.p50} / ${r.flood.p99} | ${fixed(r.p99Ratio, 1)} | ${fixed(r.quiet.rps)} / ${fixed(r.flood.rps)} | ${fixed(r.logins.rps)} | ${statuses} | ${r.userLogins.ok}/${r.userLogins.total} (${fixed(r.userLogins.p50)}) | ${r.peakRssMb ?? '-'} |\n`,
      );
    }
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `login-flood-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify({ options, machine, results, rounds }, null, 2)}\n`);
    process.stdout.write(`results: ${path.relative(ROOT, file)}\n`);
  } finally {
    killAll();
    await database.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
