import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { LOCAL_POSTGRES_URL } from '../../src/common/constants';
import { EmbeddedDatabase } from '../../src/database/embedded-database';
import { MigrationRunner } from '../../src/database/migrations/migration-runner';
import { TEST_ENV } from '../support/test-environment';
import { withDatabaseName } from '../support/test-database';

/** Shared with global-teardown.ts: Jest runs both in one process and shares only `globalThis`. */
export const runState = globalThis as typeof globalThis & { testEmbeddedDatabase?: EmbeddedDatabase };

/**
 * Prepares one throwaway database per run: a migrated template on TEST_DATABASE_URL's server (default
 * the local PostgreSQL), or an in-memory embedded database when no server answers. Also builds
 * `dist/`, which the suites that start the real server process run.
 */
export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'node_modules', '@swc', 'cli', 'bin', 'swc.js'), 'src', '-d', 'dist', '--strip-leading-paths', '--copy-files', '--quiet'], {
    cwd: join(__dirname, '..', '..'),
    stdio: 'inherit',
  });

  const runId = `tp_test_${Date.now().toString(36)}_${process.pid}`;
  process.env[TEST_ENV.runId] = runId;
  process.env[TEST_ENV.skippedFile] = join(tmpdir(), `${runId}.skipped`);
  if (process.env.CONTRACT_REPORT === '1') process.env[TEST_ENV.contractReportFile] = join(tmpdir(), `${runId}.contract.jsonl`);
  const adminUrl = process.env.TEST_DATABASE_URL || LOCAL_POSTGRES_URL;

  if (await answers(adminUrl)) {
    const template = `${runId}_template`;
    await runSql(adminUrl, `CREATE DATABASE "${template}"`);
    const templateUrl = withDatabaseName(adminUrl, template);
    await new MigrationRunner({ databaseUrl: templateUrl }).apply();
    process.env[TEST_ENV.kind] = 'postgres';
    process.env[TEST_ENV.adminUrl] = adminUrl;
    process.env[TEST_ENV.templateUrl] = templateUrl;
    process.stdout.write(`\nTest databases: PostgreSQL at ${redactPassword(adminUrl)}, prefix ${runId}\n`);
    return;
  }

  runState.testEmbeddedDatabase = await EmbeddedDatabase.start();
  await new MigrationRunner({ databaseUrl: runState.testEmbeddedDatabase.url }).apply();
  process.env[TEST_ENV.kind] = 'embedded';
  process.env[TEST_ENV.templateUrl] = runState.testEmbeddedDatabase.url;
  process.stdout.write(
    `\nNo PostgreSQL answered at ${redactPassword(adminUrl)}: testing on the embedded database.\n` +
      'Suites that need a real server are skipped; they are listed when the run ends.\n',
  );
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function runSql(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
