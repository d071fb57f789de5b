#!/usr/bin/env node
// Input-limits benchmark: how long the event loop stalls, and how long a liveness probe waits,
// while anonymous clients send worst-case JSON bodies to POST /api/v1/auth/refresh.
//
// Servers, side by side, same database and settings:
//   limits on    the service as shipped (JSON_MAX_* defaults: 100 keys per object, 1000 items per
//                array, 2000 values, 10,000 characters per string, depth 64)
//   limits off   the same build with JSON_MAX_KEYS, _ARRAY_LENGTH, _VALUES and _STRING_LENGTH at their
//                maxima: what the body parser let through before (only BODY_LIMIT_BYTES and depth 64)
//   baseline     optional (--baseline-dist <dir>): another build, e.g. the commit before the limits
//
// For each body and server, for --duration seconds: --attackers clients send the body back to back,
// a prober sends GET /api/v1/health/live every --probe-ms and records its latency; afterwards the
// in-flight attacks are awaited (the probe keeps probing). The event-loop delay is the server's own
// (prom-client's monitorEventLoopDelay, reset by the /metrics scrape before each window and read
// after it): nodejs_eventloop_lag_max_seconds and _p99_seconds.
//
// Usage: npm run bench:input-limits [-- --duration 10 --attackers 2 --probe-ms 25 --only keys-70k
//          --baseline-dist /path/to/other/dist]
// Method and results: docs/benchmarks.md ("Input limits").
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { createMigratedDatabase } = require('../lib/database');
const { ROOT, startService, stopService } = require('../lib/server');
const { sleep, quantile, median, fmt, say, table } = require('../lib/stats');

const TARGET = '/api/v1/auth/refresh';
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const LIMITS_OFF = { JSON_MAX_KEYS: '1000000', JSON_MAX_ARRAY_LENGTH: '1000000', JSON_MAX_VALUES: '10000000', JSON_MAX_STRING_LENGTH: '1000000000' };

function parseArgs(argv) {
  const options = { duration: 10, attackers: 2, 'probe-ms': 25, only: undefined, 'baseline-dist': undefined };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    const value = argv[i + 1];
    if (!(name in options) || value === undefined) throw new Error(`unknown option ${argv[i]} (see the usage line in bench/input-limits/run.js)`);
    options[name] = ['only', 'baseline-dist'].includes(name) ? value : Number(value);
  }
  return options;
}

/** The worst cases, each under BODY_LIMIT_BYTES (1 MiB), plus a normal body for comparison. */
function bodies() {
  const keys = (count, prefix = 'k') => Array.from({ length: count }, (_, i) => `"${prefix}${i}":0`).join(',');
  const objects = Array.from({ length: 800 }, (_, j) => `"o${j}":{${keys(100, `o${j}k`)}}`);
  return [
    { id: 'keys-70k', what: '70,000 unknown keys in one object (the report)', body: `{${keys(70_000)}}` },
    { id: 'objects-80k', what: '800 objects of 100 unique keys (80,000 keys)', body: `{"refreshToken":"x","a":{${objects.join(',')}}}` },
    { id: 'array-300k', what: 'an array of 300,000 empty objects', body: `{"refreshToken":"x","list":[${Array.from({ length: 300_000 }, () => '{}').join(',')}]}` },
    { id: 'arrays-nested', what: '4,000 arrays of 100 numbers (400,000 values)', body: JSON.stringify({ refreshToken: 'x', rows: Array.from({ length: 4_000 }, () => Array.from({ length: 100 }, () => 0)) }) },
    { id: 'string-1m', what: 'one string of 1,000,000 characters', body: JSON.stringify({ refreshToken: 'x'.repeat(1_000_000) }) },
    { id: 'normal', what: 'a normal refresh (unknown token: 401)', body: JSON.stringify({ refreshToken: randomBytes(32).toString('base64url') }) },
  ];
}

