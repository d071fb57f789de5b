import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../common/project-root';
import { AppConfig } from '../config/app-config';
import { EmbeddedDatabase } from './embedded-database';
import { MigrationRunner } from './migrations/migration-runner';
import { releaseSchemaEngine } from './migrations/schema-engine';

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
      if (config.MIGRATE_ON_START) await this.migrate(config.DATABASE_URL);
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

  /** Part of app.close(), which drains the HTTP server first, so no request is still using it. */
  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
  }
}
