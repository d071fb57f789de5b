import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { ContractFileReport } from './contract-recorder';
import { OpenApiContract, OPENAPI_DOCUMENT_FILE } from './openapi-contract';
import { PROJECT_ROOT } from './server-process';

/**
 * The end-of-run summary CONTRACT_REPORT=1 prints: every operation and status the tests received
 * (with counts), each distinct violation with the test files that met it, and the responses the
 * document declares that no test received (a list to read, not a failure).
 */
export function contractReport(file: string, contract = OpenApiContract.load(OPENAPI_DOCUMENT_FILE)): string {
  if (!existsSync(file)) return 'Contract report: no test file reported.\n';
  const reports = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ContractFileReport);

  const seen = new Map<string, number>();
  const violations = new Map<string, Set<string>>();
  for (const report of reports) {
    for (const [key, count] of Object.entries(report.seen)) seen.set(key, (seen.get(key) ?? 0) + count);
    for (const violation of report.violations) {
      for (const problem of violation.problems) {
        // One line per kind of problem: array positions and the values received vary from answer to answer.
        const id = `${violation.key}: ${problem.replace(/ \(got .*\)$/s, '').replace(/\/\d+(?=\/|\b)/g, '/*')}`;
        violations.set(id, (violations.get(id) ?? new Set()).add(relative(PROJECT_ROOT, report.testPath)));
      }
    }
  }
  const declared = contract.declaredResponses();
  const unexercised = new Map<string, string[]>();
  for (const key of declared.filter((response) => !seen.has(response))) {
    const operation = key.slice(0, key.lastIndexOf(' '));
    const status = key.slice(key.lastIndexOf(' ') + 1);
    unexercised.set(operation, [...(unexercised.get(operation) ?? []), status]);
  }
  const lines = [
    `Contract report (${reports.length} test files): answers received per operation and status`,
    ...[...seen].sort(([a], [b]) => a.localeCompare(b)).map(([key, count]) => `  ${String(count).padStart(6)}  ${key}`),
    `Violations: ${violations.size} distinct`,
    ...[...violations].sort(([a], [b]) => a.localeCompare(b)).map(([id, files]) => `  ${id}  [${[...files].join(', ')}]`),
    `Declared responses no test received: ${[...unexercised.values()].flat().length} of ${declared.length}`,
    ...[...unexercised].map(([operation, statuses]) => `  ${operation}: ${statuses.join(', ')}`),
  ];
  return `${lines.join('\n')}\n`;
}
