#!/usr/bin/env node
// Start-up benchmark: how long the service takes from spawn to its first 200 on /health/ready, how
// much memory it holds after serving, and how that compares to a bare node:http server.
// Usage: npm run bench:startup [-- --runs N] [--compare DIR] [--external-only]   (docs/benchmarks.md explains the numbers)
// --external-only: skip (a) and (b), the embedded database (its first start runs initdb and the
// migrations in WebAssembly, which on a saturated machine can outlast the 60 s ready wait).
// --compare DIR: also start DIR/dist/main.js (another checkout, built) on the external database,
// interleaved with (c), so a change is measured against its parent under the same load.
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'main.js');
/** The Node flags `npm start` runs the service with, so the benchmark measures what production runs. */
const START_FLAGS = require(path.join(ROOT, 'package.json')).scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const READY_PATH = '/api/v1/health/ready';
const POLL_INTERVAL_MS = 25;
const READY_TIMEOUT_MS = 60_000;
const REQUESTS = 1000;
const STOP_TIMEOUT_MS = 15_000;
/** Admin connection used to create and drop the throwaway database; override for another server. */
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
/** The targets (ready: the start-up issue; RSS: 200 MB since the edge-hardening issue, was 150); they apply to the external-database scenario. */
const TARGETS = { readyMs: 2000, rssMb: 200 };

// A plain node:http server: the floor any Node service starts from, so the ratios show our overhead.
const BASELINE_SOURCE = `require('node:http')
  .createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"ok"}'); })
  .listen(Number(process.env.PORT), process.env.HOST);
process.on('SIGTERM', () => process.exit(0));`;

// ---------------------------------------------------------------------------------------------
// Small helpers

/** What an interrupted run must not leave behind (see cleanUpOnInterrupt). */
const live = { children: new Set(), dataDirs: new Set() };

/** Ctrl-C skips every `finally`: stop the servers, remove their data dirs, drop the database. */
function cleanUpOnInterrupt(db) {
  process.once('SIGINT', () => {
    process.stderr.write('interrupted: cleaning up\n');
    for (const child of live.children) child.kill('SIGKILL');
    for (const dir of live.dataDirs) fs.rmSync(dir, { recursive: true, force: true });
    const dropped = db ? dropExternalDatabase(db) : Promise.resolve();
    dropped.finally(() => process.exit(130));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function usageError(message) {
  return Object.assign(new Error(`${message} (usage: node bench/startup/run.js [--runs N] [--compare DIR] [--external-only])`), { usage: true });
}

function parseArgs(argv) {
  const options = { runs: 5, compare: null, externalOnly: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') options.runs = Number(argv[++i]);
    else if (argv[i].startsWith('--runs=')) options.runs = Number(argv[i].slice('--runs='.length));
    else if (argv[i] === '--compare') options.compare = argv[++i];
    else if (argv[i].startsWith('--compare=')) options.compare = argv[i].slice('--compare='.length);
    else if (argv[i] === '--external-only') options.externalOnly = true;
    else throw usageError(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) throw usageError('--runs needs a positive integer');
  if (options.compare !== null) {
    options.compare = path.resolve(options.compare, 'dist', 'main.js');
    if (!fs.existsSync(options.compare)) throw usageError(`--compare: ${options.compare} is missing (build that checkout first)`);
  }
  return options;
}

/** A port nobody listens on right now. The service only logs its port at info level, so we choose it. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resident memory of `pid` in MB, from /proc (Linux only; null elsewhere). */
function rssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)[1]);
    return kb / 1024;
  } catch {
    return null;
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median and max of one field over runs, ignoring missing values (RSS off Linux). */
function summarize(runs, field) {
  const values = runs.map((run) => run[field]).filter((value) => typeof value === 'number');
  return values.length ? { median: median(values), max: Math.max(...values) } : { median: null, max: null };
}

// ---------------------------------------------------------------------------------------------
// HTTP

/** One GET; resolves with the status code, rejects on connection errors (server not up yet). */
function get(url, agent) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, timeout: 5_000 }, (response) => {
      response.resume(); // drain the body so a kept-alive socket is reused
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on('error', reject);
  });
}

