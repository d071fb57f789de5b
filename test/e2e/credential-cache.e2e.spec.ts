import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { bearer, IdentityFixtures, login, type KeyRow, type TenantRow } from '../support/identity-fixtures';
import { createTestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ENV = {
  JWT_SECRET: 'credential-cache-jwt-secret-0123456789abcdef',
  TENANT_COOKIE_SECRET: 'credential-cache-cookie-secret-0123456789ab',
};

/**
 * API-key look-ups are cached (CredentialCache); a revoked, rotated or suspended credential must
 * still be refused on the very next request, on the replica that made the change and on another.
 */
describe('cached API-key authentication', () => {
  let database: TestDatabase;
  let fixtures: IdentityFixtures;

  beforeAll(async () => {
    database = await createTestDatabase();
    fixtures = await IdentityFixtures.connect(database.url);
  });
  afterAll(async () => {
    await fixtures?.close();
    await database?.drop();
  });

  const list = (app: NestFastifyApplication, key: KeyRow) => app.inject({ method: 'GET', url: '/api/v1/packages?limit=5', headers: bearer(key.secret) });
  const statusOn = async (apps: NestFastifyApplication[], key: KeyRow) => Promise.all(apps.map(async (app) => (await list(app, key)).statusCode));

  /** A tenant with an admin key, its owner's session (to revoke and rotate with) and a key under test, all warm in every app's cache. */
  async function warmTenant(apps: NestFastifyApplication[]): Promise<{ tenant: TenantRow; admin: KeyRow; owner: string; key: KeyRow }> {
    const { tenant, owner: user, key: admin } = await fixtures.tenantWithOwner();
    const owner = (await login(apps[0], user, tenant.id)).accessToken;
    const key = await fixtures.apiKey(tenant.id);
    expect(await statusOn(apps, key)).toEqual(apps.map(() => 200));
    expect(await statusOn(apps, key)).toEqual(apps.map(() => 200)); // served from the cache now
    return { tenant, admin, owner, key };
  }

  function behavesLikeARevocableCache(apps: () => NestFastifyApplication[], operatorToken: () => string) {
    it('a revoked key is refused on the very next request, by every app', async () => {
      const { admin, key } = await warmTenant(apps());
      const revoked = await apps()[0].inject({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}`, headers: bearer(admin.secret) });
      expect(revoked.statusCode).toBe(204);
      expect(await statusOn(apps(), key)).toEqual(apps().map(() => 401));
      expect(await statusOn(apps(), admin)).toEqual(apps().map(() => 200));
    });

    it("a rotated key's old secret is refused on the very next request, by every app; the new one works", async () => {
      const { owner, key } = await warmTenant(apps());
      const rotated = await apps()[0].inject({ method: 'POST', url: `/api/v1/api-keys/${key.id}/rotate`, headers: bearer(owner) });
      expect(rotated.statusCode).toBe(200);
      const fresh = { ...key, secret: rotated.json<{ secretKey: string }>().secretKey };
      expect(await statusOn(apps(), key)).toEqual(apps().map(() => 401));
      expect(await statusOn(apps(), fresh)).toEqual(apps().map(() => 200));
    });

    it("a suspended tenant's keys are refused on the very next request, by every app, and serve again on reactivation", async () => {
      const { tenant, key } = await warmTenant(apps());
      const suspend = await apps()[0].inject({ method: 'POST', url: `/api/v1/platform/tenants/${tenant.id}/suspend`, headers: bearer(operatorToken()), payload: {} });
      expect(suspend.statusCode).toBe(200);
      const refused = await Promise.all(apps().map((app) => list(app, key)));
      expect(refused.map((response) => [response.statusCode, response.json<{ code: string }>().code])).toEqual(apps().map(() => [403, 'TENANT_SUSPENDED']));
      const reactivate = await apps()[0].inject({ method: 'POST', url: `/api/v1/platform/tenants/${tenant.id}/resume`, headers: bearer(operatorToken()), payload: {} });
      expect(reactivate.statusCode).toBe(200);
      expect(await statusOn(apps(), key)).toEqual(apps().map(() => 200));
    });

    it('lastUsedAt is written once, not per request', async () => {
      const tenant = await fixtures.tenant();
      const key = await fixtures.apiKey(tenant.id);
      const lastUsed = async () => (await fixtures.query<{ lastUsedAt: Date | null }>(`SELECT "lastUsedAt" FROM api_keys WHERE id = $1`, [key.id]))[0].lastUsedAt;
      expect(await statusOn(apps(), key)).toEqual(apps().map(() => 200));
      // The write is in the background: wait for it.
      let first: Date | null = null;
      for (let i = 0; i < 50 && !first; i++) {
        first = await lastUsed();
        if (!first) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(first).toBeInstanceOf(Date);
      for (let i = 0; i < 5; i++) expect(await statusOn(apps(), key)).toEqual(apps().map(() => 200));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await lastUsed()).toEqual(first);
    });
  }

  describe('two app instances sharing Redis', () => {
    const prefix = `tp-test-${randomUUID().slice(0, 8)}:`;
    let apps: NestFastifyApplication[] = [];
    let operatorToken = '';
    let redis: Redis;

    beforeAll(async () => {
      redis = new Redis(REDIS_URL);
      const env = { ...ENV, REDIS_URL, REDIS_KEY_PREFIX: prefix };
      apps = [await createTestApp({ databaseUrl: database.url, env }), await createTestApp({ databaseUrl: database.url, env })];
      operatorToken = (await login(apps[0], await fixtures.user({ platformScopes: ['platform:operator'] }))).accessToken;
    });
    afterAll(async () => {
      for (const app of apps) await app.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    });

    behavesLikeARevocableCache(
      () => apps,
      () => operatorToken,
    );

    it('the cache is really shared: the entry is in Redis, and the second app answers from it', async () => {
      const tenant = await fixtures.tenant();
      const key = await fixtures.apiKey(tenant.id);
      expect((await list(apps[0], key)).statusCode).toBe(200);
      expect(await redis.exists(`${prefix}e:auth:api-key:${key.publicId}`)).toBe(1);
    });
  });

  describe('one app without Redis (in-process cache)', () => {
    let apps: NestFastifyApplication[] = [];
    let operatorToken = '';

    beforeAll(async () => {
      apps = [await createTestApp({ databaseUrl: database.url, env: ENV })];
      operatorToken = (await login(apps[0], await fixtures.user({ platformScopes: ['platform:operator'] }))).accessToken;
    });
    afterAll(async () => {
      for (const app of apps) await app.close();
    });

    behavesLikeARevocableCache(
      () => apps,
      () => operatorToken,
    );
  });
});
