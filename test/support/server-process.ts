import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contractRecorder } from './contract-recorder';
import { TEST_RATE_LIMIT_ENV } from './test-environment';

export const PROJECT_ROOT = join(__dirname, '..', '..');
/** Loaded into every server process: records its answers for the contract test. */
const CONTRACT_PRELOAD = join(__dirname, 'contract-capture.preload.js');
let started = 0;

/** A server started as its own process, as in production: real signals, real exit codes. */
export class ServerProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  /**
   * `env` replaces the inherited DATABASE_URL and friends; pass undefined to unset a variable. Every
   * answer the server sends is checked against the OpenAPI document, as for in-process test apps.
   */
  static start(script: string, env: Record<string, string | undefined>): ServerProcess {
    const records = join(tmpdir(), `contract-${process.pid}-${(started += 1)}.jsonl`);
    const merged: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', ...TEST_RATE_LIMIT_ENV, CONTRACT_RECORD_FILE: records };
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete merged[key];
      else merged[key] = value;
    }
    contractRecorder.watchFile(records);
    return new ServerProcess(spawn(process.execPath, ['--require', CONTRACT_PRELOAD, join(PROJECT_ROOT, script)], { cwd: PROJECT_ROOT, env: merged }));
  }

  /** Resolves with the base URL once the server logs that it listens; rejects if it exits first. */
  async listening(timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = /listening on (http:\/\/[^\s]+)/.exec(this.stdout);
      if (match) return match[1];
      if (this.child.exitCode !== null) {
        throw new Error(`server exited with ${this.child.exitCode}:\n${this.stderr}\n${this.stdout}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`server did not listen within ${timeoutMs} ms:\n${this.stderr}\n${this.stdout}`);
  }

  /**
   * The server's stdout once it contains `text`, or as it stands after `timeoutMs`. A line the server
   * wrote before answering a request can still be in the pipe when the answer arrives: the two reach
   * this process by different channels, in either order.
   */
  async logged(text: string, timeoutMs = 5_000): Promise<string> {
    for (const deadline = Date.now() + timeoutMs; !this.stdout.includes(text) && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.stdout;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.child.exitCode === null) this.child.kill(signal);
  }
}