async function post(server, body) {
  const started = performance.now();
  const response = await fetch(`${server.url}${TARGET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  return { ms: performance.now() - started, status: response.status, bytes: Buffer.byteLength(text) };
}

async function loopDelay(server) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const read = (name) => Number(new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1]) * 1000;
  return { max: read('nodejs_eventloop_lag_max_seconds'), p99: read('nodejs_eventloop_lag_p99_seconds') };
}

/** One window: attackers and the prober against one server. */
async function measure(server, scenario, options) {
  await loopDelay(server); // resets the server's histogram
  const until = Date.now() + options.duration * 1000;
  const attacks = [];
  const attacker = async () => {
    while (Date.now() < until) attacks.push(await post(server, scenario.body));
  };
  const running = Promise.all(Array.from({ length: options.attackers }, attacker));
  const probes = [];
  let done = false;
  void running.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    await fetch(`${server.url}/api/v1/health/live`).then((response) => response.arrayBuffer());
    probes.push(performance.now() - started);
    await sleep(options['probe-ms']);
  }
  await running;
  const loop = await loopDelay(server);
  const statuses = [...new Set(attacks.map((attack) => attack.status))].sort().join('/');
  return {
    server: server.name,
    scenario: scenario.id,
    attacks: attacks.length,
    attackMs: median(attacks.map((attack) => attack.ms)),
    statuses,
    answerBytes: median(attacks.map((attack) => attack.bytes)),
    probes: probes.length,
    probeP50: median(probes),
    probeP99: quantile(probes, 0.99),
    probeMax: Math.max(...probes),
    loopP99: loop.p99,
    loopMax: loop.max,
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const scenarios = bodies().filter((scenario) => !options.only || scenario.id === options.only);
  if (scenarios.length === 0) throw new Error(`--only: no body named ${options.only}`);
  const database = await createMigratedDatabase('input', path.join(ROOT, 'dist'));
  const env = { NODE_ENV: 'production', LOG_LEVEL: 'warn', DATABASE_URL: database.url, JWT_SECRET: randomBytes(32).toString('base64url'), TENANT_COOKIE_SECRET: randomBytes(32).toString('base64url') };
  const servers = [];
  try {
    servers.push(await startService('limits on', env));
    servers.push(await startService('limits off', { ...env, ...LIMITS_OFF }));
    if (options['baseline-dist']) servers.push(await startService('baseline build', env, path.resolve(options['baseline-dist'])));
    for (const server of servers) for (let i = 0; i < 50; i++) await post(server, scenarios.at(-1).body); // warm up the JIT on normal requests

    say(`Input limits: ${options.attackers} attackers on POST ${TARGET}, probe every ${options['probe-ms']} ms, ${options.duration} s per window`);
    for (const scenario of scenarios) say(`  ${scenario.id.padEnd(14)} ${(scenario.body.length / 1024).toFixed(0).padStart(5)} KB  ${scenario.what}`);
    const results = [];
    for (const [index, scenario] of scenarios.entries()) {
      // Alternate the order, so drift on the machine spreads over the servers.
      for (const server of index % 2 === 0 ? servers : [...servers].reverse()) {
        const result = await measure(server, scenario, options);
        results.push(result);
        say(`  ${scenario.id} on ${server.name}: ${result.attacks} attacks, ${fmt(result.attackMs)} ms each, /health/live max ${fmt(result.probeMax)} ms, loop max ${fmt(result.loopMax)} ms`);
      }
    }

    say('');
    say(
      table(
        ['body', 'server', 'attacks', 'attack med ms', 'answer', 'answer bytes', 'live p50 ms', 'live p99 ms', 'live max ms', 'loop p99 ms', 'loop max ms'],
        results.map((r) => [r.scenario, r.server, r.attacks, fmt(r.attackMs), r.statuses, fmt(r.answerBytes, 0), fmt(r.probeP50), fmt(r.probeP99), fmt(r.probeMax), fmt(r.loopP99), fmt(r.loopMax)]),
      ),
    );
    say('');
    const by = (scenario, server) => results.find((r) => r.scenario === scenario && r.server === server);
    say(
      table(
        ['body', 'live max: off / on', 'loop max: off / on', ...(options['baseline-dist'] ? ['live max: baseline / on', 'loop max: baseline / on'] : [])],
        scenarios.map(({ id }) => {
          const on = by(id, 'limits on');
          const ratios = [by(id, 'limits off'), ...(options['baseline-dist'] ? [by(id, 'baseline build')] : [])].flatMap((other) => [`${fmt(other.probeMax / on.probeMax)}x`, `${fmt(other.loopMax / on.loopMax)}x`]);
          return [id, ...ratios];
        }),
      ),
    );
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `input-limits-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify({ options, machine: { cpus: os.cpus().length, node: process.version, load: os.loadavg() }, results }, null, 2));
    say(`\nRaw results: ${path.relative(ROOT, file)}`);
  } finally {
    for (const server of servers) await stopService(server);
    await database.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
