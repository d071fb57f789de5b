import type { FastifyInstance } from 'fastify';
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { captureExchanges } from './contract-capture.js';
import { OpenApiContract, type ContractExchange } from './openapi-contract';

/** One answer that is not what the document declares. */
export interface ContractViolation {
  /** `GET /api/v1/packages/… → 200` */
  exchange: string;
  /** `getPackage 200`, or `(no route) 404` */
  key: string;
  problems: string[];
}

/** What one test file saw, for the end-of-run summary (CONTRACT_REPORT=1). */
export interface ContractFileReport {
  testPath: string;
  seen: Record<string, number>;
  violations: ContractViolation[];
}

export interface ContractRecordOptions {
  /** Route templates whose prefix a test mounted itself (their answers are not operations). */
  testRoutePrefixes?: readonly string[];
  /** The document to check against; default docs/openapi.json (a test of the checker passes a drifted copy). */
  contract?: OpenApiContract;
}

/**
 * Checks every answer the test apps and test servers of one test file send against the OpenAPI
 * document, and keeps what is wrong until test/setup/contract-check.ts fails the test with it.
 * Jest gives each test file its own module registry, so there is one recorder per file.
 */
export class ContractRecorder {
  private defaultContract?: OpenApiContract;
  private pending: ContractViolation[] = [];
  private readonly all: ContractViolation[] = [];
  private readonly seen = new Map<string, number>();
  /** Record files of servers running as child processes, and how far each has been read. */
  private readonly files = new Map<string, number>();

  get contract(): OpenApiContract {
    return (this.defaultContract ??= OpenApiContract.load());
  }

  /** Checks every answer `fastify` sends; call before the application registers its routes. */
  attach(fastify: FastifyInstance, options: ContractRecordOptions = {}): void {
    const prefixes = options.testRoutePrefixes ?? [];
    captureExchanges(
      fastify,
      (exchange) => this.record(exchange, options.contract),
      (request) => prefixes.some((prefix) => isUnder(request.routeOptions.url, prefix)),
    );
  }

  /** A child server writes its answers to `file` (contract-capture.preload.js); they are checked from there. */
  watchFile(file: string): void {
    this.files.set(file, 0);
  }

  record(exchange: ContractExchange, contract = this.contract): void {
    let key = '(unchecked)';
    let problems: string[];
    try {
      ({ key, problems } = contract.check(exchange));
    } catch (error) {
      problems = [`the checker failed: ${error instanceof Error ? error.message : String(error)}`];
    }
    this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
    if (problems.length === 0) return;
    const violation = { exchange: `${exchange.method} ${exchange.url} → ${exchange.status}`, key, problems };
    this.pending.push(violation);
  }

  /** The violations since the last call (reading child servers' records first), and forgets them. */
  take(): ContractViolation[] {
    this.readFiles();
    return this.pending.splice(0);
  }

  /** Violations a test failed with, for the report (a test that takes its own expected ones skips this). */
  failedWith(violations: readonly ContractViolation[]): void {
    this.all.push(...violations);
  }

  /** Reads what is left of the child servers' records and removes the files. */
  close(): void {
    this.readFiles();
    for (const file of this.files.keys()) rmSync(file, { force: true });
    this.files.clear();
  }

  /** How many answers were checked as `key` (`getLiveness 200`) so far. */
  seenCount(key: string): number {
    this.readFiles();
    return this.seen.get(key) ?? 0;
  }

  report(testPath: string): ContractFileReport {
    return { testPath, seen: Object.fromEntries(this.seen), violations: this.all };
  }

  private readFiles(): void {
    for (const [file, offset] of this.files) {
      if (!existsSync(file)) continue;
      const text = readFileSync(file).subarray(offset).toString('utf8');
      const complete = text.lastIndexOf('\n') + 1;
      this.files.set(file, offset + Buffer.byteLength(text.slice(0, complete)));
      for (const line of text.slice(0, complete).split('\n').filter(Boolean)) this.record(JSON.parse(line) as ContractExchange);
    }
  }
}

export const contractRecorder = new ContractRecorder();

/** The message a failing test shows: each answer, what it was checked as, and what is wrong. */
export function describeViolations(violations: readonly ContractViolation[]): string {
  const lines = violations.flatMap((violation) => [`  ${violation.exchange}  (${violation.key})`, ...violation.problems.map((problem) => `    - ${problem}`)]);
  return [
    `${violations.length} answer(s) differ from docs/openapi.json (contract test: docs/architecture.md, "Contract test"):`,
    ...lines,
  ].join('\n');
}

/** Appends one test file's summary to the run's report file (read by the global teardown). */
export function appendReport(file: string, report: ContractFileReport): void {
  appendFileSync(file, `${JSON.stringify(report)}\n`);
}

function isUnder(route: string | undefined, prefix: string): boolean {
  return route !== undefined && (route === prefix || route.startsWith(`${prefix}/`));
}
