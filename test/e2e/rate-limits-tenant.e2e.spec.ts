import { randomBytes } from 'node:crypto';
import { bearer, IdentityFixtures, login } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

const ENV = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
  TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345',
  RATE_LIMIT_TENANT_PER_MINUTE: '8',
  RATE_LIMIT_API_KEY_PER_MINUTE: '3',
};
const PASSWORD = 'a sound password 2026';
const unique = () => randomBytes(4).toString('hex');

interface Tenant {
  id: string;
  rateLimitPerMinute: number | null;
}

describe('rate limits on the tenant API (per tenant and per API key)', () => {
  const handle = useTestApp({ env: ENV });
  let fixtures: IdentityFixtures;
  let operatorToken: string;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
    operatorToken = (await login(handle.app, await fixtures.user({ platformScopes: ['platform:operator'] }))).accessToken;
  });
  afterAll(() => fixtures.close());

  const packages = (credential: string) => handle.app.inject({ method: 'GET', url: '/api/v1/packages', headers: bearer(credential) });
  const setLimit = (tenantId: string, rateLimitPerMinute: number | null, token = operatorToken) =>
    handle.app.inject({ method: 'PATCH', url: `/api/v1/platform/tenants/${tenantId}`, headers: bearer(token), payload: { rateLimitPerMinute } });
  const statuses = async (count: number, credential: string) => {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push((await packages(credential)).statusCode);
    return seen;
  };

  /** A tenant signed up through the API, as a user would: its owner's session and first key. */
  async function signedUpTenant() {
    const response = await handle.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: `owner-${unique()}@example.com`, password: PASSWORD, businessName: `Studio ${unique()}` },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<{ accessToken: string; tenant: { id: string }; apiKey: { secretKey: string } }>();
    return { tenantId: body.tenant.id, session: body.accessToken, key: body.apiKey.secretKey };
  }

  it("counts a tenant's users and keys together against the platform default when the tenant has no limit", async () => {
    const { session, key } = await signedUpTenant();
    const first = await packages(session);
    expect(first.statusCode).toBe(200);
    expect([first.headers['ratelimit-limit'], first.headers['ratelimit-remaining']]).toEqual(['8', '7']);
    expect(await statuses(2, key)).toEqual([200, 200]);
    expect(await statuses(5, session)).toEqual([200, 200, 200, 200, 200]);
    const refused = await packages(session);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ error: expect.stringContaining('tenant'), code: 'RATE_LIMITED', requestId: refused.headers['x-request-id'] });
    expect(refused.headers['ratelimit-limit']).toBe('8');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await packages(key)).statusCode).toBe(429);
  });

  it("one tenant's exhausted budget does not touch another tenant's", async () => {
    const busy = await signedUpTenant();
    const quiet = await signedUpTenant();
    await statuses(9, busy.session);
    expect((await packages(busy.session)).statusCode).toBe(429);
    expect((await packages(quiet.session)).statusCode).toBe(200);
  });

  it("an operator's change to the tenant's limit applies from the next request; null goes back to the default", async () => {
    const { tenantId, session } = await signedUpTenant();
    const lowered = await setLimit(tenantId, 2);
    expect(lowered.statusCode).toBe(200);
    expect(lowered.json<Tenant>().rateLimitPerMinute).toBe(2);
    expect(await statuses(3, session)).toEqual([200, 200, 429]);

    const raised = await signedUpTenant();
    expect((await setLimit(raised.tenantId, 2)).statusCode).toBe(200);
    expect(await statuses(2, raised.session)).toEqual([200, 200]);
    expect((await setLimit(raised.tenantId, 5)).statusCode).toBe(200);
    const next = await packages(raised.session);
    expect([next.statusCode, next.headers['ratelimit-limit'], next.headers['ratelimit-remaining']]).toEqual([200, '5', '2']);

    expect((await setLimit(raised.tenantId, null)).json<Tenant>().rateLimitPerMinute).toBeNull();
    expect((await packages(raised.session)).headers['ratelimit-limit']).toBe('8');
    const audit = await fixtures.query<{ metadata: { changed: string[] } }>(
      `SELECT metadata FROM audit_events WHERE action = 'tenant.updated' AND "tenantId" = $1 ORDER BY "occurredAt"`,
      [raised.tenantId],
    );
    expect(audit.map((event) => event.metadata.changed)).toEqual([['rateLimitPerMinute'], ['rateLimitPerMinute'], ['rateLimitPerMinute']]);
  });

  it('operators see the limit; a tenant can neither see nor change its own', async () => {
    const { tenantId, session } = await signedUpTenant();
    const tenant = await handle.app.inject({ method: 'GET', url: `/api/v1/platform/tenants/${tenantId}`, headers: bearer(operatorToken) });
    expect(tenant.json<Tenant>().rateLimitPerMinute).toBeNull();

    const own = await handle.app.inject({ method: 'GET', url: '/api/v1/account', headers: bearer(session) });
    expect(own.statusCode).toBe(200);
    expect(own.json()).not.toHaveProperty('rateLimitPerMinute');
    const change = await handle.app.inject({ method: 'PATCH', url: '/api/v1/account', headers: bearer(session), payload: { rateLimitPerMinute: 1_000_000 } });
    expect(change.statusCode).toBe(400);
    expect(change.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'rateLimitPerMinute' }] });
    // Nor through the operators' route, with the tenant's own session.
    expect((await setLimit(tenantId, 1_000_000, session)).statusCode).toBe(403);
    const stored = await fixtures.query<{ rateLimitPerMinute: number | null }>('SELECT "rateLimitPerMinute" FROM tenants WHERE id = $1', [tenantId]);
    expect(stored[0].rateLimitPerMinute).toBeNull();
  });

  it('refuses limits that are not a whole number of requests from 1 to 1,000,000', async () => {
    const { tenantId } = await signedUpTenant();
    for (const value of [0, -5, 2.5, 1_000_001, '60']) {
      const response = await setLimit(tenantId, value as number);
      expect({ value, status: response.statusCode, code: response.json<{ code: string }>().code }).toEqual({ value, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('limits each API key on its own (3 a minute here), within its tenant', async () => {
    const { tenantId, key } = await signedUpTenant();
    const second = await fixtures.apiKey(tenantId);
    expect(await statuses(3, key)).toEqual([200, 200, 200]);
    const refused = await packages(key);
    expect([refused.statusCode, refused.headers['ratelimit-limit'], refused.json<{ code: string }>().code]).toEqual([429, '3', 'RATE_LIMITED']);
    // The tenant's other key and its users go on.
    expect(await statuses(2, second.secret)).toEqual([200, 200]);
    const passed = await packages(second.secret);
    expect([passed.statusCode, passed.headers['ratelimit-remaining']]).toEqual([200, '0']);
  });

  it("operators reading a tenant through X-Operator-Override do not spend the tenant's budget", async () => {
    const { tenantId, session } = await signedUpTenant();
    expect((await setLimit(tenantId, 2)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) {
      const read = await handle.app.inject({ method: 'GET', url: '/api/v1/packages', headers: { ...bearer(operatorToken), 'x-operator-override': tenantId } });
      expect(read.statusCode).toBe(200);
      expect(read.headers['ratelimit-limit']).toBeUndefined();
    }
    expect(await statuses(3, session)).toEqual([200, 200, 429]);
  });

  it('counts refusals in /metrics as tenant and api-key', async () => {
    const metrics = (await handle.app.inject({ method: 'GET', url: '/metrics' })).body;
    const count = (limit: string) => Number(new RegExp(`^rate_limit_rejections_total\\{limit="${limit}"\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
    expect(count('tenant')).toBeGreaterThanOrEqual(4);
    expect(count('api-key')).toBe(1);
  });
});
