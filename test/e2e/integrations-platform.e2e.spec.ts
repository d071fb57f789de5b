import { randomBytes, randomUUID } from 'node:crypto';
import { encodingsOf } from '../support/database-dump';
import { bearer, IdentityFixtures, login, type Session, type TenantRow } from '../support/identity-fixtures';
import { LogCapture, useTestApp } from '../support/test-app';

const phoneId = () => String(100_000_000_000_000 + Math.floor(Math.random() * 1e12));
const url = (tenantId: string) => `/api/v1/platform/tenants/${tenantId}/integrations`;

interface Integrations {
  tenantId: string;
  credentials: Array<{ type: string; configured: boolean; maskedValue: string | null }>;
  whatsapp: Record<string, unknown>;
  genesys: Record<string, unknown>;
}

describe("operators read a tenant's integrations, masked", () => {
  const logs = new LogCapture();
  const suite = useTestApp({ env: { META_APP_SECRET: `app-secret-${randomBytes(16).toString('hex')}`, PUBLIC_BASE_URL: 'https://api.example.test' }, logs });
  let fixtures: IdentityFixtures;
  let a: { tenant: TenantRow; session: Session; keySecret: string };
  let b: { tenant: TenantRow; session: Session };
  let operator: { id: string; session: Session };
  let support: { id: string; session: Session };
  const secrets = {
    accessToken: `EAAG${randomBytes(24).toString('hex')}`,
    verifyToken: `verify-${randomBytes(16).toString('hex')}`,
    clientSecret: `genesys-${randomBytes(16).toString('hex')}`,
  };

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(suite.database.url);
    const first = await fixtures.tenantWithOwner('A');
    a = { tenant: first.tenant, session: await login(suite.app, first.owner), keySecret: first.key.secret };
    const second = await fixtures.tenantWithOwner('B');
    b = { tenant: second.tenant, session: await login(suite.app, second.owner) };
    const operatorUser = await fixtures.user({ platformScopes: ['platform:operator'] });
    operator = { id: operatorUser.id, session: await login(suite.app, operatorUser) };
    const supportUser = await fixtures.user({ platformScopes: ['support:read'] });
    support = { id: supportUser.id, session: await login(suite.app, supportUser) };

    // A configures everything through the API, as an admin would.
    const as = (method: 'PUT', path: string, payload: object) => suite.app.inject({ method, url: `/api/v1/integrations/${path}`, headers: bearer(a.session.accessToken), payload });
    expect((await as('PUT', 'whatsapp', { phoneNumberId: phoneId(), businessAccountId: '102290129340398', accessToken: secrets.accessToken, verifyToken: secrets.verifyToken })).statusCode).toBe(200);
    expect((await as('PUT', 'genesys', { integrationId: `gen-${randomBytes(6).toString('hex')}`, region: 'mypurecloud.ie', clientId: 'client-1', clientSecret: secrets.clientSecret })).statusCode).toBe(200);
  });
  afterAll(() => fixtures.close());

  const read = (session: Session | string, tenantId: string) =>
    suite.app.inject({ method: 'GET', url: url(tenantId), headers: bearer(typeof session === 'string' ? session : session.accessToken) });
  const ownView = async (session: Session, path: string) =>
    (await suite.app.inject({ method: 'GET', url: `/api/v1/integrations/${path}`, headers: bearer(session.accessToken) })).json<Record<string, unknown>>();
  const operatorReads = (tenantId: string) =>
    fixtures.query<{ actorId: string; metadata: Record<string, unknown> }>(
      `SELECT "actorId", metadata FROM audit_events WHERE action = 'operator.integrations.read' AND "tenantId" = $1 ORDER BY "occurredAt"`,
      [tenantId],
    );

  it('answers what the tenant admin sees: credentials, WhatsApp and Genesys, masked, and no secret', async () => {
    const response = await read(operator.session, a.tenant.id);
    expect(response.statusCode).toBe(200);
    const body = response.json<Integrations>();
    expect(body.tenantId).toBe(a.tenant.id);
    expect(body.credentials).toEqual((await ownView(a.session, 'credentials')).items);
    expect(body.whatsapp).toEqual(await ownView(a.session, 'whatsapp'));
    expect(body.genesys).toEqual(await ownView(a.session, 'genesys'));
    expect(body.credentials.map((credential) => [credential.type, credential.maskedValue])).toEqual([
      ['genesys_client_secret', `****${secrets.clientSecret.slice(-4)}`],
      ['whatsapp_access_token', `****${secrets.accessToken.slice(-4)}`],
      ['whatsapp_verify_token', `****${secrets.verifyToken.slice(-4)}`],
    ]);
    expect(body.whatsapp).toMatchObject({ configured: true, accessToken: `****${secrets.accessToken.slice(-4)}`, verifyToken: `****${secrets.verifyToken.slice(-4)}` });
    expect(body.genesys).toMatchObject({ configured: true, clientSecret: `****${secrets.clientSecret.slice(-4)}` });
    for (const secret of Object.values(secrets)) for (const form of encodingsOf(secret)) expect({ form, inBody: response.body.includes(form) }).toEqual({ form, inBody: false });
  });

  it("each tenant's read shows that tenant's data only", async () => {
    const response = await read(operator.session, b.tenant.id);
    expect(response.statusCode).toBe(200);
    const body = response.json<Integrations>();
    expect(body).toMatchObject({ tenantId: b.tenant.id, whatsapp: { configured: false, phoneNumberId: null, accessToken: null } });
    expect(body.credentials).toEqual((await ownView(b.session, 'credentials')).items);
    expect(body.genesys).toEqual(await ownView(b.session, 'genesys'));
    expect(response.body).not.toContain(a.tenant.id);
    for (const secret of Object.values(secrets)) expect(response.body).not.toContain(`****${secret.slice(-4)}`);
  });

  it('support:read may read; every read is audited with the operator, tenant and path', async () => {
    const before = (await operatorReads(a.tenant.id)).length;
    expect((await read(support.session, a.tenant.id)).statusCode).toBe(200);
    const events = await operatorReads(a.tenant.id);
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toEqual({ actorId: operator.id, metadata: { method: 'GET', path: url(a.tenant.id) } });
    expect(events.at(-1)).toEqual({ actorId: support.id, metadata: { method: 'GET', path: url(a.tenant.id) } });
  });

  it('tenant admins and API keys are refused (403); unknown tenants are 404, malformed ids 400', async () => {
    expect((await read(a.session, a.tenant.id)).statusCode).toBe(403);
    expect((await read(a.keySecret, a.tenant.id)).json()).toMatchObject({ code: 'FORBIDDEN' });
    const unknown = await read(operator.session, randomUUID());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'TENANT_NOT_FOUND', requestId: expect.any(String) });
    expect((await read(operator.session, 'not-a-uuid')).statusCode).toBe(400);
    expect((await suite.app.inject({ method: 'GET', url: url(a.tenant.id) })).statusCode).toBe(401);
  });

  it('no secret reaches the logs', () => {
    expect(logs.lines.length).toBeGreaterThan(0);
    for (const secret of Object.values(secrets)) for (const form of encodingsOf(secret)) expect({ form, inLogs: logs.text.includes(form) }).toEqual({ form, inLogs: false });
  });
});
