import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { VERSIONED_CACHE } from '../../src/cache/cache.module';
import type { VersionedCache } from '../../src/cache/versioned-cache';
import { TenantLookupService } from '../../src/provisioning/tenant-lookup.service';
import { bearer, IdentityFixtures, login } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `tp-test-${randomUUID().slice(0, 8)}:`;
const ENV = { JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789', TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345' };

describe('tenant lookup, cached in Redis', () => {
  const handle = useTestApp({ env: { ...ENV, REDIS_URL, REDIS_KEY_PREFIX: PREFIX } });
  let fixtures: IdentityFixtures;
  let redis: Redis;
  let service: string;
  let operatorToken: string;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
    redis = new Redis(REDIS_URL);
    service = (await fixtures.serviceAccount(['tenants:lookup'])).secret;
    operatorToken = (await login(handle.app, await fixtures.user({ platformScopes: ['platform:operator'] }))).accessToken;
  });
  afterAll(async () => {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await fixtures.close();
  });

  const lookup = (query: string, secret = service) => handle.app.inject({ method: 'GET', url: `/api/v1/platform/tenants/lookup?${query}`, headers: bearer(secret) });
  const patch = (id: string, payload: object) => handle.app.inject({ method: 'PATCH', url: `/api/v1/platform/tenants/${id}`, headers: bearer(operatorToken), payload });
  async function tenantWith(fields: object) {
    const id = randomUUID().slice(0, 8);
    const response = await handle.app.inject({
      method: 'POST',
      url: '/api/v1/platform/tenants',
      headers: bearer(operatorToken),
      payload: { name: `Lookup ${id}`, email: `lookup-${id}@example.com`, ...fields },
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ tenant: { id: string; slug: string } }>().tenant;
  }

  it('finds a tenant by each routing field, and caches the answer in Redis', async () => {
    const tag = randomUUID().slice(0, 8);
    const tenant = await tenantWith({ phoneNumberId: `ph-${tag}`, genesysIntegrationId: `gen-${tag}`, domain: `${tag}.Example.com` });
    for (const query of [`phoneNumberId=ph-${tag}`, `genesysIntegrationId=gen-${tag}`, `domain=${tag}.EXAMPLE.com`]) {
      const response = await lookup(query);
      expect({ query, status: response.statusCode, body: response.json() }).toEqual({
        query,
        status: 200,
        body: { tenantId: tenant.id, slug: tenant.slug, name: expect.any(String), status: 'ACTIVE' },
      });
    }
    expect(await redis.get(`${PREFIX}e:tenant-lookup:phoneNumberId:ph-${tag}`)).toContain(tenant.id);
    // A second answer comes from the cache: proven by changing the row behind the application's back.
    const cachedName = (await lookup(`phoneNumberId=ph-${tag}`)).json<{ name: string }>().name;
    await fixtures.query('UPDATE tenants SET name = $1 WHERE id = $2', ['Renamed In SQL', tenant.id]);
    expect((await lookup(`phoneNumberId=ph-${tag}`)).json()).toMatchObject({ name: cachedName });
    expect(cachedName).not.toBe('Renamed In SQL');
  });

  it('never serves a stale answer after an update: old value 404, new value found, status fresh', async () => {
    const tag = randomUUID().slice(0, 8);
    const tenant = await tenantWith({ phoneNumberId: `old-${tag}` });
    expect((await lookup(`phoneNumberId=old-${tag}`)).statusCode).toBe(200);
    // A miss for the new value is cached too, before the value exists.
    expect((await lookup(`phoneNumberId=new-${tag}`)).statusCode).toBe(404);

    expect((await patch(tenant.id, { phoneNumberId: `new-${tag}` })).statusCode).toBe(200);
    expect((await lookup(`phoneNumberId=old-${tag}`)).statusCode).toBe(404);
    expect((await lookup(`phoneNumberId=new-${tag}`)).json()).toMatchObject({ tenantId: tenant.id, status: 'ACTIVE' });

    await handle.app.inject({ method: 'POST', url: `/api/v1/platform/tenants/${tenant.id}/suspend`, headers: bearer(operatorToken), payload: {} });
    expect((await lookup(`phoneNumberId=new-${tag}`)).json()).toMatchObject({ status: 'SUSPENDED' });
  });

  it('a reader that read the old row before the update cannot plant it in the cache afterwards', async () => {
    const tag = randomUUID().slice(0, 8);
    const tenant = await tenantWith({ domain: `race-${tag}.example.com` });
    const cache = handle.app.get<VersionedCache>(VERSIONED_CACHE);
    const key = `tenant-lookup:domain:race-${tag}.example.com`;
    // The slow reader: takes the version, "reads the database" (the old row), and is then overtaken.
    const { version } = await cache.read(key);
    const stale = JSON.stringify({ tenantId: tenant.id, slug: tenant.slug, name: 'stale', status: 'ACTIVE' });
    expect((await patch(tenant.id, { domain: `moved-${tag}.example.com` })).statusCode).toBe(200);
    await cache.write(key, version, stale, 300);
    expect((await lookup(`domain=race-${tag}.example.com`)).statusCode).toBe(404);

    // Many interleaved lookups and updates: every answer after an update commits is the new one.
    for (let round = 0; round < 20; round++) {
      const value = `r${round}-${tag}`;
      const readers = Promise.all(Array.from({ length: 5 }, () => lookup(`phoneNumberId=${value}`)));
      expect((await patch(tenant.id, { phoneNumberId: value })).statusCode).toBe(200);
      await readers;
      expect((await lookup(`phoneNumberId=${value}`)).statusCode).toBe(200);
      if (round > 0) expect((await lookup(`phoneNumberId=r${round - 1}-${tag}`)).statusCode).toBe(404);
    }
  });

  it('needs exactly one key; service accounts need tenants:lookup; tenants may not look up', async () => {
    expect((await lookup('')).statusCode).toBe(400);
    expect((await lookup('phoneNumberId=a&domain=b.example.com')).json()).toMatchObject({ code: 'INVALID_LOOKUP' });
    expect((await lookup('phoneNumberId=a', (await fixtures.serviceAccount(['other:scope'])).secret)).statusCode).toBe(403);
    const { key } = await fixtures.tenantWithOwner();
    expect((await lookup('phoneNumberId=a', key.secret)).statusCode).toBe(403);
    expect((await handle.app.inject({ method: 'GET', url: '/api/v1/platform/tenants/lookup?phoneNumberId=a', headers: bearer(operatorToken) })).statusCode).toBe(404);
  });

  it('answers from the database when the cache fails', async () => {
    const tag = randomUUID().slice(0, 8);
    const tenant = await tenantWith({ phoneNumberId: `down-${tag}` });
    const lookups = handle.app.get(TenantLookupService);
    const cache = handle.app.get<VersionedCache>(VERSIONED_CACHE);
    const read = jest.spyOn(cache, 'read').mockRejectedValue(new Error('redis is down'));
    try {
      expect(await lookups.lookup({ phoneNumberId: `down-${tag}` })).toMatchObject({ tenantId: tenant.id });
    } finally {
      read.mockRestore();
    }
  });
});
