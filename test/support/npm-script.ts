import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './server-process';

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Every tool script builds first; the test setup has built dist/ already, so tests run what follows. */
const BUILD_PREFIX = 'npm run build --silent && node ';

/**
 * The command `npm run <name>` runs, minus the build: read from package.json, so a test spawns
 * exactly what a person would run (and fails if the script stops pointing at it).
 */
export function npmScriptArgs(name: string): string[] {
  const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const script = scripts[name];
  if (!script?.startsWith(BUILD_PREFIX)) throw new Error(`package.json script ${name} is not "${BUILD_PREFIX}<file> ...": ${script}`);
  return script.slice(BUILD_PREFIX.length).split(' ');
}

/**
 * Runs `npm run <name> -- <args>` as its own process (no build). `env` replaces the inherited
 * DATABASE_URL and friends; pass undefined to unset a variable.
 */
export function runNpmScript(name: string, args: string[], env: Record<string, string | undefined>): Promise<ScriptResult> {
  const merged: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  const [file, ...fixed] = npmScriptArgs(name);
  return new Promise((resolve) => {
    execFile(process.execPath, [join(PROJECT_ROOT, file), ...fixed, ...args], { cwd: PROJECT_ROOT, env: merged }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}
