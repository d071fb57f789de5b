import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testDatabaseKind, testEnv } from './test-environment';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Replaces the database name in a connection string. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: testEnv('adminUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function newDatabaseName(): string {
  return `${testEnv('runId')}_${randomBytes(4).toString('hex')}`;
}

async function createDatabase(template: string | null): Promise<TestDatabase> {
  const name = newDatabaseName();
  await adminQuery(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  return {
    url: withDatabaseName(testEnv('adminUrl'), name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/**
 * A migrated database for one suite: a fresh clone of the run's template on PostgreSQL, the shared
 * embedded database otherwise (suites then must not assume an empty database).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseKind() === 'embedded') return { url: testEnv('templateUrl'), drop: async () => {} };
  return createDatabase(new URL(testEnv('templateUrl')).pathname.slice(1));
}

/** A database with nothing in it, not even the migrations. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  if (testDatabaseKind() === 'embedded') return startEmbeddedProcess();
  return createDatabase(null);
}

async function startEmbeddedProcess(): Promise<TestDatabase> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'fixtures', 'embedded-database.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [firstLine] = (await once(child.stdout, 'data')) as [Buffer];
  return {
    url: firstLine.toString().trim(),
    drop: async () => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * `describe` for suites that need a real PostgreSQL server (several concurrent connections, a shadow
 * database, dropping a database under a running app). Skipped, and listed at the end of the run,
 * when the tests fall back to the embedded database.
 */
export function describeWithPostgres(name: string, body: () => void): void {
  if (testDatabaseKind() === 'postgres') {
    describe(name, body);
    return;
  }
  appendFileSync(testEnv('skippedFile'), `${relative(process.cwd(), expect.getState().testPath ?? '')} :: ${name}\n`);
  describe.skip(`${name} [needs PostgreSQL]`, body);
}
