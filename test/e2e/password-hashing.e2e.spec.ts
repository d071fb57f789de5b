import { IdentityFixtures, type UserRow } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

const ENV = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
  TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345',
  PASSWORD_HASH_CONCURRENCY: '1',
  PASSWORD_HASH_QUEUE_LIMIT: '1',
};
const PASSWORD = 'a sound password 2026';

describe('password hashing under a login flood (bounded queue)', () => {
  const handle = useTestApp({ env: ENV });
  let fixtures: IdentityFixtures;
  let user: UserRow;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
    user = await fixtures.user({ password: PASSWORD });
  });
  afterAll(() => fixtures.close());

  // Each attempt from its own address: this is about the hashing queue, not the rate limits.
  const login = (i: number, password: string) =>
    handle.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: `198.51.100.${i}`, payload: { email: user.email, password } });

  it('refuses what does not fit in the queue with 503 AUTH_BUSY and Retry-After, without hashing it', async () => {
    const flood = await Promise.all(Array.from({ length: 20 }, (_, i) => login(i + 1, 'not the password')));
    const byStatus = (status: number) => flood.filter((response) => response.statusCode === status);
    // One hashing and one waiting at a time: most of a simultaneous burst is turned away at once.
    expect(byStatus(401).length).toBeGreaterThanOrEqual(2);
    expect(byStatus(503).length).toBeGreaterThanOrEqual(10);
    expect(byStatus(401).length + byStatus(503).length).toBe(20);
    for (const busy of byStatus(503)) {
      expect(busy.json()).toEqual({ error: expect.any(String), code: 'AUTH_BUSY', requestId: busy.headers['x-request-id'] });
      expect(busy.headers['retry-after']).toBe('1');
    }
    const metrics = (await handle.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`rate_limit_rejections_total{limit="password-hash-queue"} ${byStatus(503).length}`);
  });

  it('serves logins again as soon as the queue drains', async () => {
    const response = await login(100, PASSWORD);
    expect(response.statusCode).toBe(200);
  });

  it('other routes answer while the queue is full', async () => {
    const flood = Promise.all(Array.from({ length: 10 }, (_, i) => login(i + 50, 'not the password')));
    const live = await handle.app.inject({ method: 'GET', url: '/api/v1/health/live' });
    expect(live.statusCode).toBe(200);
    await flood;
  });
});
