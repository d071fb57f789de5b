import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../common/project-root';
import { MigrationList, openSchemaEngine, SchemaEngine, SchemaFilter, takeEnginePanic } from './schema-engine';

export const DEFAULT_SCHEMA_PATH = join(PROJECT_ROOT, 'prisma', 'schema.prisma');
export const DEFAULT_MIGRATIONS_DIR = join(PROJECT_ROOT, 'prisma', 'migrations');

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };
const MIGRATION_NAME = /^[a-z0-9][a-z0-9_]{0,80}$/;

export interface MigrationStatus {
  /** In the migrations directory, not yet applied to the database. */
  pending: string[];
  /** Applied, but the file changed since, or applied in the database yet missing from the directory. */
  drifted: string[];
  /** Started and not finished: needs a person to resolve it. */
  failed: string[];
  clean: boolean;
}

export interface MigrationRunnerOptions {
  databaseUrl: string;
  schemaPath?: string;
  migrationsDir?: string;
}

/**
 * Offline migrations on Prisma's WebAssembly schema engine. Same directory layout and the same
 * `_prisma_migrations` table as `prisma migrate deploy`, so either tool can take over the history.
 */
export class MigrationRunner {
  private readonly schemaPath: string;
  private readonly migrationsDir: string;

  constructor(private readonly options: MigrationRunnerOptions) {
    this.schemaPath = options.schemaPath ?? DEFAULT_SCHEMA_PATH;
    this.migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  }

  /** Applies pending migrations in order; returns the names applied. */
  async apply(): Promise<string[]> {
    return this.withEngine(this.options.databaseUrl, async (engine) => {
      const result = await engine.applyMigrations({ migrationsList: this.readMigrations(), filters: NO_FILTER });
      return result.appliedMigrationNames;
    });
  }

  async status(): Promise<MigrationStatus> {
    const migrations = this.readMigrations();
    return this.withEngine(this.options.databaseUrl, async (engine) => {
      const diagnosis = await engine.diagnoseMigrationHistory({
        migrationsList: migrations,
        optInToShadowDatabase: false,
        filters: NO_FILTER,
      });
      const history = diagnosis.history;
      let pending: string[] = [];
      const drifted = [...diagnosis.editedMigrationNames];
      if (!diagnosis.hasMigrationsTable) pending = migrations.migrationDirectories.map((dir) => dir.path);
      else if (history?.diagnostic === 'databaseIsBehind') pending = history.unappliedMigrationNames;
      else if (history?.diagnostic === 'migrationsDirectoryIsBehind') drifted.push(...history.unpersistedMigrationNames);
      else if (history?.diagnostic === 'historiesDiverge') {
        pending = history.unappliedMigrationNames;
        drifted.push(...history.unpersistedMigrationNames);
      }
      const failed = diagnosis.failedMigrationNames;
      return { pending, drifted, failed, clean: pending.length + drifted.length + failed.length === 0 };
    });
  }

  /**
   * The SQL that takes a database built from the migrations directory to the Prisma schema, or null
   * when they agree. The engine replays the migrations on a shadow database it creates and drops on
   * the runner's server, so this needs a real PostgreSQL (the embedded one cannot host a shadow).
   */
  async diffMigrationsToSchema(): Promise<string | null> {
    const migrations = this.readMigrations();
    return this.withEngine(this.options.databaseUrl, async (engine) => {
      const schema = readFileSync(this.schemaPath, 'utf8');
      const result = await engine.diff({
        from: { tag: 'migrations', ...migrations },
        to: { tag: 'schemaDatamodel', files: [{ path: this.schemaPath, content: schema }] },
        script: true,
        exitCode: true,
        filters: NO_FILTER,
      });
      return result.exitCode === 2 ? (result.stdout ?? '') : null;
    });
  }

  /** Writes `<timestamp>_<name>/migration.sql` with the SQL that takes the migrations to the schema. */
  async createMigration(name: string, now = new Date()): Promise<{ directory: string; sql: string } | null> {
    if (!MIGRATION_NAME.test(name)) {
      throw new Error(`Migration name "${name}" must be lowercase letters, digits and underscores.`);
    }
    const sql = await this.diffMigrationsToSchema();
    if (sql === null) return null;
    const directory = join(this.migrationsDir, `${migrationTimestamp(now)}_${name}`);
    if (existsSync(directory)) throw new Error(`${directory} already exists.`);
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'migration.sql'), sql);
    return { directory, sql };
  }

  private readMigrations(): MigrationList {
    const dir = this.migrationsDir;
    const lockPath = join(dir, 'migration_lock.toml');
    const directories = existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => entry.name)
          .sort()
      : [];
    return {
      baseDir: dir,
      lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
      shadowDbInitScript: '',
      migrationDirectories: directories.map((name) => {
        const file = join(dir, name, 'migration.sql');
        return {
          path: name,
          migrationFile: {
            path: 'migration.sql',
            content: existsSync(file)
              ? { tag: 'ok' as const, value: readFileSync(file, 'utf8') }
              : { tag: 'error' as const, value: `${file} is missing` },
          },
        };
      }),
    };
  }

  private async withEngine<T>(databaseUrl: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
    const handle = await openSchemaEngine(databaseUrl, this.schemaPath);
    try {
      return await handle.run(work);
    } catch (error) {
      const panic = takeEnginePanic();
      throw new MigrationError(panic ? new Error(`schema engine panicked: ${panic}`, { cause: error }) : error, handle.logs);
    } finally {
      await handle.dispose();
    }
  }
}

export class MigrationError extends Error {
  constructor(cause: unknown, readonly engineLogs: string[]) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'MigrationError';
  }
}

function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
