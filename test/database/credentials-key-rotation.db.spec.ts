import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CredentialsVault } from '../../src/integrations/vault/credentials-vault.service';
import { SYSTEM_PRINCIPAL } from '../../src/tenancy/principal';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenantDatabase } from '../../src/tenancy/tenant-database.service';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer, IdentityFixtures, login } from '../support/identity-fixtures';
import { createTestApp, useTestApp } from '../support/test-app';
import { describeWithPostgres } from '../support/test-database';

const CLI = join(__dirname, '..', '..', 'dist', 'integrations', 'vault', 'rotate-key.cli.js');
const OLD = `old:${randomBytes(32).toString('base64')}`;
const NEW = `new:${randomBytes(32).toString('base64')}`;

function rotate(databaseUrl: string, keys: string, args: string[] = []): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl, CREDENTIALS_KEYS: keys } }, (error, stdout) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout });
    });
  });
}

function reveal(app: NestFastifyApplication, tenantId: string, type: 'whatsapp_access_token' | 'genesys_client_secret'): Promise<string | null> {
  const database = app.get(TenantDatabase);
  const vault = app.get(CredentialsVault);
  return TenantContext.runAs({ principal: SYSTEM_PRINCIPAL, tenantId, operatorOverride: false }, () => database.run((db) => vault.reveal(db, type)));
}

describeWithPostgres('npm run credentials:rotate-key (dist/integrations/vault/rotate-key.cli.js)', () => {
  const suite = useTestApp({ env: { CREDENTIALS_KEYS: OLD } });
  let fixtures: IdentityFixtures;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(suite.database.url);
  });
  afterAll(() => fixtures.close());

  const keyIds = async (tenantId: string) =>
    (await fixtures.query<{ type: string; keyId: string }>(`SELECT type, "keyId" FROM integration_credentials WHERE "tenantId" = $1 ORDER BY type`, [tenantId])).map(
      (row) => `${row.type}:${row.keyId}`,
    );

  it('re-encrypts per tenant under the new key, reports a tenant it cannot, resumes, and audits once per tenant', async () => {
    const a = await fixtures.tenantWithOwner('A');
    const b = await fixtures.tenantWithOwner('B');
    const values = { a: `EAAG${randomBytes(20).toString('hex')}`, b: `EAAG${randomBytes(20).toString('hex')}`, aGenesys: `gen-${randomBytes(16).toString('hex')}` };
    const put = async (owner: typeof a.owner, type: string, value: string) => {
      const session = await login(suite.app, owner);
      const response = await suite.app.inject({ method: 'PUT', url: `/api/v1/integrations/credentials/${type}`, headers: bearer(session.accessToken), payload: { value } });
      expect(response.statusCode).toBeLessThan(300);
    };
    await put(a.owner, 'whatsapp_access_token', values.a);
    await put(a.owner, 'genesys_client_secret', values.aGenesys);
    await put(b.owner, 'whatsapp_access_token', values.b);
    // B keeps the fixtures' genesys row, whose key ("fixture") is in no keyring: B cannot be rotated.

    const dry = await rotate(suite.database.url, `${NEW},${OLD}`, ['--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('4 credential(s) of 2 tenant(s)');
    expect(await keyIds(a.tenant.id)).toEqual(['genesys_client_secret:old', 'whatsapp_access_token:old']);

    const first = await rotate(suite.database.url, `${NEW},${OLD}`);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/\[\d\/2\] .*: 2 re-encrypted \(from old\)/);
    expect(first.stdout).toMatch(new RegExp(`${b.tenant.id}: failed, nothing changed: genesys_client_secret \\(key fixture\\)`));
    expect(await keyIds(a.tenant.id)).toEqual(['genesys_client_secret:new', 'whatsapp_access_token:new']);
    expect(await keyIds(b.tenant.id)).toEqual(['genesys_client_secret:fixture', 'whatsapp_access_token:old']);

    await put(b.owner, 'genesys_client_secret', `gen-${randomBytes(16).toString('hex')}`);
    const second = await rotate(suite.database.url, `${NEW},${OLD}`);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('2 credential(s) of 1 tenant(s)');
    expect(second.stdout).toContain('Done: every credential is under the primary key.');
    expect(await keyIds(b.tenant.id)).toEqual(['genesys_client_secret:new', 'whatsapp_access_token:new']);

    const events = await fixtures.query<{ tenantId: string; metadata: { count: number; toKeyId: string } }>(
      `SELECT "tenantId", metadata FROM audit_events WHERE action = 'integration.credentials.reencrypted' AND "tenantId" = ANY($1) ORDER BY "occurredAt"`,
      [[a.tenant.id, b.tenant.id]],
    );
    expect(events.map((event) => [event.tenantId, event.metadata.count, event.metadata.toKeyId])).toEqual([
      [a.tenant.id, 2, 'new'],
      [b.tenant.id, 2, 'new'],
    ]);

    // The old key can go: a server with only the new key reads everything.
    const next = await createTestApp({ databaseUrl: suite.database.url, env: { CREDENTIALS_KEYS: NEW } });
    try {
      expect(await reveal(next, a.tenant.id, 'whatsapp_access_token')).toBe(values.a);
      expect(await reveal(next, a.tenant.id, 'genesys_client_secret')).toBe(values.aGenesys);
      expect(await reveal(next, b.tenant.id, 'whatsapp_access_token')).toBe(values.b);
    } finally {
      await next.close();
    }
  });

  it('refuses unknown arguments with the usage (exit 2)', async () => {
    expect((await rotate(suite.database.url, OLD, ['--force'])).code).toBe(2);
  });
});
