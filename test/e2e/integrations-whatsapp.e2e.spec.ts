import { createHmac, randomBytes } from 'node:crypto';
import { dumpDatabase, encodingsOf } from '../support/database-dump';
import { bearer, IdentityFixtures, login, type Session, type TenantRow } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

const APP_SECRET = `app-secret-${randomBytes(16).toString('hex')}`;
const PLATFORM_VERIFY_TOKEN = `platform-verify-${randomBytes(8).toString('hex')}`;
const WEBHOOK = '/api/v1/webhooks/whatsapp';
const phoneId = () => String(100_000_000_000_000 + Math.floor(Math.random() * 1e12));

interface Config {
  configured: boolean;
  missing: string[];
  phoneNumberId: string | null;
  businessAccountId: string | null;
  verifyToken: string | null;
  accessToken: string | null;
  webhookUrl: string;
  generatedVerifyToken?: string | null;
}

function delivery(changes: Array<{ phoneNumberId: string; messages?: string[]; statuses?: Array<[string, string]> }>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: changes.map((change) => ({
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550001111', phone_number_id: change.phoneNumberId },
            messages: change.messages?.map((id) => ({ from: '4915112345678', id, timestamp: '1700000000', type: 'text', text: { body: 'Hello' } })),
            statuses: change.statuses?.map(([id, status]) => ({ id, status, timestamp: '1700000001', recipient_id: '4915112345678' })),
          },
        })),
      },
    ],
  });
}

