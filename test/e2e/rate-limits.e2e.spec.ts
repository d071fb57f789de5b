import type { InjectOptions } from 'light-my-request';
import { randomBytes } from 'node:crypto';
import { buildOpenApiDocument } from '../../src/openapi/openapi-document';
import { IdentityFixtures, type UserRow } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

const ENV = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
  TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345',
  RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: '3',
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '6',
  RATE_LIMIT_SIGNUP_PER_IP_PER_HOUR: '2',
  RATE_LIMIT_REFRESH_PER_IP_PER_MINUTE: '3',
  RATE_LIMIT_STOREFRONT_MISSES_PER_IP_PER_MINUTE: '3',
};
const PASSWORD = 'a sound password 2026';

interface ErrorBody {
  error: string;
  code: string;
  requestId: string;
}

/** A client address of its own for each scenario, so no scenario spends another's budget. */
let lastAddress = 0;
const newAddress = () => `198.51.100.${++lastAddress}`;
const unique = () => randomBytes(4).toString('hex');

describe('rate limits on the public routes (per client address)', () => {
  const handle = useTestApp({ env: ENV });
  let fixtures: IdentityFixtures;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
  });
  afterAll(() => fixtures.close());

  const send = (from: string, options: InjectOptions) => handle.app.inject({ ...options, remoteAddress: from });
  const login = (from: string, email: string, password: string) => send(from, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  const statuses = async (attempts: Array<() => Promise<{ statusCode: number }>>) => {
    const seen: number[] = [];
    for (const attempt of attempts) seen.push((await attempt()).statusCode);
    return seen;
  };

  function expectRateLimited(response: Awaited<ReturnType<typeof send>>, limit: number) {
    expect(response.statusCode).toBe(429);
    const body = response.json<ErrorBody>();
    expect(body).toEqual({ error: expect.any(String), code: 'RATE_LIMITED', requestId: response.headers['x-request-id'] });
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect(response.headers['ratelimit-limit']).toBe(String(limit));
    expect(response.headers['ratelimit-remaining']).toBe('0');
    expect(response.headers['ratelimit-reset']).toBe(response.headers['retry-after']);
  }

  describe('login', () => {
    let victim: UserRow;
    let other: UserRow;
    beforeAll(async () => {
      victim = await fixtures.user({ password: PASSWORD });
      other = await fixtures.user({ password: PASSWORD });
    });

    it('allows 3 attempts a minute per address and account, then 429 (even with the right password)', async () => {
      const attacker = newAddress();
      const wrong = () => login(attacker, victim.email, 'not the password');
      expect(await statuses([wrong, wrong, wrong])).toEqual([401, 401, 401]);
      expectRateLimited(await wrong(), 3);
      // Blocked before the password is looked at: the right one does not get through either.
      expectRateLimited(await login(attacker, victim.email.toUpperCase(), PASSWORD), 3);
    });

    it("another account from the same address is not blocked by the first account's failures", async () => {
      const attacker = newAddress();
      for (let i = 0; i < 3; i++) await login(attacker, victim.email, 'not the password');
      expect((await login(attacker, victim.email, 'not the password')).statusCode).toBe(429);
      const response = await login(attacker, other.email, PASSWORD);
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-remaining']).toBe('2');
      // The refused attempt was not counted against the address: 4 of its 6 are used. One more
      // account uses a fifth and sixth; the headers then describe the limit closest to running out.
      expect((await login(attacker, `nobody-${unique()}@example.com`, 'guess')).statusCode).toBe(401);
      const last = await login(attacker, `nobody-${unique()}@example.com`, 'guess');
      expect([last.statusCode, last.headers['ratelimit-limit'], last.headers['ratelimit-remaining']]).toEqual([401, '6', '0']);
      expectRateLimited(await login(attacker, other.email, PASSWORD), 6);
    });

    it('the owner, from another address, still signs in while an attacker is blocked', async () => {
      const attacker = newAddress();
      for (let i = 0; i < 4; i++) await login(attacker, victim.email, 'not the password');
      const response = await login(newAddress(), victim.email, PASSWORD);
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-limit']).toBe('3');
      expect(response.headers['ratelimit-remaining']).toBe('2');
    });

    it('caps one address at 6 attempts a minute whatever the accounts (credential stuffing)', async () => {
      const stuffer = newAddress();
      const attempts = Array.from({ length: 6 }, () => () => login(stuffer, `nobody-${unique()}@example.com`, 'guess'));
      expect(await statuses(attempts)).toEqual([401, 401, 401, 401, 401, 401]);
      expectRateLimited(await login(stuffer, `nobody-${unique()}@example.com`, 'guess'), 6);
    });
  });

  it('signup: 2 an hour per address, then 429; another address may still sign up', async () => {
    const from = newAddress();
    const signup = (address: string) =>
      send(address, { method: 'POST', url: '/api/v1/auth/signup', payload: { email: `owner-${unique()}@example.com`, password: PASSWORD, businessName: `Studio ${unique()}` } });
    expect(await statuses([() => signup(from), () => signup(from)])).toEqual([201, 201]);
    const refused = await signup(from);
    expectRateLimited(refused, 2);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60); // the window is an hour
    expect((await signup(newAddress())).statusCode).toBe(201);
  });

  it('refresh: 3 a minute per address, then 429', async () => {
    const from = newAddress();
    const refresh = () => send(from, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: `rt_${unique()}` } });
    expect(await statuses([refresh, refresh, refresh])).toEqual([401, 401, 401]);
    expectRateLimited(await refresh(), 3);
  });

  describe('storefront', () => {
    const storefront = (from: string, slug: string) => send(from, { method: 'GET', url: `/api/v1/storefront/${slug}` });

    it('counts what the cache cannot answer (unknown slugs) per address: 3, then 429 for every uncached slug', async () => {
      const guesser = newAddress();
      const guess = () => storefront(guesser, `no-such-${unique()}`);
      expect(await statuses([guess, guess, guess])).toEqual([404, 404, 404]);
      expectRateLimited(await guess(), 3);
      // A tenant nobody has visited yet is not cached: refused alike, so guessing learns nothing more.
      const unvisited = await fixtures.tenant('Unvisited');
      expectRateLimited(await storefront(guesser, unvisited.slug), 3);
      // Strings that cannot be slugs are refused too, not answered 404 for free.
      expectRateLimited(await storefront(guesser, 'NOT_A_SLUG'), 3);
      // Someone else is not affected.
      expect((await storefront(newAddress(), `no-such-${unique()}`)).statusCode).toBe(404);
    });

    it('answers from the cache are not counted', async () => {
      const tenant = await fixtures.tenant('Popular');
      const visitor = newAddress();
      const first = await storefront(visitor, tenant.slug); // fills the cache: counted once
      expect(first.statusCode).toBe(200);
      expect(first.headers['ratelimit-remaining']).toBe('2');
      const again = Array.from({ length: 10 }, () => () => storefront(visitor, tenant.slug));
      expect(await statuses(again)).toEqual(Array(10).fill(200));
      // Its budget is untouched: three misses still pass before the fourth is refused.
      const guess = () => storefront(visitor, `no-such-${unique()}`);
      expect(await statuses([guess, guess, guess])).toEqual([404, 404, 429]);
    });
  });

  it('counts every refusal in /metrics by limit, each limit exported from 0', async () => {
    const metrics = (await handle.app.inject({ method: 'GET', url: '/metrics' })).body;
    const count = (limit: string) => Number(new RegExp(`^rate_limit_rejections_total\\{limit="${limit}"\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
    expect(count('login-account')).toBeGreaterThanOrEqual(3);
    expect(count('login-ip')).toBeGreaterThanOrEqual(1);
    expect(count('signup')).toBe(1);
    expect(count('refresh')).toBe(1);
    expect(count('storefront-miss')).toBeGreaterThanOrEqual(4);
    for (const limit of ['tenant', 'api-key', 'password-hash-queue']) expect(count(limit)).toBe(0);
  });

  it('the OpenAPI document gives every limited operation its 429 and the RateLimit-* headers', () => {
    const document = buildOpenApiDocument(handle.app);
    type ErrorSchema = { allOf: [unknown, { properties: { code: { enum: string[] } } }] };
    type Operation = { 'x-access'?: string; 'x-rate-limit'?: string[]; responses: Record<string, { headers?: Record<string, unknown>; content?: { 'application/json': { schema: ErrorSchema } } }> };
    const codesOf = (response: Operation['responses'][string] | undefined) => response?.content?.['application/json'].schema.allOf[1].properties.code.enum;
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      (['get', 'post', 'put', 'patch', 'delete'] as const).filter((method) => item[method]).map((method) => ({ id: `${method} ${path}`, operation: item[method] as unknown as Operation })),
    );
    const limited = Object.fromEntries(operations.filter(({ operation }) => operation['x-rate-limit']).map(({ id, operation }) => [id, operation['x-rate-limit']]));
    expect(limited).toMatchObject({
      'post /api/v1/auth/login': ['login-account', 'login-ip'],
      'post /api/v1/auth/signup': ['signup'],
      'post /api/v1/auth/refresh': ['refresh'],
      'get /api/v1/storefront/{slug}': ['storefront-miss'],
      'get /api/v1/packages': ['tenant', 'api-key'],
    });
    for (const { id, operation } of operations) {
      if (operation['x-access'] === 'tenant') expect({ id, limits: operation['x-rate-limit'] }).toEqual({ id, limits: ['tenant', 'api-key'] });
      if (!operation['x-rate-limit']) continue;
      const tooMany = operation.responses['429'];
      expect({ id, codes: codesOf(tooMany), headers: Object.keys(tooMany?.headers ?? {}).sort() }).toEqual({ id, codes: expect.arrayContaining(['RATE_LIMITED']), headers: ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'] });
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'))?.[1];
      // MCP's GET and DELETE never succeed (405 with Allow: POST); every other limited operation does.
      if (!success) {
        expect({ id, statuses: Object.keys(operation.responses) }).toEqual({ id, statuses: expect.arrayContaining(['405']) });
        expect(['get /api/v1/agent/mcp', 'delete /api/v1/agent/mcp']).toContain(id);
        continue;
      }
      expect(Object.keys(success.headers ?? {})).toEqual(expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']));
    }
    const login = document.paths['/api/v1/auth/login'].post as unknown as Operation;
    expect(codesOf(login.responses['503'])).toEqual(['AUTH_BUSY']);
    expect(Object.keys(login.responses['503'].headers ?? {})).toEqual(['Retry-After']);
  });

  it('ignores X-Forwarded-For by default: a client cannot pick a fresh address per request', async () => {
    const from = newAddress();
    const refresh = (forwardedFor: string) =>
      send(from, { method: 'POST', url: '/api/v1/auth/refresh', headers: { 'x-forwarded-for': forwardedFor }, payload: { refreshToken: `rt_${unique()}` } });
    expect(await statuses([() => refresh('203.0.113.1'), () => refresh('203.0.113.2'), () => refresh('203.0.113.3')])).toEqual([401, 401, 401]);
    expect((await refresh('203.0.113.4')).statusCode).toBe(429);
  });
});

describe('rate limits behind a trusted proxy (TRUST_PROXY)', () => {
  const PROXY = '10.0.0.5';
  const handle = useTestApp({ env: { ...ENV, TRUST_PROXY: `${PROXY}, loopback` } });

  const refresh = (from: string, forwardedFor?: string) =>
    handle.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      remoteAddress: from,
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
      payload: { refreshToken: `rt_${unique()}` },
    });

  it('counts per client address the trusted proxy reports', async () => {
    for (let i = 0; i < 3; i++) expect((await refresh(PROXY, '203.0.113.10')).statusCode).toBe(401);
    expect((await refresh(PROXY, '203.0.113.10')).statusCode).toBe(429);
    // The proxy's other clients have budgets of their own; so does a chain ending at the proxy.
    expect((await refresh(PROXY, '203.0.113.11')).statusCode).toBe(401);
    expect((await refresh(PROXY, '192.0.2.99, 203.0.113.12')).statusCode).toBe(401);
  });

  it('a client that spoofs X-Forwarded-For in front of the proxy only names the address the proxy saw', async () => {
    // The proxy appends the address it saw; whatever the client wrote to the left is not trusted.
    for (let i = 0; i < 3; i++) expect((await refresh(PROXY, `192.0.2.${i}, 203.0.113.20`)).statusCode).toBe(401);
    expect((await refresh(PROXY, '192.0.2.200, 203.0.113.20')).statusCode).toBe(429);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const stranger = '198.51.100.250';
    for (let i = 0; i < 3; i++) expect((await refresh(stranger, `203.0.113.${30 + i}`)).statusCode).toBe(401);
    expect((await refresh(stranger, '203.0.113.40')).statusCode).toBe(429);
  });
});
