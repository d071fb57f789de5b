import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../common/project-root';
import { validateConfig } from '../config/validate-config';
import { EmbeddedDatabase } from '../database/embedded-database';

const USAGE = `Usage: npm run idempotency:purge

Deletes idempotency keys past their expiry (IDEMPOTENCY_TTL_SECONDS after first use), of every tenant
and of signup; servers also do this every IDEMPOTENCY_PURGE_INTERVAL_SECONDS. Targets DATABASE_URL or
the embedded database; the role must bypass row-level security (it deletes every tenant's rows).`;

async function main(args: string[]): Promise<number> {
  if (args.length > 0) {
    process.stdout.write(`${USAGE}\n`);
    return args[0] === '--help' || args[0] === '-h' ? 0 : 2;
  }
  const envFile = join(PROJECT_ROOT, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const config = validateConfig(process.env);
  const embedded = config.DATABASE_URL ? null : await EmbeddedDatabase.start(resolve(PROJECT_ROOT, config.EMBEDDED_DATA_DIR));
  const client = new Client({ connectionString: config.DATABASE_URL ?? embedded!.url });
  try {
    await client.connect();
    const tenant = await client.query(`DELETE FROM idempotency_keys WHERE "expiresAt" < now()`);
    const signup = await client.query(`DELETE FROM signup_idempotency_keys WHERE "expiresAt" < now()`);
    process.stdout.write(`Purged ${tenant.rowCount ?? 0} tenant key(s) and ${signup.rowCount ?? 0} signup key(s).\n`);
    return 0;
  } finally {
    await client.end().catch(() => undefined);
    await embedded?.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
