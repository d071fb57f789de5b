import { join, relative } from 'node:path';
import { LOCAL_POSTGRES_URL } from '../../common/constants';
import { PROJECT_ROOT } from '../../common/project-root';
import { loadToolConfig, openAppDatabase } from '../app-database';
import { MigrationError, MigrationRunner } from './migration-runner';

const USAGE = `Usage:
  npm run db:migrate                 apply pending migrations
  npm run db:status                  list pending / drifted / failed migrations (exit 1 unless clean)
  npm run db:migrate:new -- <name>   write the SQL that takes the migrations to prisma/schema.prisma

apply/status target DATABASE_URL, or the embedded database under EMBEDDED_DATA_DIR when it is unset
(the running server's, while \`npm start\` holds it).
new needs a real PostgreSQL for its shadow database: DATABASE_URL, else ${LOCAL_POSTGRES_URL}.`;

async function main([command, ...args]: string[]): Promise<number> {
  if (command === 'new') return createMigration(args[0]);
  if (command !== 'apply' && command !== 'status') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  return withDatabase(async (databaseUrl) => {
    const runner = new MigrationRunner({ databaseUrl });
    if (command === 'apply') {
      const applied = await runner.apply();
      process.stdout.write(applied.length ? `Applied:\n${applied.map((n) => `  ${n}`).join('\n')}\n` : 'Nothing to apply.\n');
      return 0;
    }
    const status = await runner.status();
    const section = (title: string, names: string[]) =>
      names.length ? `${title}:\n${names.map((n) => `  ${n}`).join('\n')}\n` : '';
    process.stdout.write(
      status.clean
        ? 'Database is up to date with prisma/migrations.\n'
        : section('Pending', status.pending) + section('Drifted', status.drifted) + section('Failed', status.failed),
    );
    return status.clean ? 0 : 1;
  });
}

async function createMigration(name: string | undefined): Promise<number> {
  if (!name) {
    process.stderr.write(`A migration name is required.\n${USAGE}\n`);
    return 2;
  }
  // Diffing replays the migrations on a shadow database, which the embedded PGlite cannot host.
  const databaseUrl = loadToolConfig().DATABASE_URL ?? LOCAL_POSTGRES_URL;
  const created = await new MigrationRunner({ databaseUrl }).createMigration(name);
  process.stdout.write(
    created
      ? `Wrote ${relative(PROJECT_ROOT, join(created.directory, 'migration.sql'))}\n`
      : 'The schema and the migrations already agree; nothing written.\n',
  );
  return 0;
}

async function withDatabase(work: (url: string) => Promise<number>): Promise<number> {
  const database = await openAppDatabase();
  try {
    return await work(database.url);
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof MigrationError && error.engineLogs.length) {
      process.stderr.write(`Schema engine said:\n${error.engineLogs.join('\n')}\n`);
    }
    process.exit(1);
  },
);
