import { bearer, IdentityFixtures, login } from '../support/identity-fixtures';
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
    const { tenant, secretKey } = created.json<{ tenant: { id: string }; secretKey: string }>();
    for (let index = 0; index < 5; index++) expect((await post('/api/v1/api-keys', secretKey, { name: `key ${index}` })).statusCode).toBe(201);
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

  it('the application role cannot change or delete audit rows', async () => {
    await expect(fixtures.query(`UPDATE audit_events SET action = 'forged' WHERE action = 'tenant.created'`)).rejects.toThrow(/append-only/);
    await expect(fixtures.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
  });
});