/** Polls every 25 ms until the first 200; a fresh connection each time, as a probe would. */
async function waitUntilReady(url, child, startedAt) {
  while (performance.now() - startedAt < READY_TIMEOUT_MS) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited before ready (code ${child.exitCode})`);
    try {
      if ((await get(url, false)) === 200) return performance.now() - startedAt;
    } catch {
      // refused: not listening yet
    }
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`not ready after ${READY_TIMEOUT_MS} ms`);
}

/** 1000 sequential requests over one kept-alive connection; returns requests per second. */
async function sequentialLoad(url) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const startedAt = performance.now();
    for (let i = 0; i < REQUESTS; i++) {
      const status = await get(url, agent);
      if (status !== 200) throw new Error(`request ${i + 1} of ${REQUESTS} answered ${status}`);
    }
    return REQUESTS / ((performance.now() - startedAt) / 1000);
  } finally {
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

/** Our environment with `overrides` applied; an undefined override removes the variable. */
function processEnv(overrides) {
  const env = { ...process.env, ...overrides };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

/** Spawns `args` with `env`, keeping the last output for error messages (and draining the pipes). */
function startProcess(args, env) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.output = () => output;
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  live.children.add(child);
  void child.exited.then(() => live.children.delete(child));
  return child;
}

/** SIGTERM and wait; the service should exit 0 once it has closed its database. */
async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  child.kill('SIGTERM');
  const timeout = sleep(STOP_TIMEOUT_MS).then(() => null);
  const result = await Promise.race([child.exited, timeout]);
  if (result) return result;
  child.kill('SIGKILL');
  await child.exited;
  return { code: null, signal: 'SIGKILL (stop timed out)' };
}

/**
 * One measured start: spawn, time to first 200, 1000 requests, RSS, stop. `args`/`env` describe the
 * process; the port is chosen here.
 */
async function measureStart(args, env) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}${READY_PATH}`;
  const startedAt = performance.now();
  const child = startProcess(args, processEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }));
  try {
    const readyMs = await waitUntilReady(url, child, startedAt);
    const requestsPerSecond = await sequentialLoad(url);
    const rss = rssMb(child.pid);
    const exit = await stopProcess(child);
    if (exit.code !== 0) process.stderr.write(`  warning: process exited with ${JSON.stringify(exit)} after SIGTERM\n`);
    return { readyMs, rssMb: rss, requestsPerSecond, exit };
  } catch (error) {
    await stopProcess(child);
    throw new Error(`${error.message}\n--- last output of the process ---\n${child.output()}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios: each function measures one run and returns its results.

// warn: the per-request info lines would otherwise be part of what the 1000 requests measure.
// Production requires signing keys; these are throwaway ones for the measurement.
const SERVICE_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  DATABASE_URL: undefined,
  MIGRATE_ON_START: undefined,
  JWT_SECRET: randomBytes(32).toString('base64url'),
  TENANT_COOKIE_SECRET: randomBytes(32).toString('base64url'),
  CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
};

function startService(env) {
  return measureStart([...START_FLAGS, MAIN], { ...SERVICE_ENV, ...env });
}

/** (a) and (b): a fresh temporary data dir (PGlite initdb + migrations), then a second start on it. */
async function embeddedRun() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-pglite-'));
  live.dataDirs.add(dataDir);
  try {
    const fresh = await startService({ EMBEDDED_DATA_DIR: dataDir });
    const existing = await startService({ EMBEDDED_DATA_DIR: dataDir });
    return { fresh, existing };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    live.dataDirs.delete(dataDir);
  }
}

/** (c) setup: a throwaway database on the local server, or `{ skipped: reason }` if unreachable. */
async function createExternalDatabase() {
  const { Client } = require('pg');
  const admin = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `PostgreSQL at ${redact(ADMIN_URL)} unreachable (${error.message})` };
  }
  const name = `bench_startup_${randomBytes(4).toString('hex')}`;
  const version = (await admin.query('SHOW server_version')).rows[0].server_version;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { admin, name, url: url.toString(), version };
}

async function dropExternalDatabase(db) {
  try {
    await db.admin.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
  } finally {
    await db.admin.end();
  }
}

/** (c): the first start migrates the new database (MIGRATE_ON_START=true); later ones find it migrated. */
async function externalRun(db, first) {
  const run = await startService({ DATABASE_URL: db.url, MIGRATE_ON_START: first ? 'true' : 'false' });
  return { ...run, migrated: first };
}

/** (d): another build (--compare) on the same, already migrated, external database. */
function compareRun(db, main) {
  return measureStart([...START_FLAGS, main], { ...SERVICE_ENV, DATABASE_URL: db.url, MIGRATE_ON_START: 'false' });
}

function baselineRun() {
  return measureStart(['-e', BASELINE_SOURCE], {});
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (value, digits = 0) => (typeof value === 'number' ? value.toFixed(digits) : 'n/a');
const ratio = (value, base) => (typeof value === 'number' && base ? `${(value / base).toFixed(1)}x` : 'n/a');

function verdict(summary) {
  const ready = summary.readyMs.max < TARGETS.readyMs;
  const rss = summary.rssMb.max !== null && summary.rssMb.max < TARGETS.rssMb;
  return { ready: ready ? 'PASS' : 'MISS', rss: rss ? 'PASS' : summary.rssMb.max === null ? 'n/a' : 'MISS' };
}

function printTable(scenarios, baseline) {
  const header = ['scenario', 'ready med ms', 'ready max ms', 'RSS med MB', 'RSS max MB', 'req/s med', 'ready vs base', 'RSS vs base'];
  const rows = [...scenarios, baseline].map((s) => [
    s.label,
    fmt(s.summary.readyMs.median),
    fmt(s.summary.readyMs.max),
    fmt(s.summary.rssMb.median, 1),
    fmt(s.summary.rssMb.max, 1),
    fmt(s.summary.requestsPerSecond.median),
    ratio(s.summary.readyMs.median, baseline.summary.readyMs.median),
    ratio(s.summary.rssMb.median, baseline.summary.rssMb.median),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

function summarizeScenario(label, runs) {
  return {
    label,
    runs,
    summary: {
      readyMs: summarize(runs, 'readyMs'),
      rssMb: summarize(runs, 'rssMb'),
      requestsPerSecond: summarize(runs, 'requestsPerSecond'),
    },
  };
}

function machineInfo(pgVersion) {
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    postgresql: pgVersion,
    commit,
  };
}

function writeResults(results) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `startup-${results.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const { runs, compare, externalOnly } = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing; run \`npm run build\` first`);
  const startedAt = new Date().toISOString();
  // Other work on the machine skews start-up times; the load averages make that visible afterwards.
  const loadBefore = os.loadavg();

  const db = await createExternalDatabase();
  if (db.skipped) console.log(`external scenario skipped: ${db.skipped}`);
  cleanUpOnInterrupt(db.skipped ? null : db);
  const measured = { fresh: [], existing: [], external: [], compare: [], baseline: [] };
  try {
    // Interleaved, so drift on the machine (other load, page cache) spreads over all scenarios.
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`run ${i + 1}/${runs}\n`);
      if (!externalOnly) {
        const embedded = await embeddedRun();
        measured.fresh.push(embedded.fresh);
        measured.existing.push(embedded.existing);
      }
      if (!db.skipped) measured.external.push(await externalRun(db, i === 0));
      if (!db.skipped && compare) measured.compare.push(await compareRun(db, compare));
      measured.baseline.push(await baselineRun());
    }
  } finally {
    if (!db.skipped) await dropExternalDatabase(db);
  }

  const scenarios = externalOnly
    ? []
    : [summarizeScenario('(a) embedded, fresh data dir', measured.fresh), summarizeScenario('(b) embedded, existing data dir', measured.existing)];
  if (!db.skipped) scenarios.push(summarizeScenario('(c) external PostgreSQL', measured.external));
  if (!db.skipped && compare) scenarios.push(summarizeScenario('(d) external, --compare build', measured.compare));
  const baseline = summarizeScenario('baseline: bare node:http', measured.baseline);

  console.log(`\nStart-up benchmark, ${runs} run(s) per scenario, ${REQUESTS} sequential requests each`);
  console.log(`load average (1 min) before/after: ${loadBefore[0].toFixed(2)} / ${os.loadavg()[0].toFixed(2)}\n`);
  printTable(scenarios, baseline);

  const external = scenarios.find((s) => s.label.startsWith('(c)'));
  const targets = external ? verdict(external.summary) : null;
  console.log(`\nTargets (external database, worst of ${runs} runs): ready < ${TARGETS.readyMs} ms, RSS < ${TARGETS.rssMb} MB`);
  if (targets) {
    console.log(`  ready: ${targets.ready} (max ${fmt(external.summary.readyMs.max)} ms; run 1 also applied the migrations)`);
    console.log(`  RSS:   ${targets.rss} (max ${fmt(external.summary.rssMb.max, 1)} MB; the PostgreSQL server's own memory is not included)`);
  } else {
    console.log('  not evaluated: the external scenario was skipped');
  }

  const file = writeResults({
    startedAt,
    runsPerScenario: runs,
    requestsPerRun: REQUESTS,
    pollIntervalMs: POLL_INTERVAL_MS,
    targets: { ...TARGETS, appliesTo: 'external', verdict: targets, skipped: db.skipped ?? null },
    compare,
    machine: { ...machineInfo(db.version ?? null), loadAverage: { before: loadBefore, after: os.loadavg() } },
    scenarios: [...scenarios, baseline],
  });
  console.log(`\nResults written to ${path.relative(ROOT, file)}`);
}

main().catch((error) => {
  process.stderr.write(`bench:startup failed: ${error.usage ? error.message : (error.stack ?? error)}\n`);
  process.exit(1);
});
