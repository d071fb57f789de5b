import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../../common/project-root';
import { Keyring } from '../../config/keyring';
import { validateConfig } from '../../config/validate-config';
import { EmbeddedDatabase } from '../../database/embedded-database';
import { reencryptTenant, tenantsToRotate } from './key-rotation';

const USAGE = `Usage:
  npm run credentials:rotate-key               re-encrypt every stored credential under the first key
                                               of CREDENTIALS_KEYS, one transaction and one audit event
                                               per tenant, with progress
  npm run credentials:rotate-key -- --dry-run  only list the tenants and how many credentials each has
                                               under an older key

Rotating: put the new key first in CREDENTIALS_KEYS and keep the old ones after it, restart the
servers (they encrypt with the new key and still decrypt with the old), run this, then remove the old
key (keep it for IDEMPOTENCY_TTL_SECONDS more if idempotent answers were stored under it). Safe to
interrupt and run again: rows already under the new key are skipped.

Exit code: 0 everything is under the first key, 1 a tenant failed (the others are done), 2 usage.
Targets DATABASE_URL, or the embedded database under EMBEDDED_DATA_DIR; the role must bypass
row-level security (a superuser or BYPASSRLS) and be a member of app_tenant.`;

async function main(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.length > 1 || (args.length === 1 && args[0] !== '--dry-run')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const envFile = join(PROJECT_ROOT, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const config = validateConfig(process.env);
  const keyring = Keyring.fromConfig(config);
  return withClient(config.DATABASE_URL, config.EMBEDDED_DATA_DIR, (client) => run(client, keyring, args[0] === '--dry-run'));
}

async function run(client: Client, keyring: Keyring, dryRun: boolean): Promise<number> {
  const tenants = await tenantsToRotate(client, keyring);
  const total = tenants.reduce((sum, tenant) => sum + tenant.stale, 0);
  process.stdout.write(`Primary key: ${keyring.primary.id}. ${total} credential(s) of ${tenants.length} tenant(s) under an older key.\n`);
  if (dryRun || tenants.length === 0) {
    for (const tenant of tenants) process.stdout.write(`  ${tenant.tenantId}: ${tenant.stale}\n`);
    return 0;
  }
  let failed = 0;
  let done = 0;
  for (const tenant of tenants) {
    try {
      const result = await reencryptTenant(client, keyring, tenant.tenantId);
      process.stdout.write(`[${++done}/${tenants.length}] ${tenant.tenantId}: ${result.reencrypted} re-encrypted (from ${result.fromKeyIds.join(', ') || '-'})\n`);
    } catch (error) {
      failed += 1;
      process.stdout.write(`[${++done}/${tenants.length}] ${tenant.tenantId}: failed, nothing changed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  const left = await tenantsToRotate(client, keyring);
  process.stdout.write(left.length === 0 ? 'Done: every credential is under the primary key.\n' : `${left.length} tenant(s) still have credentials under an older key.\n`);
  return failed === 0 && left.length === 0 ? 0 : 1;
}

async function withClient(url: string | undefined, embeddedDir: string, work: (client: Client) => Promise<number>): Promise<number> {
  const embedded = url ? null : await EmbeddedDatabase.start(resolve(PROJECT_ROOT, embeddedDir));
  try {
    const client = new Client({ connectionString: url ?? embedded!.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  } finally {
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
