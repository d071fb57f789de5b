import { randomBytes } from 'node:crypto';
import { CredentialsVault } from '../../src/integrations/vault/credentials-vault.service';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenantDatabase } from '../../src/tenancy/tenant-database.service';
import { SYSTEM_PRINCIPAL } from '../../src/tenancy/principal';
import { dumpDatabase, encodingsOf } from '../support/database-dump';
import { bearer, IdentityFixtures, login, type KeyRow, type Session, type TenantRow } from '../support/identity-fixtures';
import { LogCapture, useTestApp } from '../support/test-app';

const KEYS = `k1:${randomBytes(32).toString('base64')}`;

interface Credential {
  type: string;
  configured: boolean;
  maskedValue: string | null;
  fingerprint: string | null;
  keyId: string | null;
}

describe('integration credentials (the vault)', () => {
  const logs = new LogCapture();
  const suite = useTestApp({ env: { CREDENTIALS_KEYS: KEYS }, logs });
  let fixtures: IdentityFixtures;
  let a: { tenant: TenantRow; session: Session; key: KeyRow };
  let b: { tenant: TenantRow; session: Session };

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(suite.database.url);
    const first = await fixtures.tenantWithOwner('A');
    a = { tenant: first.tenant, key: first.key, session: await login(suite.app, first.owner) };
    const second = await fixtures.tenantWithOwner('B');
    b = { tenant: second.tenant, session: await login(suite.app, second.owner) };
  });
  afterAll(() => fixtures.close());

  const put = (session: { accessToken: string } | string, type: string, value: unknown) =>
    suite.app.inject({ method: 'PUT', url: `/api/v1/integrations/credentials/${type}`, headers: bearer(typeof session === 'string' ? session : session.accessToken), payload: { value } });
  const get = (token: string, path = '') => suite.app.inject({ method: 'GET', url: `/api/v1/integrations/credentials${path}`, headers: bearer(token) });

  it('stores a credential (201), replaces it (200), and only ever answers it masked', async () => {
    const first = `EAAG${randomBytes(24).toString('hex')}`;
    const created = await put(a.session, 'whatsapp_access_token', first);
    expect(created.statusCode).toBe(201);
    expect(created.json<Credential>()).toMatchObject({ type: 'whatsapp_access_token', configured: true, maskedValue: `****${first.slice(-4)}`, keyId: 'k1' });
    expect(created.body).not.toContain(first);

    const second = `EAAG${randomBytes(24).toString('hex')}`;
    const replaced = await put(a.session, 'whatsapp_access_token', second);
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json<Credential>().maskedValue).toBe(`****${second.slice(-4)}`);
    expect(replaced.json<Credential>().fingerprint).not.toBe(created.json<Credential>().fingerprint);

    const one = await get(a.session.accessToken, '/whatsapp_access_token');
    expect(one.statusCode).toBe(200);
    expect(one.json<Credential>()).toEqual(replaced.json());
    expect(one.body).not.toContain(second);
  });

  it('lists every known type, configured or not', async () => {
    const response = await get(b.session.accessToken);
    expect(response.statusCode).toBe(200);
    const body = response.json<{ items: Credential[]; total: number }>();
    expect(body.items.map((item) => item.type)).toEqual(['genesys_client_secret', 'whatsapp_access_token', 'whatsapp_verify_token']);
    // B's own fixture row (a genesys secret) is listed; A's WhatsApp token is not B's.
    expect(body.items.find((item) => item.type === 'whatsapp_access_token')).toMatchObject({ configured: false, maskedValue: null });
  });

  it('an unknown type is 400 listing the known ones; a path that cannot be a type is 404', async () => {
    const unknown = await put(a.session, 'stripe_secret', 'sk_test_0123456789abcdef');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'UNKNOWN_CREDENTIAL_TYPE' });
    expect(unknown.json<{ details: Array<{ message: string }> }>().details.map((d) => d.message.split(':')[0])).toEqual([
      'genesys_client_secret',
      'whatsapp_access_token',
      'whatsapp_verify_token',
    ]);
    expect((await get(a.session.accessToken, '/stripe_secret')).statusCode).toBe(400);
    expect((await get(a.session.accessToken, `/${a.tenant.id}`)).json()).toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
  });

  it("refuses a value breaking its type's rule without echoing it", async () => {
    const response = await put(a.session, 'whatsapp_verify_token', 'short secret');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_CREDENTIAL' });
    expect(response.body).not.toContain('short secret');
    expect((await put(a.session, 'whatsapp_verify_token', 42)).json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('deletes (204) and then answers 404', async () => {
    expect((await put(a.session, 'genesys_client_secret', `gen-${randomBytes(12).toString('hex')}`)).statusCode).toBe(200);
    const deleted = await suite.app.inject({ method: 'DELETE', url: '/api/v1/integrations/credentials/genesys_client_secret', headers: bearer(a.session.accessToken) });
    expect(deleted.statusCode).toBe(204);
    expect((await get(a.session.accessToken, '/genesys_client_secret')).statusCode).toBe(404);
  });

  it('is for admins, and keys need integrations:read / integrations:write', async () => {
    const member = await fixtures.user();
    await fixtures.member(a.tenant.id, member.id, 'MEMBER');
    const memberSession = await login(suite.app, member, a.tenant.id);
    expect((await get(memberSession.accessToken)).statusCode).toBe(403);

    const reader = await fixtures.apiKey(a.tenant.id, { scopes: ['integrations:read'] });
    expect((await get(reader.secret)).statusCode).toBe(200);
    expect((await put(reader.secret, 'whatsapp_verify_token', randomBytes(16).toString('hex'))).statusCode).toBe(403);
    const writer = await fixtures.apiKey(a.tenant.id, { scopes: ['integrations:write'] });
    expect((await put(writer.secret, 'whatsapp_verify_token', randomBytes(16).toString('hex'))).statusCode).toBe(201);
    const catalog = await fixtures.apiKey(a.tenant.id, { scopes: ['catalog'] });
    expect((await get(catalog.secret)).statusCode).toBe(403);
  });

  it("a ciphertext copied into another tenant's row does not decrypt there", async () => {
    const value = `EAAG${randomBytes(24).toString('hex')}`;
    expect((await put(b.session, 'whatsapp_access_token', value)).statusCode).toBe(201);
    const vault = suite.app.get(CredentialsVault);
    const database = suite.app.get(TenantDatabase);
    const reveal = (tenantId: string) =>
      TenantContext.runAs({ principal: SYSTEM_PRINCIPAL, tenantId, operatorOverride: false }, () => database.run((db) => vault.reveal(db, 'whatsapp_access_token')));
    expect(await reveal(b.tenant.id)).toBe(value);

    await fixtures.query(
      `UPDATE integration_credentials AS a SET ciphertext = b.ciphertext, "keyId" = b."keyId"
         FROM integration_credentials AS b
        WHERE a."tenantId" = $1 AND b."tenantId" = $2 AND a.type = 'whatsapp_access_token' AND b.type = a.type`,
      [a.tenant.id, b.tenant.id],
    );
    await expect(reveal(a.tenant.id)).rejects.toMatchObject({ code: 'CREDENTIAL_UNREADABLE' });
  });

  it('a recognisable secret written through the API is nowhere in the database or the logs', async () => {
    const secret = `EAAGrecognisable${randomBytes(12).toString('hex')}SECRET`;
    expect((await put(a.session, 'whatsapp_access_token', secret)).statusCode).toBe(200);
    expect((await put(a.session, 'whatsapp_verify_token', `${secret}-verify`)).statusCode).toBe(200);
    // Refused writes must not leak it either (the error path logs).
    expect((await put(a.session, 'whatsapp_access_token', `${secret} with a space`)).statusCode).toBe(400);
    expect((await put(a.session, 'stripe_secret', secret)).statusCode).toBe(400);
    expect((await get(a.session.accessToken)).body).not.toContain(secret);

    const dump = await dumpDatabase(suite.database.url);
    expect(dump).toContain('integration_credentials'); // the dump is not vacuous
    expect(dump).toContain(secret.slice(-4)); // the mask's last four are there, by design
    expect(logs.lines.length).toBeGreaterThan(0);
    for (const form of encodingsOf(secret)) {
      expect({ form, inDump: dump.includes(form) }).toEqual({ form, inDump: false });
      expect({ form, inLogs: logs.text.includes(form) }).toEqual({ form, inLogs: false });
    }
  });
});
