#!/usr/bin/env node
// The request logger's own cost: pino-http as the service configures it (src/common/logging), per
// request, with nothing else around it. Variants, each in its own process with `npm start`'s Node
// flags, alternating over the rounds:
//   service          the configuration as shipped: pino's redact holds fixed paths only; nested secret
//                    keys are redacted when a line is written (log-redaction.ts)
//   wildcard-paths   how logs were redacted before (bench/lib/wildcard-redaction.js): every secret
//                    key also as a pino wildcard path (`*.password`, `*.*.password`, …)
//   no-redaction     the baseline: wildcard-paths without any redaction
// Per request: one request through the middleware and its response's `finish`, as Fastify's raw
// request and response emit it. At LOG_LEVEL=warn (the benchmarks' level) a 200 writes no line; at
// info it writes its "request completed" line. Reports CPU µs per request and minor GCs (scavenges)
// per 10,000 requests, which is how much the variant allocates. Results: docs/benchmarks.md.
// Usage: npm run bench:logging [-- --rounds 3 --requests 200000]
'use strict';

const { spawnSync } = require('node:child_process');
const { EventEmitter } = require('node:events');
const path = require('node:path');
const { Writable } = require('node:stream');
const { withWildcardRedaction } = require('../lib/wildcard-redaction');

const ROOT = path.resolve(__dirname, '..', '..');
const START_FLAGS = require(path.join(ROOT, 'package.json')).scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
const VARIANTS = ['service', 'wildcard-paths', 'no-redaction'];
const LEVELS = ['warn', 'info'];

/** pino-http's options for a variant, built from the service's own. */
function optionsFor(variant, level) {
  const { loggerOptions } = require(path.join(ROOT, 'dist', 'common', 'logging', 'logger.options.js'));
  const [service] = loggerOptions({ LOG_LEVEL: level }).pinoHttp;
  if (variant === 'service') return service;
  const before = withWildcardRedaction(service);
  return variant === 'no-redaction' ? { ...before, redact: undefined } : before;
}

/** One variant in this process: warm up, then time `requests` requests. */
function child(variant, level, requests) {
  const pinoHttp = require('pino-http');
  const { performance } = require('node:perf_hooks');
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const middleware = pinoHttp(optionsFor(variant, level), sink);
  const headers = { host: '127.0.0.1:3000', connection: 'keep-alive', authorization: 'Bearer sk_live_0123456789abcdefghijklmnopqrstuv', 'user-agent': 'autocannon', accept: 'application/json' };
  const serve = (n) => {
    for (let i = 0; i < n; i++) {
      const req = Object.assign(new EventEmitter(), { id: `r-${i}`, method: 'GET', url: '/api/v1/api-keys?limit=20', headers: { ...headers }, socket: { remoteAddress: '127.0.0.1', remotePort: 50000 } });
      const res = Object.assign(new EventEmitter(), { statusCode: 200, headersSent: true, writableEnded: true, getHeaders: () => ({ 'content-type': 'application/json' }) });
      middleware(req, res, () => undefined);
      res.emit('finish');
    }
  };
  serve(20_000);
  // --trace-gc (set by the parent) prints one line per GC; the parent counts the scavenges after this mark.
  process.stdout.write('measuring\n');
  const before = process.cpuUsage();
  const start = performance.now();
  serve(requests);
  const cpu = process.cpuUsage(before);
  const wallMs = performance.now() - start;
  process.stdout.write(`\n${JSON.stringify({ cpuUs: (cpu.user + cpu.system) / requests, wallUs: (wallMs * 1000) / requests })}\n`);
}

function parseArgs(argv) {
  const options = { rounds: 3, requests: 200_000 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in options) || !/^\d+$/.test(argv[i + 1] ?? '')) throw new Error(`unknown or bad option ${argv[i]} (usage: bench/logging/run.js [--rounds N --requests N])`);
    options[name] = Number(argv[i + 1]);
  }
  return options;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const results = {};
  for (let round = 0; round < options.rounds; round++) {
    for (const level of LEVELS) {
      // Rotate the order so drift on the machine is spread over all variants.
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
      for (const variant of order) {
        const args = [...START_FLAGS, '--trace-gc', __filename, '--child', variant, level, String(options.requests)];
        const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        if (run.status !== 0) throw new Error(`${variant} at ${level} failed:\n${run.stderr}`);
        const lines = run.stdout.trim().split('\n');
        const measured = lines.slice(lines.indexOf('measuring'));
        const scavenges = measured.slice(0, measured.findIndex((line) => line.startsWith('{'))).filter((line) => line.includes('Scavenge')).length;
        const result = { ...JSON.parse(lines.find((line) => line.startsWith('{'))), scavengesPer10k: (scavenges * 10_000) / options.requests };
        (results[`${level} ${variant}`] ??= []).push(result);
        process.stdout.write(`round ${round + 1} ${level.padEnd(4)} ${variant.padEnd(14)} ${result.cpuUs.toFixed(2)} µs CPU/request  ${result.scavengesPer10k.toFixed(0)} scavenges per 10,000 requests\n`);
      }
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  process.stdout.write(`\nmedian of ${options.rounds} rounds, ${options.requests} requests each, Node flags ${START_FLAGS.join(' ') || '(none)'}\n`);
  process.stdout.write('| level | variant | CPU µs/request | ÷ no-redaction | scavenges per 10,000 requests |\n|---|---|---:|---:|---:|\n');
  for (const level of LEVELS) {
    const base = median(results[`${level} no-redaction`].map((r) => r.cpuUs));
    for (const variant of VARIANTS) {
      const runs = results[`${level} ${variant}`];
      const cpu = median(runs.map((r) => r.cpuUs));
      process.stdout.write(`| ${level} | ${variant} | ${cpu.toFixed(2)} | ${(cpu / base).toFixed(2)} | ${median(runs.map((r) => r.scavengesPer10k)).toFixed(0)} |\n`);
    }
  }
}

if (process.argv[2] === '--child') child(process.argv[3], process.argv[4], Number(process.argv[5]));
else main();
