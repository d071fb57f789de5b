/**
 * Applies the migrations to MIGRATE_DATABASE_URL in a process of its own and reports to its parent
 * over IPC (DatabaseEndpoint, MIGRATE_ON_START). The schema engine is WebAssembly of tens of MB;
 * run inside the server it stays in the server's memory after it is released, so a start that
 * migrated held 20-30 MB more for its whole life (docs/benchmarks.md, "Start-up time and memory").
 */
import { MigrationError, MigrationRunner } from './migration-runner';

/** What the child sends its parent before it exits. */
export type MigrateProcessReport = { applied: string[] } | { error: string; engineLogs: string[] };

const report = (message: MigrateProcessReport, code: number) => process.send!(message, () => process.exit(code));

const databaseUrl = process.env.MIGRATE_DATABASE_URL;
if (!process.send || !databaseUrl) {
  process.stderr.write('migrate-process: run by DatabaseEndpoint only (fork with IPC and MIGRATE_DATABASE_URL)\n');
  process.exit(2);
}
new MigrationRunner({ databaseUrl }).apply().then(
  (applied) => report({ applied }, 0),
  (error: unknown) =>
    report({ error: error instanceof Error ? error.message : String(error), engineLogs: error instanceof MigrationError ? error.engineLogs : [] }, 1),
);
