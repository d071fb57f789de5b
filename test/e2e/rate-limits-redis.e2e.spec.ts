import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { IdentityFixtures, type UserRow } from '../support/identity-fixtures';
import { ServerProcess } from '../support/server-process';
import { createTestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `tp-test-${randomUUID().slice(0, 8)}:`;
const LIMIT = 4;
const ENV = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
  TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345',
  RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: String(LIMIT),
};

describe('rate limits shared by several server processes', () => {
  let database: TestDatabase;
  let fixtures: IdentityFixtures;
  let redis: Redis;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    fixtures = await IdentityFixtures.connect(database.url);
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    for (const server of servers) server.kill('SIGKILL');
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await fixtures?.close();
    await database?.drop();
  });

  async function start(count: number, env: Record<string, string | undefined>): Promise<string[]> {
    const started = Array.from({ length: count }, () => ServerProcess.start('dist/main.js', { DATABASE_URL: database.url, ...ENV, ...env }));
    servers.push(...started);
    return Promise.all(started.map((server) => server.listening()));
  }

  const wrongLogin = (url: string, user: UserRow) =>
    fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password: 'not the password' }) });

  /** Wrong-password logins for one account, alternating between the servers; the statuses seen. */
  async function alternate(urls: string[], user: UserRow, attempts: number): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < attempts; i++) seen.push((await wrongLogin(urls[i % urls.length], user)).status);
    return seen;
  }

  it('with REDIS_URL, two processes count one budget: the limit holds across them', async () => {
    const urls = await start(2, { REDIS_URL, REDIS_KEY_PREFIX: PREFIX });
    const user = await fixtures.user();
    expect(await alternate(urls, user, LIMIT)).toEqual([401, 401, 401, 401]);
    const refused = await Promise.all(urls.map((url) => wrongLogin(url, user)));
    expect(refused.map((response) => response.status)).toEqual([429, 429]);
    expect(await refused[0].json()).toMatchObject({ code: 'RATE_LIMITED' });
    // The counters live under the configured prefix, and name neither the account nor the address.
    const keys = await redis.keys(`${PREFIX}rl:*`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys.join(' ')).not.toContain(user.email);
    expect(keys.join(' ')).not.toContain('127.0.0.1');
  });

  it('without REDIS_URL each process counts alone (what the shared budget prevents)', async () => {
    const urls = await start(2, { REDIS_URL: undefined });
    const user = await fixtures.user();
    expect(await alternate(urls, user, 2 * LIMIT)).toEqual(Array(2 * LIMIT).fill(401));
    expect((await wrongLogin(urls[0], user)).status).toBe(429);
  });

  it('when Redis cannot be reached, limits are counted in the process instead of failing requests', async () => {
    let app: NestFastifyApplication | undefined;
    try {
      app = await createTestApp({ databaseUrl: database.url, env: { ...ENV, REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: PREFIX } });
      const user = await fixtures.user();
      const attempt = () => app!.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: 'not the password' } });
      const seen: number[] = [];
      for (let i = 0; i <= LIMIT; i++) seen.push((await attempt()).statusCode);
      expect(seen).toEqual([401, 401, 401, 401, 429]);
    } finally {
      await app?.close();
    }
  });
});
