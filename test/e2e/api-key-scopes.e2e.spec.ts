import { bearer, createApiKey, signup } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

interface ErrorBody {
  code: string;
  details?: Array<{ field: string; message: string }>;
}

const ENV = { JWT_SECRET: 'scopes-suite-jwt-secret-0123456789abcdef', TENANT_COOKIE_SECRET: 'scopes-suite-cookie-secret-0123456789abcd' };

/** Keys are made only through the API here, the way a tenant admin (or one of its keys) makes them. */
describe('API key scopes: one grammar, and no key mints more than it holds', () => {
  const handle = useTestApp({ env: ENV });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: object) =>
    handle.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), payload });
  const outcome = async (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: object) => {
    const response = await call(method, url, token, payload);
    return [response.statusCode, response.statusCode >= 400 ? response.json<ErrorBody>().code : 'ok'];
  };
  const keyCount = async (owner: string) => (await call('GET', '/api-keys?limit=100', owner)).json<{ total: number }>().total;

  describe('a key holding api-keys:write', () => {
    it('cannot create a "*" key (explicitly or by default) or one with scopes it lacks; nothing is created', async () => {
      const { owner } = await signup(handle.app);
      const manager = await createApiKey(handle.app, owner, { name: 'manager', scopes: ['api-keys:write', 'api-keys:read'] });
      const before = await keyCount(owner);
      expect(await outcome('POST', '/api-keys', manager.secret, { name: 'all', scopes: ['*'] })).toEqual([403, 'WILDCARD_KEY_PEOPLE_ONLY']);
      expect(await outcome('POST', '/api-keys', manager.secret, { name: 'default is *' })).toEqual([403, 'WILDCARD_KEY_PEOPLE_ONLY']);
      expect(await outcome('POST', '/api-keys', manager.secret, { name: 'catalog', scopes: ['catalog:write'] })).toEqual([403, 'API_KEY_SCOPE_NOT_HELD']);
      // The bare resource grants actions the manager does not hold (and any added later).
      expect(await outcome('POST', '/api-keys', manager.secret, { name: 'bare', scopes: ['api-keys'] })).toEqual([403, 'API_KEY_SCOPE_NOT_HELD']);
      expect(await outcome('POST', '/api-keys', manager.secret, { name: 'agent', scopes: ['api-keys:read', 'agent'] })).toEqual([403, 'API_KEY_SCOPE_NOT_HELD']);
      const refused = await call('POST', '/api-keys', manager.secret, { name: 'mixed', scopes: ['api-keys:read', 'catalog:read', 'audit:read'] });
      expect(refused.json<ErrorBody>().details!.map((detail) => detail.message)).toEqual(['catalog:read is not held by the calling key', 'audit:read is not held by the calling key']);
      expect(await keyCount(owner)).toBe(before);

      // Within its own scopes it may.
      const reader = await createApiKey(handle.app, manager.secret, { name: 'reader', scopes: ['api-keys:read'] });
      expect(reader.scopes).toEqual(['api-keys:read']);
      expect((await call('GET', '/api-keys', reader.secret)).statusCode).toBe(200);
      expect((await call('POST', '/api-keys', reader.secret, { name: 'x', scopes: ['api-keys:read'] })).statusCode).toBe(403);
    });

    it("cannot rotate the tenant's first \"*\" key (or any key beyond its scopes) to take its secret", async () => {
      const { owner, firstKey } = await signup(handle.app);
      const manager = await createApiKey(handle.app, owner, { name: 'manager', scopes: ['api-keys:write'] });
      const catalogKey = await createApiKey(handle.app, owner, { name: 'catalog', scopes: ['catalog'] });
      expect(await outcome('POST', `/api-keys/${firstKey.id}/rotate`, manager.secret)).toEqual([403, 'WILDCARD_KEY_PEOPLE_ONLY']);
      expect(await outcome('POST', `/api-keys/${catalogKey.id}/rotate`, manager.secret)).toEqual([403, 'API_KEY_SCOPE_NOT_HELD']);
      // Nothing was rotated: the old secrets still work.
      expect((await call('GET', '/packages', firstKey.secret)).statusCode).toBe(200);
      expect((await call('GET', '/packages', catalogKey.secret)).statusCode).toBe(200);

      // A key within its scopes, itself included, it may rotate.
      const sibling = await createApiKey(handle.app, manager.secret, { name: 'sibling', scopes: ['api-keys:write'] });
      expect((await call('POST', `/api-keys/${sibling.id}/rotate`, manager.secret)).statusCode).toBe(200);
      expect((await call('GET', '/api-keys', sibling.secret)).statusCode).toBe(401);
      const self = await call('POST', `/api-keys/${manager.id}/rotate`, manager.secret);
      expect(self.statusCode).toBe(200);
      expect((await call('POST', `/api-keys/${firstKey.id}/rotate`, self.json<{ secretKey: string }>().secretKey)).statusCode).toBe(403);
      // An unknown (or another tenant's) id is still 404 before any scope talk.
      expect(await outcome('POST', `/api-keys/${(await signup(handle.app)).firstKey.id}/rotate`, owner)).toEqual([404, 'API_KEY_NOT_FOUND']);
    });

    it('cannot make a key that outlives it', async () => {
      const { owner } = await signup(handle.app);
      const until = new Date(Date.now() + 3_600_000);
      const manager = await createApiKey(handle.app, owner, { name: 'temporary', scopes: ['api-keys:write', 'catalog:read'], expiresAt: until.toISOString() });
      expect(await outcome('POST', '/api-keys', manager.secret, { name: 'forever', scopes: ['catalog:read'] })).toEqual([403, 'API_KEY_OUTLIVES_CREATOR']);
      const later = new Date(until.getTime() + 1000).toISOString();
      expect(await outcome('POST', '/api-keys', manager.secret, { name: 'later', scopes: ['catalog:read'], expiresAt: later })).toEqual([403, 'API_KEY_OUTLIVES_CREATOR']);
      const sooner = await createApiKey(handle.app, manager.secret, { name: 'sooner', scopes: ['catalog:read'], expiresAt: new Date(until.getTime() - 1000).toISOString() });
      expect((await call('GET', '/packages', sooner.secret)).statusCode).toBe(200);
      const lasting = await createApiKey(handle.app, owner, { name: 'lasting', scopes: ['catalog:read'] });
      expect(await outcome('POST', `/api-keys/${lasting.id}/rotate`, manager.secret)).toEqual([403, 'API_KEY_OUTLIVES_CREATOR']);
    });
  });

  it('a signed-in admin may create a "*" key and any scope; the tenant\'s "*" key may create narrower ones but not "*"', async () => {
    const { owner, firstKey } = await signup(handle.app);
    expect((await createApiKey(handle.app, owner, { name: 'all', scopes: ['*'] })).scopes).toEqual(['*']);
    expect((await createApiKey(handle.app, owner, { name: 'default' })).scopes).toEqual(['*']);
    expect((await createApiKey(handle.app, firstKey.secret, { name: 'catalog', scopes: ['catalog'] })).scopes).toEqual(['catalog']);
    expect(await outcome('POST', '/api-keys', firstKey.secret, { name: 'all', scopes: ['*'] })).toEqual([403, 'WILDCARD_KEY_PEOPLE_ONLY']);
  });

  it('accepts the documented grammar and refuses scopes that would grant nothing', async () => {
    const { owner } = await signup(handle.app);
    // resource:* is the bare resource, stored so (and duplicates collapse).
    expect((await createApiKey(handle.app, owner, { scopes: ['agent:*', 'agent', 'catalog:read'] })).scopes).toEqual(['agent', 'catalog:read']);
    for (const scopes of [['catlog:read'], ['agent:decide'], ['catalog:delete'], ['billing']]) {
      const response = await call('POST', '/api-keys', owner, { name: 'typo', scopes });
      expect({ scopes, status: response.statusCode, code: response.json<ErrorBody>().code }).toEqual({ scopes, status: 400, code: 'UNKNOWN_SCOPE' });
    }
    for (const scopes of [['Catalog'], ['catalog:read:x'], ['*:read'], ['catalog:']]) {
      const response = await call('POST', '/api-keys', owner, { name: 'syntax', scopes });
      expect({ scopes, status: response.statusCode, code: response.json<ErrorBody>().code }).toEqual({ scopes, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  describe('agent keys, made as README and docs/security.md say', () => {
    it('["agent"] reaches the agent tools and nothing else, and is told HUMAN_CONFIRMATION_REQUIRED on confirm and reject', async () => {
      const { owner } = await signup(handle.app, 'Agent Co');
      const agent = await createApiKey(handle.app, owner, { name: 'assistant', scopes: ['agent'] });
      expect(agent.scopes).toEqual(['agent']);
      expect((await call('GET', '/agent/tools', agent.secret)).statusCode).toBe(200);
      expect((await call('GET', '/agent/proposals', agent.secret)).statusCode).toBe(200);
      for (const [method, url] of [['GET', '/packages'], ['POST', '/packages'], ['GET', '/api-keys'], ['GET', '/audit-events'], ['GET', '/account']] as const) {
        const result = await outcome(method, url, agent.secret, method === 'POST' ? { name: 'Direct', basePrice: 1 } : undefined);
        expect({ method, url, result }).toEqual({ method, url, result: [403, 'FORBIDDEN'] });
      }

      const proposed = await call('POST', '/agent/tools/upsert_package/invoke', agent.secret, { arguments: { name: 'Full Day', basePrice: 150000 } });
      expect(proposed.statusCode).toBe(202);
      const proposal = proposed.json<{ id: string }>();
      const invokeOnly = await createApiKey(handle.app, owner, { name: 'invoke only', scopes: ['agent:invoke'] });
      const wildcardAgent = await createApiKey(handle.app, owner, { name: 'agent star', scopes: ['agent:*'] });
      const catalogOnly = await createApiKey(handle.app, owner, { name: 'catalog', scopes: ['catalog:read'] });
      for (const action of ['confirm', 'reject']) {
        for (const key of [agent, invokeOnly, wildcardAgent]) {
          expect({ action, key: key.scopes, result: await outcome('POST', `/agent/proposals/${proposal.id}/${action}`, key.secret) }).toEqual({
            action,
            key: key.scopes,
            result: [403, 'HUMAN_CONFIRMATION_REQUIRED'],
          });
        }
        // A key without any agent scope is simply not allowed here.
        expect(await outcome('POST', `/agent/proposals/${proposal.id}/${action}`, catalogOnly.secret)).toEqual([403, 'FORBIDDEN']);
        // An id that is not the tenant's is 404, as everywhere.
        expect(await outcome('POST', `/agent/proposals/019a0000-0000-7000-8000-000000000000/${action}`, agent.secret)).toEqual([404, 'PROPOSAL_NOT_FOUND']);
      }
      // `agent:*` reads as `agent`: it reaches the tools too.
      expect((await call('GET', '/agent/tools', wildcardAgent.secret)).statusCode).toBe(200);

      const confirmed = await call('POST', `/agent/proposals/${proposal.id}/confirm`, owner);
      expect([confirmed.statusCode, confirmed.json<{ status: string }>().status]).toEqual([200, 'CONFIRMED']);
      expect((await call('GET', '/packages?limit=100', owner)).json<{ items: Array<{ name: string }> }>().items.map((item) => item.name)).toContain('Full Day');
    });
  });
});
