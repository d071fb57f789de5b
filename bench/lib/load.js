// autocannon as a promise, and the few statistics the benchmarks print.
'use strict';

const autocannon = require('autocannon');

/** Runs autocannon; resolves with its result (latency in ms, counts by status class). */
function load(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The p-th percentile (0..100) of a list of numbers, nearest rank. */
function percentile(values, p) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** `options` of a benchmark's command line: `--name <integer>` pairs over the defaults given. */
function parseIntegerOptions(argv, defaults, usage) {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in options) || !/^\d+$/.test(argv[i + 1] ?? '')) throw new Error(`unknown or bad option ${argv[i]} (${usage})`);
    options[name] = Number(argv[i + 1]);
  }
  return options;
}

module.exports = { load, median, parseIntegerOptions, percentile };
