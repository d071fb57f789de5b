import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { bearer, createApiKey, IdentityFixtures, login } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

const ENV = { JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789', TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345' };

type TextContent = Array<{ type: string; text: string }>;

describe('agent tools over the Model Context Protocol (SDK client, Streamable HTTP)', () => {
  const handle = useTestApp({ env: ENV });
  let fixtures: IdentityFixtures;
  let baseUrl: string;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
    await handle.app.listen(0, '127.0.0.1');
    baseUrl = (await handle.app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => fixtures.close());

  async function connect(secret: string): Promise<Client> {
    const client = new Client({ name: 'e2e-agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}/api/v1/agent/mcp`), { requestInit: { headers: bearer(secret) } }));
    return client;
  }

  it('lists the tools, reads the tenant\'s catalog, and a write becomes a proposal a person confirms', async () => {
    const { tenant, owner } = await fixtures.tenantWithOwner('MCP Co');
    const other = await fixtures.tenantWithOwner('Other Co');
    const human = (await login(handle.app, owner, tenant.id)).accessToken;
    const agent = await createApiKey(handle.app, human, { name: 'assistant', scopes: ['agent'] });
    const client = await connect(agent.secret);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['get_package', 'get_packages', 'get_segments', 'set_package_active', 'update_segment', 'upsert_package']);
      expect(tools.find((tool) => tool.name === 'upsert_package')!.inputSchema).toMatchObject({ type: 'object', properties: { priceCents: { type: 'integer' } } });

      const read = await client.callTool({ name: 'get_packages', arguments: {} });
      expect(read.isError).toBeFalsy();
      const page = JSON.parse((read.content as TextContent)[0].text) as { items: Array<{ id: string; slug: string }>; total: number };
      expect(page.total).toBe(3);
      // Outputs no longer carry tenantId: the ids read must be exactly this tenant's packages.
      const own = await fixtures.query<{ id: string }>(`SELECT id FROM packages WHERE "tenantId" = $1`, [tenant.id]);
      expect(new Set(page.items.map((item) => item.id))).toEqual(new Set(own.map((row) => row.id)));

      const write = await client.callTool({ name: 'upsert_package', arguments: { title: 'Via MCP', priceCents: 4200 } });
      expect(write.isError).toBeFalsy();
      const { proposal } = JSON.parse((write.content as TextContent)[0].text) as { proposal: { id: string; status: string; payload: object } };
      expect(proposal).toMatchObject({ status: 'PENDING', payload: { action: 'create', package: { name: 'Via MCP', basePrice: 4200 } } });

      const confirmed = await handle.app.inject({ method: 'POST', url: `/api/v1/agent/proposals/${proposal.id}/confirm`, headers: bearer(human) });
      expect(confirmed.json<{ status: string; result: { slug: string } }>()).toMatchObject({ status: 'CONFIRMED', result: { slug: 'via-mcp' } });

      // Rule violations come back as tool errors the model can read; another tenant's ids are unknown.
      const foreignSegment = (await fixtures.query<{ id: string }>(`SELECT id FROM segments WHERE "tenantId" = $1`, [other.tenant.id]))[0].id;
      const refused = await client.callTool({ name: 'upsert_package', arguments: { name: 'X', basePrice: 1, segmentId: foreignSegment } });
      expect(refused.isError).toBe(true);
      expect(JSON.parse((refused.content as TextContent)[0].text)).toMatchObject({ code: 'SEGMENT_NOT_FOUND', error: expect.stringContaining('get_segments') });
      const missing = await client.callTool({ name: 'upsert_package', arguments: { name: 'No price' } });
      expect(JSON.parse((missing.content as TextContent)[0].text)).toMatchObject({ code: 'MISSING_FIELD', details: [{ field: 'basePrice' }] });
      const unknown = await client.callTool({ name: 'drop_tables', arguments: {} });
      expect(JSON.parse((unknown.content as TextContent)[0].text)).toMatchObject({ code: 'TOOL_NOT_FOUND' });
    } finally {
      await client.close();
    }
  });

  it('refuses a missing or out-of-scope key, and has no session stream (GET/DELETE 405)', async () => {
    const { tenant, owner } = await fixtures.tenantWithOwner('MCP Auth');
    const human = (await login(handle.app, owner, tenant.id)).accessToken;
    await expect(connect('sk_not_a_real_key')).rejects.toMatchObject({ code: 401, message: expect.stringContaining('UNAUTHENTICATED') });
    const catalogOnly = await createApiKey(handle.app, human, { scopes: ['catalog:read'] });
    await expect(connect(catalogOnly.secret)).rejects.toMatchObject({ code: 403, message: expect.stringContaining('FORBIDDEN') });
    const agent = await createApiKey(handle.app, human, { scopes: ['agent'] });
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await fetch(`${baseUrl}/api/v1/agent/mcp`, { method, headers: { ...bearer(agent.secret), accept: 'text/event-stream' } });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });
});