const sign = (body: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('WhatsApp Business: configuration and webhooks', () => {
  const suite = useTestApp({ env: { META_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: PLATFORM_VERIFY_TOKEN, PUBLIC_BASE_URL: 'https://api.example.test' } });
  let fixtures: IdentityFixtures;
  let a: { tenant: TenantRow; session: Session; phone: string };
  let b: { tenant: TenantRow; session: Session };
  let operator: Session;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(suite.database.url);
    const first = await fixtures.tenantWithOwner('A');
    a = { tenant: first.tenant, session: await login(suite.app, first.owner), phone: phoneId() };
    const second = await fixtures.tenantWithOwner('B');
    b = { tenant: second.tenant, session: await login(suite.app, second.owner) };
    operator = await login(suite.app, await fixtures.user({ platformScopes: ['platform:operator'] }));
  });
  afterAll(() => fixtures.close());

  const getConfig = (session: Session) => suite.app.inject({ method: 'GET', url: '/api/v1/integrations/whatsapp', headers: bearer(session.accessToken) });
  const putConfig = (session: Session, payload: object) => suite.app.inject({ method: 'PUT', url: '/api/v1/integrations/whatsapp', headers: bearer(session.accessToken), payload });
  const post = (body: string, signature?: string) =>
    suite.app.inject({ method: 'POST', url: WEBHOOK, payload: body, headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) } });
  const eventsOf = async (tenantId: string) =>
    (await fixtures.query<{ dedupeKey: string }>(`SELECT "dedupeKey" FROM whatsapp_inbound_events WHERE "tenantId" = $1 AND "phoneNumberId" <> 'fixture' ORDER BY 1`, [tenantId])).map(
      (row) => row.dedupeKey,
    );

  let generatedVerifyToken: string;
  const accessToken = `EAAG${randomBytes(24).toString('hex')}`;

  it('is not configured before anything is set, and shows the webhook URL', async () => {
    const response = await getConfig(a.session);
    expect(response.statusCode).toBe(200);
    expect(response.json<Config>()).toEqual({
      configured: false,
      missing: ['phoneNumberId', 'businessAccountId', 'accessToken', 'verifyToken'],
      phoneNumberId: null,
      businessAccountId: null,
      verifyToken: null,
      accessToken: null,
      webhookUrl: 'https://api.example.test/api/v1/webhooks/whatsapp',
      updatedAt: null,
    });
  });

  it('PUT sets it, generates a verify token shown once, keeps tokens in the vault and answers them masked', async () => {
    const response = await putConfig(a.session, { phoneNumberId: a.phone, businessAccountId: '102290129340398', accessToken });
    expect(response.statusCode).toBe(200);
    const saved = response.json<Config>();
    generatedVerifyToken = saved.generatedVerifyToken!;
    expect(generatedVerifyToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(saved).toMatchObject({ configured: true, missing: [], phoneNumberId: a.phone, accessToken: `****${accessToken.slice(-4)}`, verifyToken: `****${generatedVerifyToken.slice(-4)}` });
    expect(response.body).not.toContain(accessToken);

    const read = (await getConfig(a.session)).json<Config>();
    expect(read).toMatchObject({ configured: true, verifyToken: `****${generatedVerifyToken.slice(-4)}`, accessToken: `****${accessToken.slice(-4)}` });
    expect(JSON.stringify(read)).not.toContain(generatedVerifyToken);
    expect(read).not.toHaveProperty('generatedVerifyToken');

    // A second PUT without tokens keeps both (nothing generated again).
    const again = await putConfig(a.session, { phoneNumberId: a.phone, businessAccountId: '102290129340399' });
    expect(again.json<Config>()).toMatchObject({ generatedVerifyToken: null, businessAccountId: '102290129340399', accessToken: `****${accessToken.slice(-4)}` });

    const audit = await fixtures.query<{ metadata: Record<string, unknown> }>(`SELECT metadata FROM audit_events WHERE "tenantId" = $1 AND action = 'integration.whatsapp.configured' ORDER BY "occurredAt"`, [a.tenant.id]);
    expect(audit).toHaveLength(2);
    expect(audit[0].metadata).toMatchObject({ accessToken: `****${accessToken.slice(-4)}`, phoneNumberId: { from: null, to: a.phone } });
    const dump = await dumpDatabase(suite.database.url);
    for (const secret of [accessToken, generatedVerifyToken]) for (const form of encodingsOf(secret)) expect(dump.includes(form)).toBe(false);
  });

  it("another tenant cannot take the phone number id (409), and the lookup still finds the owner", async () => {
    const response = await putConfig(b.session, { phoneNumberId: a.phone, businessAccountId: '1' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'PHONE_NUMBER_ID_TAKEN' });
    expect((await getConfig(b.session)).json<Config>()).toMatchObject({ phoneNumberId: null, businessAccountId: null, verifyToken: null });
    const lookup = await suite.app.inject({ method: 'GET', url: `/api/v1/platform/tenants/lookup?phoneNumberId=${a.phone}`, headers: bearer(operator.accessToken) });
    expect(lookup.json()).toMatchObject({ tenantId: a.tenant.id });
  });

  it('refuses bad ids and short tokens (400)', async () => {
    expect((await putConfig(a.session, { phoneNumberId: 'abc', businessAccountId: '1' })).statusCode).toBe(400);
    const short = await putConfig(a.session, { phoneNumberId: a.phone, businessAccountId: '1', accessToken: 'short' });
    expect(short.json()).toMatchObject({ code: 'INVALID_CREDENTIAL', details: [{ field: 'accessToken' }] });
  });

  it("verification echoes the challenge as text/plain for the platform's or a tenant's token, else 403", async () => {
    const verify = (token: string, mode = 'subscribe') =>
      suite.app.inject({ method: 'GET', url: `${WEBHOOK}?hub.mode=${mode}&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444` });
    for (const token of [PLATFORM_VERIFY_TOKEN, generatedVerifyToken]) {
      const response = await verify(token);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.body).toBe('1158201444');
    }
    expect((await verify('not-the-token-at-all')).statusCode).toBe(403);
    expect((await verify(PLATFORM_VERIFY_TOKEN, 'unsubscribe')).json()).toMatchObject({ code: 'WEBHOOK_VERIFICATION_FAILED' });
    expect((await suite.app.inject({ method: 'GET', url: `${WEBHOOK}?hub.mode=subscribe` })).statusCode).toBe(400);
  });

  it('a delivery without a valid signature over the exact bytes is 401 and stores nothing', async () => {
    const body = delivery([{ phoneNumberId: a.phone, messages: ['wamid.unsigned'] }]);
    expect((await post(body)).statusCode).toBe(401);
    expect((await post(body, sign(body, 'another-secret-entirely'))).json()).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
    expect((await post(body.replace('Hello', 'Hellp'), sign(body))).statusCode).toBe(401);
    expect((await post(body, 'sha256=zz')).statusCode).toBe(401);
    expect(await eventsOf(a.tenant.id)).toEqual([]);
  });

  it('stores each message and status once under its tenant; unknown phone numbers are counted, not stored', async () => {
    const unknown = phoneId();
    const body = delivery([
      { phoneNumberId: a.phone, messages: ['wamid.m1'], statuses: [['wamid.out1', 'delivered']] },
      { phoneNumberId: unknown, messages: ['wamid.lost'] },
    ]);
    const first = await post(body, sign(body));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: 3, stored: 2, duplicates: 0, unknownPhoneNumbers: 1 });
    // Meta retries: the same delivery again, and a later status of the same message.
    const retried = await post(body, sign(body));
    expect(retried.json()).toEqual({ received: 3, stored: 0, duplicates: 2, unknownPhoneNumbers: 1 });
    const later = delivery([{ phoneNumberId: a.phone, statuses: [['wamid.out1', 'read']] }]);
    expect((await post(later, sign(later))).json()).toMatchObject({ stored: 1 });

    expect(await eventsOf(a.tenant.id)).toEqual(['message:wamid.m1', 'status:wamid.out1:delivered', 'status:wamid.out1:read']);
    expect(await fixtures.query(`SELECT 1 FROM whatsapp_inbound_events WHERE "phoneNumberId" = $1 OR "metaId" = 'wamid.lost'`, [unknown])).toEqual([]);
    const metrics = await suite.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/whatsapp_webhook_events_total\{outcome="unknown_phone_number"\} 2/);
    expect(metrics.body).toMatch(/whatsapp_webhook_events_total\{outcome="stored"\} 3/);
  });
});
