import { bearer, IdentityFixtures } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

interface ErrorBody {
  error: string;
  code: string;
  details?: Array<{ field?: string; message: string }>;
  requestId: string;
}

const ENV = { JWT_SECRET: 'input-limits-jwt-secret-0123456789abcdefgh', TENANT_COOKIE_SECRET: 'input-limits-cookie-secret-0123456789abcdef' };

/** The body of the report: `{"k0":0,...}` with 70,000 keys, about 700 KB. */
function manyKeys(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`"k${i}":0`);
  return `{${parts.join(',')}}`;
}

describe('request bodies are bounded before validation', () => {
  const handle = useTestApp({ env: ENV });

  const post = (url: string, payload: string | object, headers: Record<string, string> = {}) =>
    handle.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { 'content-type': 'application/json', ...headers }, payload });

  it.each(['/auth/refresh', '/auth/login', '/auth/signup'])('70,000 unknown keys to %s: 413 in the envelope, a small answer', async (url) => {
    const response = await post(url, manyKeys(70_000));
    expect(response.statusCode).toBe(413);
    const body = response.json<ErrorBody>();
    expect(body).toEqual({ error: expect.any(String), code: 'PAYLOAD_TOO_LARGE', details: [{ message: 'the body has more than 100 keys' }], requestId: expect.any(String) });
    expect(response.body.length).toBeLessThan(2_000);
  });

  it('names the object, array or string over its limit by its path', async () => {
    const wide = await post('/auth/login', { email: 'a@b.co', password: 'x', nested: { list: [Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i]))] } });
    expect(wide.statusCode).toBe(413);
    expect(wide.json<ErrorBody>().details).toEqual([{ field: 'nested.list.0', message: 'has more than 100 keys' }]);

    const long = await post('/auth/login', { email: 'a@b.co', password: 'x', list: Array.from({ length: 1_001 }, () => 1) });
    expect(long.statusCode).toBe(413);
    expect(long.json<ErrorBody>().details).toEqual([{ field: 'list', message: 'has more than 1000 items' }]);

    const text = await post('/auth/login', { email: 'a@b.co', password: 'p'.repeat(10_001) });
    expect(text.statusCode).toBe(413);
    expect(text.json<ErrorBody>().details).toEqual([{ field: 'password', message: 'is longer than 10000 characters' }]);

    const key = await post('/auth/login', { email: 'a@b.co', password: 'x', ['k'.repeat(300)]: 1 });
    expect(key.statusCode).toBe(413);
    expect(key.json<ErrorBody>().details).toEqual([{ message: 'the body has a key longer than 256 characters' }]);
  });

  it('counts the values of the whole body: many small arrays are bounded too', async () => {
    const response = await post('/auth/refresh', { refreshToken: 'x', lists: Array.from({ length: 5 }, () => Array.from({ length: 500 }, () => [])) });
    expect(response.statusCode).toBe(413);
    expect(response.json<ErrorBody>().details).toEqual([{ message: 'the body has more than 2000 values' }]);
  });

  it('a top-level array body is bounded like any other', async () => {
    const response = await post('/auth/refresh', JSON.stringify(Array.from({ length: 5_000 }, () => ({ refreshToken: 'x' }))));
    expect(response.statusCode).toBe(413);
    expect(response.json<ErrorBody>().details).toEqual([{ message: 'the body has more than 1000 items' }]);
  });

  it('a body within the limits but full of unknown keys gets a bounded list of problems', async () => {
    const response = await post('/auth/refresh', manyKeys(100));
    expect(response.statusCode).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details!.length).toBeLessThanOrEqual(21);
    expect(body.details!.at(-1)).toEqual({ message: expect.stringMatching(/^and \d+ more problems$/) });
    expect(response.body.length).toBeLessThan(4_000);
  });

  describe('over a real socket', () => {
    let base: string;
    beforeAll(async () => {
      await handle.app.listen({ port: 0, host: '127.0.0.1' });
      base = await handle.app.getUrl();
    });

    it('two worst-case bodies in flight do not hold up /health/live (the report: 18 s)', async () => {
      const body = manyKeys(70_000);
      const attacks = ['/auth/refresh', '/auth/login'].map((url) =>
        fetch(`${base}/api/v1${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((response) => response.status),
      );
      // Let both bodies arrive first, then time a liveness probe behind them.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = performance.now();
      const live = await fetch(`${base}/api/v1/health/live`);
      const waited = performance.now() - started;
      expect(live.status).toBe(200);
      expect(await Promise.all(attacks)).toEqual([413, 413]);
      // Generous: the probe itself takes about a millisecond.
      expect(waited).toBeLessThan(1_000);
    });
  });
});

describe('body limits follow the configuration', () => {
  const handle = useTestApp({ env: { ...ENV, JSON_MAX_KEYS: '3', JSON_MAX_ARRAY_LENGTH: '2', JSON_MAX_STRING_LENGTH: '8', JSON_MAX_DEPTH: '3', JSON_MAX_VALUES: '5' } });
  let fixtures: IdentityFixtures;
  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
  });
  afterAll(() => fixtures.close());

  const post = (payload: object | string) => handle.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: { 'content-type': 'application/json' }, payload });

  it.each([
    ['4 keys', { refreshToken: 'x', a: 1, b: 2, c: 3 }, 413, 'the body has more than 3 keys'],
    ['3 items', { refreshToken: ['a', 'b', 'c'] }, 413, 'has more than 2 items'],
    ['9 characters', { refreshToken: '123456789' }, 413, 'is longer than 8 characters'],
    ['6 values', { refreshToken: ['a', 'b'], b: ['c', 'd'] }, 413, 'the body has more than 5 values'],
  ])('refuses %s', async (_name, payload, status, message) => {
    const response = await post(payload);
    expect(response.statusCode).toBe(status);
    expect(response.json<ErrorBody>().details?.[0].message).toBe(message);
  });

  it('refuses a body nested deeper than JSON_MAX_DEPTH', async () => {
    const response = await post('{"a":{"b":{"c":{"d":1}}}}');
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().code).toBe('INVALID_JSON');
  });

  it('accepts what is within them (the request reaches validation and the handler)', async () => {
    const response = await post({ refreshToken: '12345678' });
    expect(response.statusCode).toBe(401);
    expect(response.json<ErrorBody>().code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('applies to authenticated routes too, before the handler runs', async () => {
    const { key } = await fixtures.tenantWithOwner('Limits');
    const response = await handle.app.inject({ method: 'POST', url: '/api/v1/segments', headers: bearer(key.secret), payload: { name: 'far too long a name' } });
    expect(response.statusCode).toBe(413);
    expect(response.json<ErrorBody>().details).toEqual([{ field: 'name', message: 'is longer than 8 characters' }]);
  });
});
