import { MAX_OFFSET } from '../../src/common/constants';
import { TEXT_RULE } from '../../src/common/http/input-limits';
import { bearer, IdentityFixtures, login, type KeyRow, type TenantRow } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

interface ErrorBody {
  code: string;
  details?: Array<{ field?: string; message: string }>;
}

const ENV = { JWT_SECRET: 'input-values-jwt-secret-0123456789abcdefgh', TENANT_COOKIE_SECRET: 'input-values-cookie-secret-0123456789abcdef' };
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * Client input that used to reach PostgreSQL (or encodeURIComponent) and come back as 500 or 503:
 * each case of the schema-driven fuzz run of the report, now a 4xx naming the field.
 */
describe('client input never reaches the database unchecked', () => {
  const handle = useTestApp({ env: ENV });
  let fixtures: IdentityFixtures;
  let tenant: TenantRow;
  let key: KeyRow;
  let operator: string;
  let packageId: string;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
    ({ tenant, key } = await fixtures.tenantWithOwner('Values Co'));
    operator = (await login(handle.app, await fixtures.user({ platformScopes: ['platform:operator'] }))).accessToken;
    packageId = (await call('GET', '/packages', key.secret)).json<{ items: Array<{ id: string }> }>().items[0].id;
  });
  afterAll(() => fixtures.close());

  /** A body as a string, so lone surrogates go out as JSON escapes (`"\ud800"`). */
  function call(method: Method, url: string, token?: string, body?: unknown) {
    const headers: Record<string, string> = token ? bearer(token) : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    return handle.app.inject({ method, url: `/api/v1${url}`, headers, payload: body === undefined ? undefined : JSON.stringify(body) });
  }

  describe('NUL characters and lone surrogates: 400 naming the field', () => {
    const cases: Array<[string, () => [Method, string, string | undefined, unknown?], string]> = [
      ['a segment name with NUL', () => ['POST', '/segments', key.secret, { name: 'a\u0000b' }], 'name'],
      ['a tenant search with NUL', () => ['GET', '/platform/tenants?search=a%00b', operator], 'search'],
      ['a signup business name with NUL (was 503 "try again")', () => ['POST', '/auth/signup', undefined, { email: `s-${unique()}@example.com`, password: 'a sound password 2026', businessName: 'a\u0000b' }], 'businessName'],
      ['a tenant created with NUL in its name (was 503)', () => ['POST', '/platform/tenants', operator, { name: 'a\u0000b', email: `t-${unique()}@example.com` }], 'name'],
      ['a lone surrogate in the login email, anonymously', () => ['POST', '/auth/login', undefined, { email: '\ud800@example.com', password: 'x' }], 'email'],
      ['a lone surrogate in a suspend reason', () => ['POST', `/platform/tenants/${tenant.id}/suspend`, operator, { reason: 'late \udc00' }], 'reason'],
      ['a lone surrogate in agent tool arguments', () => ['POST', '/agent/tools/upsert_package/invoke', key.secret, { arguments: { name: '\ud800', basePrice: 1 } }], 'arguments.name'],
      ['a lone surrogate in an MCP tool call', () => ['POST', '/agent/mcp', key.secret, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'upsert_package', arguments: { name: 'x\ud800' } } }], 'params.arguments.name'],
      ['a NUL in a path parameter', () => ['GET', '/storefront/a%00b', undefined], 'slug'],
      ['a NUL in an object key', () => ['PATCH', '/account', key.secret, { settings: { 'time\u0000zone': 'UTC' } }], 'settings'],
    ];
    it.each(cases)('%s', async (_name, make, field) => {
      const [method, url, token, body] = make();
      const response = await call(method, url, token, body);
      expect({ status: response.statusCode, ...response.json<ErrorBody>() }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        error: expect.any(String),
        requestId: expect.any(String),
        details: [{ field, message: expect.stringContaining(TEXT_RULE) }],
      });
    });

    it('surrogate pairs (emoji) and other Unicode are fine', async () => {
      const response = await call('POST', '/segments', key.secret, { name: 'Bodas 💍 ñ 日本' });
      expect(response.statusCode).toBe(201);
      expect(response.json<{ name: string }>().name).toBe('Bodas 💍 ñ 日本');
    });
  });

  describe('null only where the contract says nullable', () => {
    const nullCases: Array<[string, Method, () => string, object]> = [
      ['name', 'PATCH', () => `/packages/${packageId}`, { name: null }],
      ['basePrice', 'PATCH', () => `/packages/${packageId}`, { basePrice: null }],
      ['name', 'PATCH', () => '/account', { name: null }],
      ['settings.timezone', 'PATCH', () => '/account', { settings: { timezone: null } }],
      ['active', 'POST', () => '/packages', { name: 'Nullish', basePrice: 100, active: null }],
      ['sortOrder', 'POST', () => '/segments', { name: 'Nullish', sortOrder: null }],
    ];
    it.each(nullCases)('%s: null is 400 (%s)', async (field, method, url, body) => {
      const response = await call(method, url(), key.secret, body);
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field, message: `${field} must not be null` }] });
    });

    it('a nullable field takes null and clears it', async () => {
      const patched = await call('PATCH', `/packages/${packageId}`, key.secret, { description: null });
      expect(patched.statusCode).toBe(200);
      expect(patched.json<{ description: string | null }>().description).toBeNull();
      const tenantPatch = await call('PATCH', `/platform/tenants/${tenant.id}`, operator, { domain: null, phoneNumberId: null });
      expect(tenantPatch.statusCode).toBe(200);
    });
  });

  describe('offset and limit are bounded integers', () => {
    const lists = (): Array<[string, string]> => [
      ['/segments', key.secret],
      ['/packages', key.secret],
      ['/api-keys', key.secret],
      ['/agent/proposals', key.secret],
      ['/platform/tenants', operator],
    ];
    it.each(['1e21', '1e20', '9007199254740994', String(MAX_OFFSET + 1), '-1', '1.5', '0x10', '', '1e2'])('offset=%s is 400 on every list', async (offset) => {
      for (const [url, token] of lists()) {
        const response = await call('GET', `${url}?offset=${offset}`, token);
        expect({ url, status: response.statusCode, field: response.json<ErrorBody>().details?.[0].field }).toEqual({ url, status: 400, field: 'offset' });
      }
    });

    it('offset at the bound and a plain limit are fine', async () => {
      for (const [url, token] of lists()) {
        const response = await call('GET', `${url}?offset=${MAX_OFFSET}&limit=100`, token);
        expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
        expect(response.json<{ items: unknown[]; offset: number }>()).toMatchObject({ items: [], offset: MAX_OFFSET });
      }
      expect((await call('GET', '/packages?limit=1e2', key.secret)).statusCode).toBe(400);
    });

    it("the agent's get_packages tool bounds offset the same way", async () => {
      for (const offset of [1e21, 9007199254740994, MAX_OFFSET + 1]) {
        const response = await call('POST', '/agent/tools/get_packages/invoke', key.secret, { arguments: { offset } });
        expect(response.statusCode).toBe(400);
        expect(response.json<ErrorBody>()).toMatchObject({ code: 'INVALID_TOOL_INPUT', details: [{ field: 'offset' }] });
      }
    });

    it('the OpenAPI document shows the bounds', async () => {
      const document = (await handle.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json<{ paths: Record<string, { get: { parameters: Array<{ name: string; schema: object }> } }> }>();
      for (const path of ['/api/v1/segments', '/api/v1/packages', '/api/v1/platform/tenants']) {
        const parameters = document.paths[path].get.parameters;
        expect(parameters.find((parameter) => parameter.name === 'offset')!.schema).toMatchObject({ type: 'integer', minimum: 0, maximum: MAX_OFFSET });
        expect(parameters.find((parameter) => parameter.name === 'limit')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
      }
    });
  });

  describe('numbers in exponent form', () => {
    it.each([1e-7, 5e-324, 1.005, 1e21])('commissionPercent %p is 400 on create and update (class-validator threw on 1e-7)', async (commissionPercent) => {
      const created = await call('POST', '/platform/tenants', operator, { name: 'Tiny', email: `t-${unique()}@example.com`, commissionPercent });
      expect({ status: created.statusCode, field: created.json<ErrorBody>().details?.[0].field }).toEqual({ status: 400, field: 'commissionPercent' });
      const updated = await call('PATCH', `/platform/tenants/${tenant.id}`, operator, { commissionPercent });
      expect(updated.statusCode).toBe(400);
    });

    it('two decimals are fine', async () => {
      expect((await call('PATCH', `/platform/tenants/${tenant.id}`, operator, { commissionPercent: 12.34 })).statusCode).toBe(200);
    });
  });

  describe('dates are bounded', () => {
    it.each(['from=0000-01-01', 'to=99999-01-01', 'from=1e21', 'to=1969-12-31T23:59:59Z', 'from=yesterday', 'from=2026-02-30'])('/audit-events?%s is 400', async (query) => {
      const response = await call('GET', `/audit-events?${query}`, key.secret);
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().details?.[0].field).toBe(query.split('=')[0]);
      expect((await call('GET', `/platform/audit-events?${query}`, operator)).statusCode).toBe(400);
    });

    it('ISO 8601 dates and date-times in range are fine', async () => {
      for (const query of ['from=2026-01-01', 'to=2026-01-01T10:00:00Z', 'from=1970-01-01T00:00:00.000Z&to=9999-12-31T23:59:59Z', 'to=2026-01-01T10:00:00%2B02:00']) {
        expect({ query, status: (await call('GET', `/audit-events?${query}`, key.secret)).statusCode }).toEqual({ query, status: 200 });
      }
    });

    it('an API key expiry past year 9999 is 400', async () => {
      const response = await call('POST', '/api-keys', key.secret, { name: 'far future', expiresAt: '10000-01-01T00:00:00Z' });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().details?.[0].field).toBe('expiresAt');
    });
  });

  describe('slugs cannot look like another name', () => {
    it.each(['xn--pple-43d', 'ab--cdef', 'www', 'api', 'docs', 'console', 'admin'])('tenant slug %s is refused at signup and by operators', async (slug) => {
      const signup = await call('POST', '/auth/signup', undefined, { email: `s-${unique()}@example.com`, password: 'a sound password 2026', businessName: 'Look-alike', slug });
      expect(signup.statusCode).toBe(400);
      expect(signup.json<ErrorBody>().details?.[0].field).toBe('slug');
      const created = await call('POST', '/platform/tenants', operator, { name: 'Look-alike', email: `t-${unique()}@example.com`, slug });
      expect(created.statusCode).toBe(400);
    });

    it('a reserved business name gets a suffixed slug instead', async () => {
      const signup = await call('POST', '/auth/signup', undefined, { email: `s-${unique()}@example.com`, password: 'a sound password 2026', businessName: 'Console' });
      expect(signup.statusCode).toBe(201);
      expect(signup.json<{ tenant: { slug: string } }>().tenant.slug).toMatch(/^console-[0-9a-f]{6}$/);
    });

    it.each(['/segments', '/packages'])('catalog slug xn--pple-43d is refused on %s', async (url) => {
      const response = await call('POST', url, key.secret, { name: 'Apple', basePrice: 1, slug: 'xn--pple-43d' });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().details?.map((detail) => detail.field)).toContain('slug');
    });

    it('and by the agent tools', async () => {
      const response = await call('POST', '/agent/tools/upsert_package/invoke', key.secret, { arguments: { name: 'Apple', basePrice: 1, slug: 'xn--pple-43d' } });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>()).toMatchObject({ code: 'INVALID_TOOL_INPUT', details: [{ field: 'slug' }] });
    });
  });
});
