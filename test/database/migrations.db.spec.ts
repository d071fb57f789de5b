import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import {
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  MigrationError,
  MigrationRunner,
} from '../../src/database/migrations/migration-runner';
import { createEmptyDatabase, describeWithPostgres, TestDatabase } from '../support/test-database';
import { testEnv } from '../support/test-environment';

const ALL_MIGRATIONS = readdirSync(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const INIT = ALL_MIGRATIONS.find((name) => name.endsWith('_init'))!;
const CLI = join(__dirname, '..', '..', 'dist', 'database', 'migrations', 'migrations.cli.js');

/** A scratch copy of prisma/migrations that a test may edit. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function query<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  const databases: TestDatabase[] = [];
  const scratchDirs: string[] = [];

  async function emptyDatabase(): Promise<string> {
    const database = await createEmptyDatabase();
    databases.push(database);
    return database.url;
  }

  function scratchMigrations(): string {
    const dir = copyOfMigrations();
    scratchDirs.push(dir);
    return dir;
  }

  afterAll(async () => {
    for (const database of databases) await database.drop();
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('on an empty database: all pending, then applied once, then clean', async () => {
    const runner = new MigrationRunner({ databaseUrl: await emptyDatabase() });
    expect(await runner.status()).toEqual({ pending: ALL_MIGRATIONS, drifted: [], failed: [], clean: false });
    expect(await runner.apply()).toEqual(ALL_MIGRATIONS);
    expect(await runner.apply()).toEqual([]);
    expect(await runner.status()).toEqual({ pending: [], drifted: [], failed: [], clean: true });
  });

  it('records history in _prisma_migrations as prisma migrate does', async () => {
    const url = await emptyDatabase();
    await new MigrationRunner({ databaseUrl: url }).apply();
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      url,
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows).toEqual(
      ALL_MIGRATIONS.map((name) => ({
        migration_name: name,
        checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
        finished_at: expect.any(Date),
        rolled_back_at: null,
      })),
    );
  });

  it('creates the tenants table, and the database keeps updatedAt current on any UPDATE', async () => {
    const url = await emptyDatabase();
    await new MigrationRunner({ databaseUrl: url }).apply();
    const past = '2020-01-01T00:00:00Z';
    await query(url, `INSERT INTO tenants (id, slug, name, email, "createdAt", "updatedAt")
      VALUES ('0190a1b2-0000-7000-8000-000000000001', 'acme', 'Acme', 'o@acme.test', $1, $1)`, [past]);
    // Raw SQL that does not mention updatedAt: only the trigger can move it.
    await query(url, `UPDATE tenants SET name = 'Acme Studio' WHERE slug = 'acme'`);
    const [row] = await query<{ createdAt: Date; updatedAt: Date }>(url, `SELECT "createdAt", "updatedAt" FROM tenants`);
    expect(row.createdAt.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(row.updatedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('reports a new migration directory as pending', async () => {
    const url = await emptyDatabase();
    await new MigrationRunner({ databaseUrl: url }).apply();
    const dir = scratchMigrations();
    mkdirSync(join(dir, '29990101000000_add_column'));
    writeFileSync(join(dir, '29990101000000_add_column', 'migration.sql'), 'ALTER TABLE "tenants" ADD COLUMN "note" TEXT;');
    const runner = new MigrationRunner({ databaseUrl: url, migrationsDir: dir });
    expect(await runner.status()).toEqual({ pending: ['29990101000000_add_column'], drifted: [], failed: [], clean: false });
    expect(await runner.apply()).toEqual(['29990101000000_add_column']);
    expect((await runner.status()).clean).toBe(true);
  });

  it('reports an applied migration whose file changed as drifted', async () => {
    const url = await emptyDatabase();
    await new MigrationRunner({ databaseUrl: url }).apply();
    const dir = scratchMigrations();
    appendFileSync(join(dir, INIT, 'migration.sql'), '\nCREATE INDEX "tenants_name_idx" ON "tenants"("name");\n');
    expect(await new MigrationRunner({ databaseUrl: url, migrationsDir: dir }).status()).toEqual({
      pending: [],
      drifted: [INIT],
      failed: [],
      clean: false,
    });
  });

  it('reports a migration applied in the database but missing from the directory as drifted', async () => {
    const url = await emptyDatabase();
    const dir = scratchMigrations();
    mkdirSync(join(dir, '29990101000000_extra'));
    writeFileSync(join(dir, '29990101000000_extra', 'migration.sql'), 'SELECT 1;');
    await new MigrationRunner({ databaseUrl: url, migrationsDir: dir }).apply();
    const status = await new MigrationRunner({ databaseUrl: url }).status();
    expect(status).toEqual({ pending: [], drifted: ['29990101000000_extra'], failed: [], clean: false });
  });

  it('stops at a failing migration, reports it as failed and does not apply later ones', async () => {
    const url = await emptyDatabase();
    const dir = scratchMigrations();
    for (const [name, sql] of [
      ['29990101000000_broken', 'ALTER TABLE "no_such_table" ADD COLUMN "x" TEXT;'],
      ['29990102000000_after', 'ALTER TABLE "tenants" ADD COLUMN "after" TEXT;'],
    ]) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'migration.sql'), sql);
    }
    const runner = new MigrationRunner({ databaseUrl: url, migrationsDir: dir });
    await expect(runner.apply()).rejects.toThrow(MigrationError);
    const status = await runner.status();
    expect(status.failed).toEqual(['29990101000000_broken']);
    expect(status.clean).toBe(false);
    const columns = await query(url, `SELECT 1 FROM information_schema.columns WHERE table_name = 'tenants' AND column_name = 'after'`);
    expect(columns).toEqual([]);
  });

  it('keeps function bodies with semicolons intact (scripts are sent whole, not split on ;)', async () => {
    const url = await emptyDatabase();
    await new MigrationRunner({ databaseUrl: url }).apply();
    const [fn] = await query<{ body: string }>(url, `SELECT prosrc AS body FROM pg_proc WHERE proname = 'set_updated_at'`);
    expect(fn.body).toContain('NEW."updatedAt" := CURRENT_TIMESTAMP;');
  });
});

describeWithPostgres('migrations agree with the schema', () => {
  const scratchDirs: string[] = [];
  afterAll(() => scratchDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  async function shadowDatabases(): Promise<string[]> {
    const rows = await query<{ datname: string }>(testEnv('adminUrl'), `SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'`);
    return rows.map((row) => row.datname);
  }

  /** Shadow databases that appeared since `before` and stay. (Another test run on the same server may hold one briefly.) */
  async function leftoverShadows(before: string[]): Promise<string[]> {
    let added: string[] = [];
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
      added = (await shadowDatabases()).filter((name) => !before.includes(name));
      if (added.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return added;
  }

  it('the diff from prisma/migrations to prisma/schema.prisma is empty', async () => {
    const before = await shadowDatabases();
    const sql = await new MigrationRunner({ databaseUrl: testEnv('adminUrl') }).diffMigrationsToSchema();
    expect(sql).toBeNull();
    // The shadow database the diff replayed the migrations on is gone again.
    expect(await leftoverShadows(before)).toEqual([]);
  });

  it('a diff whose migrations fail on the shadow database rejects and leaves no shadow database', async () => {
    const before = await shadowDatabases();
    const dir = mkdtempSync(join(tmpdir(), 'migrations-broken-'));
    scratchDirs.push(dir);
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(join(dir, '29990101000000_broken'));
    writeFileSync(join(dir, '29990101000000_broken', 'migration.sql'), 'ALTER TABLE "nope" ADD COLUMN "x" TEXT;');
    const runner = new MigrationRunner({ databaseUrl: testEnv('adminUrl'), migrationsDir: dir });
    await expect(runner.diffMigrationsToSchema()).rejects.toThrow(/29990101000000_broken/);
    expect(await leftoverShadows(before)).toEqual([]);
  });

  it('db:migrate:new writes the SQL for a schema change, and nothing when there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-new-'));
    scratchDirs.push(dir);
    cpSync(DEFAULT_MIGRATIONS_DIR, join(dir, 'migrations'), { recursive: true });
    const schemaPath = join(dir, 'schema.prisma');
    writeFileSync(
      schemaPath,
      readFileSync(DEFAULT_SCHEMA_PATH, 'utf8').replace('  statusReason ', '  billingNote          String?\n  statusReason '),
    );
    const runner = new MigrationRunner({ databaseUrl: testEnv('adminUrl'), schemaPath, migrationsDir: join(dir, 'migrations') });
    const created = await runner.createMigration('add_billing_note', new Date('2999-01-01T00:00:00Z'));
    expect(created?.directory).toBe(join(dir, 'migrations', '29990101000000_add_billing_note'));
    expect(readFileSync(join(created!.directory, 'migration.sql'), 'utf8')).toContain('ADD COLUMN     "billingNote" TEXT');
    expect(await runner.createMigration('again')).toBeNull();
    await expect(runner.createMigration('Bad Name')).rejects.toThrow(/lowercase/);
  });
});

describe('migration commands', () => {
  let database: TestDatabase;
  const run = promisify(execFile);

  beforeAll(async () => {
    database = await createEmptyDatabase();
  });
  afterAll(() => database?.drop());

  async function cli(command: string): Promise<{ code: number; stdout: string }> {
    try {
      const { stdout } = await run(process.execPath, [CLI, command], { env: { ...process.env, DATABASE_URL: database.url } });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, stdout: failed.stdout };
    }
  }

  it('db:status exits 1 with pending migrations, db:migrate applies them, then db:status exits 0', async () => {
    const pending = await cli('status');
    const list = ALL_MIGRATIONS.map((name) => `  ${name}\n`).join('');
    expect(pending).toEqual({ code: 1, stdout: `Pending:\n${list}` });
    expect(await cli('apply')).toEqual({ code: 0, stdout: `Applied:\n${list}` });
    expect(await cli('status')).toEqual({ code: 0, stdout: 'Database is up to date with prisma/migrations.\n' });
  });

  it('an unknown command prints usage and exits 2', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
  });
});
