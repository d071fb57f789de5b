import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../common/project-root';
import { AppConfig } from '../config/app-config';
import { EmbeddedDatabase } from './embedded-database';
import type { MigrateProcessReport } from './migrations/migrate-process';
import { MigrationError, MigrationRunner } from './migrations/migration-runner';
import { releaseSchemaEngine } from './migrations/schema-engine';

/** The compiled child that applies the migrations. */
const MIGRATE_PROCESS = join(__dirname, 'migrations', 'migrate-process.js');

/**
 * What the migration process inherits: the runtime's own settings, not the server's secrets
 * (JWT_SECRET, CREDENTIALS_KEYS, ...); it is given its database URL alone.
 */
function childEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => /^(PATH|HOME|TMPDIR|TZ|LANG|LC_[A-Z]+|NODE_[A-Z_]+|PG[A-Z_]+|SSL_CERT_(FILE|DIR))$/.test(name)));
}

/**
 * Where the database is. With DATABASE_URL: that server, migrated only when MIGRATE_ON_START is set.
 * Without it: an embedded PostgreSQL under EMBEDDED_DATA_DIR, always migrated, so a fresh clone serves.
 */
export class DatabaseEndpoint implements OnApplicationShutdown {
  private static readonly logger = new Logger('Database');

  private constructor(
    readonly url: string,
    private readonly embedded: EmbeddedDatabase | null,
  ) {}

  get isEmbedded(): boolean {
    return this.embedded !== null;
  }

  static async open(config: AppConfig): Promise<DatabaseEndpoint> {
    if (config.DATABASE_URL) {
      if (config.MIGRATE_ON_START) await this.migrateInChildProcess(config.DATABASE_URL);
      return new DatabaseEndpoint(config.DATABASE_URL, null);
    }
    const dataDir = resolve(PROJECT_ROOT, config.EMBEDDED_DATA_DIR);
    const embedded = await EmbeddedDatabase.start(dataDir);
    // The address is loopback-only and passwordless; printed so a person can `psql` it while it runs.
    this.logger.log(`embedded PostgreSQL (PGlite) at ${dataDir}, serving ${embedded.url}`);
    try {
      await this.migrate(embedded.url);
    } catch (error) {
      await embedded.stop();
      throw error;
    }
    return new DatabaseEndpoint(embedded.url, embedded);
  }

  private static async migrate(url: string): Promise<void> {
    const applied = await new MigrationRunner({ databaseUrl: url }).apply().finally(releaseSchemaEngine);
    this.logger.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'migrations up to date');
  }

  /**
   * The same in a child process (migrate-process.ts), so the schema engine's WebAssembly leaves with
   * it instead of staying in the server's memory. The embedded database migrates in process: its
   * server is this process. Run from the TypeScript sources (the test runner), there is no compiled
   * child to fork, and it migrates in process too.
   */
  private static async migrateInChildProcess(url: string): Promise<void> {
    if (__filename.endsWith('.ts')) return this.migrate(url);
    const { pid, report } = await new Promise<{ pid: number | undefined; report: MigrateProcessReport }>((done, fail) => {
      let received: MigrateProcessReport | undefined;
      const child = fork(MIGRATE_PROCESS, [], {
        env: { ...childEnvironment(), MIGRATE_DATABASE_URL: url },
        // As src/main.ts sets for the server: the engine is WebAssembly, compiled by the baseline tier only.
        execArgv: [...process.execArgv, '--liftoff-only'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.on('message', (message: MigrateProcessReport) => (received = message));
      child.on('error', fail);
      // 'close' comes after the IPC channel has closed, so a report sent before exit has arrived.
      child.on('close', (code, signal) =>
        received ? done({ pid: child.pid, report: received }) : fail(new Error(`the migration process exited with ${signal ?? code} and no report`)),
      );
    });
    if ('error' in report) throw new MigrationError(new Error(`${report.error} (reported by the migration process)`), report.engineLogs);
    const what = report.applied.length ? `applied migrations: ${report.applied.join(', ')}` : 'migrations up to date';
    this.logger.log(`${what} (in child process ${pid})`);
  }

  /** Part of app.close(), which drains the HTTP server first, so no request is still using it. */
  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
  }
}
