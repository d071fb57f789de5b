'use strict';
// Small numeric and output helpers shared by the benchmarks under bench/.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The value at quantile q (0..1) of the values, nearest rank; undefined for none. */
function quantile(values, q) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const median = (values) => quantile(values, 0.5);

const fmt = (value, digits = 1) => (value === undefined || value === null || Number.isNaN(value) ? 'n/a' : Number.isInteger(value) ? String(value) : value.toFixed(digits));

const say = (line = '') => process.stdout.write(`${line}\n`);

/** A Markdown table with right-aligned numeric columns (the form docs/benchmarks.md keeps). */
function table(header, rows) {
  const widths = header.map((cell, i) => Math.max(String(cell).length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join(' | ')} |`;
  return [line(header), `|${widths.map((width, i) => (i === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

module.exports = { sleep, quantile, median, fmt, say, table };
