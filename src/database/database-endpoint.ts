import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../common/project-root';
import { AppConfig } from '../config/app-config';
import { EmbeddedDatabase } from './embedded-database';
import type { MigrateProcessReport } from './migrations/migrate-process';
import { MigrationError, MigrationRunner } from './migrations/migration-runner';
import { releaseSchemaEngine } from './migrations/schema-engine';

/** The compiled child that applies the migrations (absent when run from the TypeScript sources). */
const MIGRATE_PROCESS = join(__dirname, 'migrations', 'migrate-process.js');

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
    if (!existsSync(MIGRATE_PROCESS)) return this.migrate(url);
    const report = await new Promise<MigrateProcessReport>((done, fail) => {
      let received: MigrateProcessReport | undefined;
      const child = fork(MIGRATE_PROCESS, [], { env: { ...process.env, MIGRATE_DATABASE_URL: url }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('message', (message: MigrateProcessReport) => (received = message));
      child.on('error', fail);
      child.on('exit', (code, signal) => (received ? done(received) : fail(new Error(`the migration process exited with ${signal ?? code} and no report`))));
    });
    if ('error' in report) throw new MigrationError(new Error(report.error), report.engineLogs);
    this.logger.log(report.applied.length ? `applied migrations: ${report.applied.join(', ')}` : 'migrations up to date');
  }

  /** Part of app.close(), which drains the HTTP server first, so no request is still using it. */
  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
  }
}
