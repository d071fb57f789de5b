import { AUDIT_THROTTLE_PER_MINUTE } from '../../src/audit/audit.constants';
import { bearer, IdentityFixtures, login, signup } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

interface Page {
  items: Array<{ id: string; action: string; tenantId: string | null; actorId: string | null; actorType: string; metadata: Record<string, unknown>; occurredAt: string }>;
  nextCursor: string | null;
  limit: number;
}

describe('audit events', () => {
  const handle = useTestApp({ env: { JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789', TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345' } });
  let fixtures: IdentityFixtures;
  let operatorToken: string;
  let supportToken: string;
  let operatorId: string;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
    const operator = await fixtures.user({ platformScopes: ['platform:operator'] });
    operatorId = operator.id;
    operatorToken = (await login(handle.app, operator)).accessToken;
    supportToken = (await login(handle.app, await fixtures.user({ platformScopes: ['support:read'] }))).accessToken;
  });
  afterAll(() => fixtures.close());

  const get = (url: string, token: string) => handle.app.inject({ method: 'GET', url, headers: bearer(token) });
  const post = (url: string, token: string, payload: object = {}) => handle.app.inject({ method: 'POST', url, headers: bearer(token), payload });

  async function tenantWithHistory() {
    const created = await post('/api/v1/platform/tenants', operatorToken, { name: 'Audited', email: `audited-${Date.now()}-${Math.random()}@example.com`.replace('0.', '') });
    const { tenant, apiKey } = created.json<{ tenant: { id: string }; apiKey: { secretKey: string } }>();
    const { secretKey } = apiKey;
    // Its first key is `*`, which may create narrower keys only (`*` keys are made by people).
    for (let index = 0; index < 5; index++) expect((await post('/api/v1/api-keys', secretKey, { name: `key ${index}`, scopes: ['catalog:read'] })).statusCode).toBe(201);
    await post(`/api/v1/platform/tenants/${tenant.id}/suspend`, operatorToken, { reason: 'operators only: fraud review' });
    await post(`/api/v1/platform/tenants/${tenant.id}/resume`, operatorToken);
    return { tenantId: tenant.id, secretKey };
  }

  it('operators page through a tenant\'s events with a cursor: newest first, no gaps, no repeats', async () => {
    const { tenantId } = await tenantWithHistory();
    const seen: Page['items'] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/platform/audit-events?tenantId=${tenantId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page: Page = (await get(url, supportToken)).json<Page>();
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((event) => event.action)).toEqual([
      'tenant.resume',
      'tenant.suspend',
      ...Array(5).fill('api_key.created'),
      'tenant.created',
    ]);
    expect(new Set(seen.map((event) => event.id)).size).toBe(seen.length);
    const times = seen.map((event) => Date.parse(event.occurredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(seen.find((event) => event.action === 'tenant.suspend')?.metadata).toMatchObject({ reason: 'operators only: fraud review' });
  });

  it('filters by action, actor and time range', async () => {
    const { tenantId } = await tenantWithHistory();
    const byAction = (await get(`/api/v1/platform/audit-events?tenantId=${tenantId}&action=tenant.suspend`, operatorToken)).json<Page>();
    expect(byAction.items).toHaveLength(1);
    const byActor = (await get(`/api/v1/platform/audit-events?tenantId=${tenantId}&actorId=${operatorId}`, operatorToken)).json<Page>();
    expect(byActor.items.map((event) => event.action).sort()).toEqual(['tenant.created', 'tenant.resume', 'tenant.suspend']);
    const byType = (await get(`/api/v1/platform/audit-events?tenantId=${tenantId}&actorType=API_KEY`, operatorToken)).json<Page>();
    expect(byType.items).toHaveLength(5);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await get(`/api/v1/platform/audit-events?tenantId=${tenantId}&from=${future}`, operatorToken)).json<Page>().items).toEqual([]);
    expect((await get(`/api/v1/platform/audit-events?tenantId=${tenantId}&to=${future}`, operatorToken)).json<Page>().items).toHaveLength(8);
  });

  it('refuses bad cursors and filters with 400', async () => {
    for (const query of ['cursor=bogus', 'limit=0', 'limit=101', 'from=yesterday', 'tenantId=nope', 'actorType=ROBOT']) {
      const response = await get(`/api/v1/platform/audit-events?${query}`, operatorToken);
      expect({ query, status: response.statusCode }).toEqual({ query, status: 400 });
    }
  });

  it('a tenant sees only its own events, without operator-only reasons; members and other tenants cannot', async () => {
    const { tenantId, secretKey } = await tenantWithHistory();
    const other = await tenantWithHistory();
    const page = (await get('/api/v1/audit-events?limit=100', secretKey)).json<Page>();
    expect(page.items.length).toBe(8);
    expect(page.items.every((event) => event.tenantId === tenantId)).toBe(true);
    expect(JSON.stringify(page)).not.toContain('fraud review');
    // tenantId is not a filter a tenant may set: the tenant comes from the credential.
    expect((await get(`/api/v1/audit-events?tenantId=${other.tenantId}`, secretKey)).statusCode).toBe(400);

    const member = await fixtures.user();
    await fixtures.member(tenantId, member.id, 'MEMBER');
    expect((await get('/api/v1/audit-events', (await login(handle.app, member, tenantId)).accessToken)).statusCode).toBe(403);
  });

  it("a refused override is a platform event: never in the named tenant's trail, and a flood is bounded", async () => {
    const a = await signup(handle.app, 'Victim');
    const b = await signup(handle.app, 'Attacker');
    const ownPage = async () => (await get('/api/v1/audit-events?limit=100', a.owner)).json<Page>().items;
    const before = await ownPage();
    // 300 refused overrides naming A, with paths B chooses, as fast as B can send them.
    for (let round = 0; round < 6; round++) {
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          handle.app.inject({ method: 'GET', url: `/api/v1/packages?chosen=${'x'.repeat(300)}-${round * 50 + index}`, headers: { ...bearer(b.firstKey.secret), 'x-operator-override': a.tenantId } }),
        ),
      );
      for (const response of responses) expect([response.statusCode, response.json<{ code: string }>().code]).toEqual([403, 'FORBIDDEN']);
    }
    // A's trail is A's: unchanged, nothing by B.
    expect(await ownPage()).toEqual(before);
    expect(await fixtures.query(`SELECT 1 FROM audit_events WHERE "tenantId" = $1 AND "actorId" = $2`, [a.tenantId, b.firstKey.id])).toEqual([]);
    // Operators see the attempts at platform level, bounded per principal per minute.
    const platform = (await get(`/api/v1/platform/audit-events?action=operator.override.refused&actorId=${b.firstKey.id}&limit=100`, operatorToken)).json<Page>().items;
    expect(platform).toHaveLength(AUDIT_THROTTLE_PER_MINUTE);
    for (const event of platform) {
      expect(event).toMatchObject({ tenantId: null, actorType: 'API_KEY', actorId: b.firstKey.id, metadata: { reason: 'not an operator', method: 'GET' } });
      expect((event as unknown as { targetId: string }).targetId).toBe(a.tenantId);
    }
    // Another principal has its own budget: B's owner trying once is recorded.
    const once = await handle.app.inject({ method: 'GET', url: '/api/v1/packages', headers: { ...bearer(b.owner), 'x-operator-override': a.tenantId } });
    expect(once.statusCode).toBe(403);
    const byOwner = await fixtures.query<{ tenantId: string | null }>(`SELECT "tenantId" FROM audit_events WHERE action = 'operator.override.refused' AND "actorType" = 'USER' AND "targetId" = $1`, [a.tenantId]);
    expect(byOwner).toEqual([{ tenantId: null }]);
  });

  it('the application role cannot change or delete audit rows', async () => {
    await expect(fixtures.query(`UPDATE audit_events SET action = 'forged' WHERE action = 'tenant.created'`)).rejects.toThrow(/append-only/);
    await expect(fixtures.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
  });
});
