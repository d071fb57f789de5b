import { SignJWT } from 'jose';
import { hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { TOKEN_ISSUER } from '../../src/auth/auth.constants';
import { SIGNUP_STATE_AUDIENCE, SIGNUP_STATE_KEY_INFO } from '../../src/integrations/integrations.constants';
import { dumpDatabase, encodingsOf } from '../support/database-dump';
import { FakeGraphApi } from '../support/fake-graph-api';
import { bearer, IdentityFixtures, login, type Session, type TenantRow } from '../support/identity-fixtures';
import { LogCapture, useTestApp } from '../support/test-app';

const APP_ID = '1234567890123456';
const APP_SECRET = `app-secret-${randomBytes(16).toString('hex')}`;
const JWT_SECRET = `signup-suite-jwt-secret-${randomBytes(16).toString('hex')}`;
const START = '/api/v1/integrations/whatsapp/embedded-signup';
const COMPLETE = `${START}/complete`;
const TIMEOUT_MS = 400;
const phoneId = () => String(100_000_000_000_000 + Math.floor(Math.random() * 1e12));
const code = (kind = 'ok') => `${kind}-${randomBytes(12).toString('base64url')}`;

interface Started {
  state: string;
  expiresAt: string;
  appId: string;
  graphApiVersion: string;
}
interface Admin {
  tenant: TenantRow;
  userId: string;
  session: Session;
}

/** The state key as the server derives it (from JWT_SECRET), to sign states the API never issued. */
const stateKey = new Uint8Array(hkdfSync('sha256', new TextEncoder().encode(JWT_SECRET), new Uint8Array(0), SIGNUP_STATE_KEY_INFO, 32));
function signState(claims: { tid: string; sub: string; jti: string }, options: { secondsAgo?: number; key?: Uint8Array } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000) - (options.secondsAgo ?? 0);
  return new SignJWT({ tid: claims.tid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(SIGNUP_STATE_AUDIENCE)
    .setSubject(claims.sub)
    .setJti(claims.jti)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(options.key ?? stateKey);
}

describe('WhatsApp embedded signup', () => {
  // Started before the app (hooks run in order), so the app's META_GRAPH_URL can point at it.
  const graph = new FakeGraphApi();
  const env: Record<string, string> = {
    META_APP_ID: APP_ID,
    META_APP_SECRET: APP_SECRET,
    JWT_SECRET,
    META_GRAPH_TIMEOUT_MS: String(TIMEOUT_MS),
    PUBLIC_BASE_URL: 'https://api.example.test',
  };
  beforeAll(async () => {
    env.META_GRAPH_URL = await graph.start();
  });
  afterAll(() => graph.stop());
  const logs = new LogCapture();
  const suite = useTestApp({ env, logs });
  let fixtures: IdentityFixtures;
  const issuedTokens: string[] = [];
  const usedCodes: string[] = [];

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(suite.database.url);
  });
  afterAll(() => fixtures.close());

  async function admin(name: string): Promise<Admin> {
    const { tenant, owner } = await fixtures.tenantWithOwner(name);
    return { tenant, userId: owner.id, session: await login(suite.app, owner) };
  }
  const start = (session: Session | string) =>
    suite.app.inject({ method: 'POST', url: START, headers: bearer(typeof session === 'string' ? session : session.accessToken) });
  async function started(session: Session): Promise<Started> {
    const response = await start(session);
    expect(response.statusCode).toBe(201);
    return response.json<Started>();
  }
  function complete(session: Session | string, body: { state: string; code?: string; phoneNumberId?: string; businessAccountId?: string }) {
    const payload = { code: code(), phoneNumberId: phoneId(), businessAccountId: '102290129340398', ...body };
    usedCodes.push(payload.code);
    if (payload.code.startsWith('ok-')) issuedTokens.push(FakeGraphApi.tokenFor(payload.code));
    return suite.app.inject({ method: 'POST', url: COMPLETE, headers: bearer(typeof session === 'string' ? session : session.accessToken), payload });
  }
  const stateRow = async (tenantId: string, state: string) => {
    const nonce = JSON.parse(Buffer.from(state.split('.')[1], 'base64url').toString()) as { jti: string };
    const [row] = await fixtures.query<{ userId: string; usedAt: Date | null; expiresAt: Date }>(
      `SELECT "userId", "usedAt", "expiresAt" FROM whatsapp_signup_states WHERE "tenantId" = $1 AND id = $2`,
      [tenantId, nonce.jti],
    );
    return row;
  };
  /** What a half-saved signup would leave: a stored token, a phone number, a WhatsApp config. */
  const savedOf = async (tenantId: string) => ({
    token: (await fixtures.query(`SELECT 1 FROM integration_credentials WHERE "tenantId" = $1 AND type = 'whatsapp_access_token'`, [tenantId])).length,
    config: (await fixtures.query(`SELECT 1 FROM integration_configs WHERE "tenantId" = $1 AND provider = 'whatsapp'`, [tenantId])).length,
    phone: (await fixtures.query<{ phoneNumberId: string | null }>(`SELECT "phoneNumberId" FROM tenants WHERE id = $1`, [tenantId]))[0].phoneNumberId,
  });
  const nothingSaved = { token: 0, config: 0, phone: null };

  it('start issues a state bound to tenant and user, stored with its nonce, expiring in 10 minutes, audited', async () => {
    const a = await admin('A');
    const before = Date.now();
    const body = await started(a.session);
    expect(body).toMatchObject({ appId: APP_ID, graphApiVersion: 'v21.0' });
    const expiresIn = new Date(body.expiresAt).getTime() - before;
    expect(expiresIn).toBeGreaterThan(590_000);
    expect(expiresIn).toBeLessThanOrEqual(601_000);
    const claims = JSON.parse(Buffer.from(body.state.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ tid: a.tenant.id, sub: a.userId, aud: SIGNUP_STATE_AUDIENCE });
    expect(await stateRow(a.tenant.id, body.state)).toMatchObject({ userId: a.userId, usedAt: null });
    const audit = await fixtures.query(`SELECT "actorId" FROM audit_events WHERE "tenantId" = $1 AND action = 'integration.whatsapp.signup_started'`, [a.tenant.id]);
    expect(audit).toEqual([{ actorId: a.userId }]);
    // Two starts are two states.
    expect((await started(a.session)).state).not.toBe(body.state);
  });

  it('complete exchanges the code at the Graph API, stores the token in the vault, configures WhatsApp, consumes the state, audits', async () => {
    const a = await admin('A');
    const { state } = await started(a.session);
    const phone = phoneId();
    const signupCode = code();
    const response = await complete(a.session, { state, code: signupCode, phoneNumberId: phone, businessAccountId: '102290129340398' });
    expect(response.statusCode).toBe(200);
    const token = FakeGraphApi.tokenFor(signupCode);
    expect(response.json()).toMatchObject({ configured: true, missing: [], phoneNumberId: phone, businessAccountId: '102290129340398', accessToken: `****${token.slice(-4)}` });
    expect(response.body).not.toContain(token);

    const exchange = graph.exchanges().find((request) => request.query.code === signupCode);
    expect(exchange).toEqual({ method: 'GET', path: '/v21.0/oauth/access_token', query: { client_id: APP_ID, client_secret: APP_SECRET, code: signupCode } });

    const read = await suite.app.inject({ method: 'GET', url: '/api/v1/integrations/whatsapp', headers: bearer(a.session.accessToken) });
    expect(read.json()).toMatchObject({ configured: true, phoneNumberId: phone, accessToken: `****${token.slice(-4)}` });
    expect((await stateRow(a.tenant.id, state)).usedAt).not.toBeNull();
    const audit = await fixtures.query<{ metadata: Record<string, unknown> }>(
      `SELECT metadata FROM audit_events WHERE "tenantId" = $1 AND action = 'integration.whatsapp.embedded_signup_completed'`,
      [a.tenant.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].metadata).toMatchObject({ accessToken: `****${token.slice(-4)}`, phoneNumberId: { from: null, to: phone }, configured: true, signupId: expect.any(String) });
    // Webhooks for this number now reach the tenant.
    const operator = await login(suite.app, await fixtures.user({ platformScopes: ['platform:operator'] }));
    const lookup = await suite.app.inject({ method: 'GET', url: `/api/v1/platform/tenants/lookup?phoneNumberId=${phone}`, headers: bearer(operator.accessToken) });
    expect(lookup.json()).toMatchObject({ tenantId: a.tenant.id });

    // Single use: the same state again is 409, and Meta is not asked again.
    const calls = graph.exchanges().length;
    const again = await complete(a.session, { state, phoneNumberId: phone });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'SIGNUP_STATE_USED', requestId: expect.any(String) });
    expect(graph.exchanges()).toHaveLength(calls);
  });

  it("another tenant's state is refused (400) without asking Meta, and stays usable by its owner", async () => {
    const a = await admin('A');
    const b = await admin('B');
    const { state } = await started(b.session);
    const calls = graph.exchanges().length;
    const response = await complete(a.session, { state });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'SIGNUP_STATE_INVALID' });
    expect(graph.exchanges()).toHaveLength(calls);
    expect(await savedOf(a.tenant.id)).toEqual(nothingSaved);
    expect((await stateRow(b.tenant.id, state)).usedAt).toBeNull();
    expect((await complete(b.session, { state })).statusCode).toBe(200);
  });

  it("another user of the same tenant cannot complete a user's state (bound to the user)", async () => {
    const a = await admin('A');
    const colleague = await fixtures.user();
    await fixtures.member(a.tenant.id, colleague.id, 'ADMIN');
    const other = await login(suite.app, colleague);
    const { state } = await started(a.session);
    const response = await complete(other, { state });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'SIGNUP_STATE_INVALID' });
    expect(await savedOf(a.tenant.id)).toEqual(nothingSaved);
    // A state started by an API key is the key's: a person of the tenant cannot finish it either.
    const key = await fixtures.apiKey(a.tenant.id, { scopes: ['integrations:write'] });
    const byKey = (await start(key.secret)).json<Started>();
    expect((await complete(a.session, { state: byKey.state })).json()).toMatchObject({ code: 'SIGNUP_STATE_INVALID' });
    expect((await complete(a.session, { state })).statusCode).toBe(200);
  });

  it('an expired state is refused (400 SIGNUP_STATE_EXPIRED): by its row, and by its own expiry', async () => {
    const a = await admin('A');
    const { state } = await started(a.session);
    await fixtures.query(`UPDATE whatsapp_signup_states SET "expiresAt" = now() - interval '1 second' WHERE "tenantId" = $1`, [a.tenant.id]);
    const calls = graph.exchanges().length;
    const response = await complete(a.session, { state });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'SIGNUP_STATE_EXPIRED' });

    // A row seeded directly, and a state for it signed with the real key but issued 11 minutes ago.
    const nonce = randomUUID();
    await fixtures.query(`INSERT INTO whatsapp_signup_states ("tenantId", id, "userId", "expiresAt") VALUES ($1, $2, $3, now() + interval '10 minutes')`, [a.tenant.id, nonce, a.userId]);
    const old = await signState({ tid: a.tenant.id, sub: a.userId, jti: nonce }, { secondsAgo: 660 });
    expect((await complete(a.session, { state: old })).json()).toMatchObject({ code: 'SIGNUP_STATE_EXPIRED' });
    // The same claims, fresh: the seeded row is accepted (so it was the expiry that refused).
    const fresh = await signState({ tid: a.tenant.id, sub: a.userId, jti: nonce });
    expect((await complete(a.session, { state: fresh })).statusCode).toBe(200);
    expect(graph.exchanges()).toHaveLength(calls + 1);
  });

  it('forged, tampered, unknown and malformed states are 400 SIGNUP_STATE_INVALID', async () => {
    const a = await admin('A');
    const { state } = await started(a.session);
    const [header, body, signature] = state.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp as number) + 3600 })).toString('base64url')}.${signature}`;
    const forged = await signState({ tid: a.tenant.id, sub: a.userId, jti: claims.jti as string }, { key: new Uint8Array(32).fill(7) });
    const unknownNonce = await signState({ tid: a.tenant.id, sub: a.userId, jti: randomUUID() });
    const accessTokenAsState = a.session.accessToken;
    for (const bad of [tampered, forged, unknownNonce, accessTokenAsState, 'not-a-state', `${state}x`]) {
      const response = await complete(a.session, { state: bad });
      expect({ bad, status: response.statusCode, code: response.json<{ code: string }>().code }).toEqual({ bad, status: 400, code: 'SIGNUP_STATE_INVALID' });
    }
    expect(await savedOf(a.tenant.id)).toEqual(nothingSaved);
    expect((await stateRow(a.tenant.id, state)).usedAt).toBeNull();
  });

  it.each([
    ['an OAuth error', 'refused', 502, 'GRAPH_API_ERROR'],
    ['an HTML 500', 'broken', 502, 'GRAPH_API_ERROR'],
    ['no access_token', 'empty', 502, 'GRAPH_API_ERROR'],
    ['an answer slower than META_GRAPH_TIMEOUT_MS', `slow-${TIMEOUT_MS * 5}`, 504, 'GRAPH_API_TIMEOUT'],
  ])('Meta answering with %s (code %s) is %i in the envelope, saves nothing and leaves the state usable', async (_name, kind, status, errorCode) => {
    const a = await admin('A');
    const { state } = await started(a.session);
    const response = await complete(a.session, { state, code: code(kind) });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ error: expect.any(String), code: errorCode, requestId: expect.any(String) });
    expect(await savedOf(a.tenant.id)).toEqual(nothingSaved);
    expect((await stateRow(a.tenant.id, state)).usedAt).toBeNull();
    expect(await fixtures.query(`SELECT 1 FROM audit_events WHERE "tenantId" = $1 AND action LIKE 'integration.%' AND action <> 'integration.whatsapp.signup_started'`, [a.tenant.id])).toEqual([]);
    // Meta's popup gives a new code; the same state then completes.
    expect((await complete(a.session, { state })).statusCode).toBe(200);
  });

  it("a phone number id another tenant has is 409 after the exchange, and the token is not kept", async () => {
    const a = await admin('A');
    const b = await admin('B');
    const taken = phoneId();
    expect((await complete(b.session, { state: (await started(b.session)).state, phoneNumberId: taken })).statusCode).toBe(200);
    const { state } = await started(a.session);
    const response = await complete(a.session, { state, phoneNumberId: taken });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'PHONE_NUMBER_ID_TAKEN' });
    expect(await savedOf(a.tenant.id)).toEqual(nothingSaved);
    expect((await stateRow(a.tenant.id, state)).usedAt).toBeNull();
  });

  it('two completions racing with one state: exactly one commits', async () => {
    const a = await admin('A');
    const { state } = await started(a.session);
    const responses = await Promise.all([complete(a.session, { state }), complete(a.session, { state }), complete(a.session, { state })]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 409, 409]);
    expect(responses.filter((response) => response.statusCode === 409).map((response) => response.json<{ code: string }>().code)).toEqual(['SIGNUP_STATE_USED', 'SIGNUP_STATE_USED']);
    const audit = await fixtures.query(`SELECT 1 FROM audit_events WHERE "tenantId" = $1 AND action = 'integration.whatsapp.embedded_signup_completed'`, [a.tenant.id]);
    expect(audit).toHaveLength(1);
  });

  it('needs an admin (or integrations:write) and valid ids', async () => {
    const a = await admin('A');
    const member = await fixtures.user();
    await fixtures.member(a.tenant.id, member.id, 'MEMBER');
    expect((await start(await login(suite.app, member))).statusCode).toBe(403);
    const readOnly = await fixtures.apiKey(a.tenant.id, { scopes: ['integrations:read'] });
    expect((await start(readOnly.secret)).statusCode).toBe(403);
    const { state } = await started(a.session);
    const response = await complete(a.session, { state, phoneNumberId: '+49 151' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('no access token, code or app secret reaches the database, the logs or an answer', async () => {
    expect(issuedTokens.length).toBeGreaterThan(5);
    const dump = await dumpDatabase(suite.database.url);
    for (const secret of [...issuedTokens, APP_SECRET]) for (const form of encodingsOf(secret)) expect(dump.includes(form)).toBe(false);
    expect(logs.lines.length).toBeGreaterThan(0);
    for (const secret of [...issuedTokens, ...usedCodes, APP_SECRET]) expect({ secret, inLogs: logs.text.includes(secret) }).toEqual({ secret, inLogs: false });
    // Meta's refusal was logged for the operator (its type and code, not the request).
    expect(logs.entries.some((entry) => entry.msg === 'Graph API refused the request' && entry.metaCode === 100)).toBe(true);
  });
});

describe('WhatsApp embedded signup on a platform without a Meta app', () => {
  const suite = useTestApp();
  it('start and complete answer 503 WHATSAPP_NOT_CONFIGURED', async () => {
    const fixtures = await IdentityFixtures.connect(suite.database.url);
    try {
      const { owner } = await fixtures.tenantWithOwner('A');
      const session = await login(suite.app, owner);
      const started = await suite.app.inject({ method: 'POST', url: START, headers: bearer(session.accessToken) });
      expect(started.statusCode).toBe(503);
      expect(started.json()).toMatchObject({ code: 'WHATSAPP_NOT_CONFIGURED' });
      const completed = await suite.app.inject({
        method: 'POST',
        url: COMPLETE,
        headers: bearer(session.accessToken),
        payload: { state: 'x', code: 'c', phoneNumberId: '1', businessAccountId: '2' },
      });
      expect(completed.json()).toMatchObject({ code: 'WHATSAPP_NOT_CONFIGURED' });
    } finally {
      await fixtures.close();
    }
  });
});
