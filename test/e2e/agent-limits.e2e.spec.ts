import { bearer, createApiKey, signup } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

const MAX_BATCH = 5;
const MAX_PENDING = 8;
const ENV = {
  JWT_SECRET: 'limits-suite-jwt-secret-0123456789abcdef',
  TENANT_COOKIE_SECRET: 'limits-suite-cookie-secret-0123456789abcd',
  AGENT_MCP_MAX_BATCH: String(MAX_BATCH),
  AGENT_MAX_PENDING_PROPOSALS: String(MAX_PENDING),
};

interface ErrorBody {
  code: string;
  error: string;
}

describe('agent limits: MCP batch size and pending proposals per tenant', () => {
  const handle = useTestApp({ env: ENV });

  async function agentTenant() {
    const { owner } = await signup(handle.app, 'Busy Agent');
    const agent = await createApiKey(handle.app, owner, { name: 'assistant', scopes: ['agent'] });
    return { owner, agent };
  }

  const upsertCall = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'upsert_package', arguments: { name: `Batch ${id}`, basePrice: 100 + id } } });
  const mcp = (secret: string, body: unknown) =>
    handle.app.inject({
      method: 'POST',
      url: '/api/v1/agent/mcp',
      headers: { ...bearer(secret), accept: 'application/json, text/event-stream', 'content-type': 'application/json', 'mcp-protocol-version': '2025-03-26' },
      payload: JSON.stringify(body),
    });
  const invoke = (secret: string, name: string) =>
    handle.app.inject({ method: 'POST', url: '/api/v1/agent/tools/upsert_package/invoke', headers: bearer(secret), payload: { arguments: { name, basePrice: 100 } } });
  const pending = async (owner: string) =>
    (await handle.app.inject({ method: 'GET', url: '/api/v1/agent/proposals?status=PENDING&limit=100', headers: bearer(owner) })).json<{ total: number; items: Array<{ id: string }> }>();

  it('refuses an MCP batch larger than AGENT_MCP_MAX_BATCH before running any of it (429 in the envelope)', async () => {
    const { owner, agent } = await agentTenant();
    const tooMany = await mcp(agent.secret, Array.from({ length: MAX_BATCH + 1 }, (_, index) => upsertCall(index + 1)));
    expect(tooMany.statusCode).toBe(429);
    expect(tooMany.json<ErrorBody>()).toMatchObject({ code: 'MCP_BATCH_TOO_LARGE', requestId: expect.any(String) });
    expect((await pending(owner)).total).toBe(0);

    const fits = await mcp(agent.secret, Array.from({ length: MAX_BATCH }, (_, index) => upsertCall(index + 1)));
    expect(fits.statusCode).toBe(200);
    const answers = fits.json<Array<{ id: number; result: { isError?: boolean } }>>();
    expect(answers.map((answer) => [answer.id, answer.result.isError ?? false]).sort()).toEqual(Array.from({ length: MAX_BATCH }, (_, index) => [index + 1, false]));
    expect((await pending(owner)).total).toBe(MAX_BATCH);
    // A single message is always fine.
    expect((await mcp(agent.secret, { jsonrpc: '2.0', id: 99, method: 'tools/list' })).statusCode).toBe(200);
  });

  it('caps the proposals waiting for a person per tenant (409), over REST and MCP; deciding one makes room', async () => {
    const { owner, agent } = await agentTenant();
    for (let index = 0; index < MAX_PENDING; index++) expect((await invoke(agent.secret, `Pending ${index}`)).statusCode).toBe(202);
    const refused = await invoke(agent.secret, 'One too many');
    expect([refused.statusCode, refused.json<ErrorBody>().code]).toEqual([409, 'PENDING_PROPOSALS_LIMIT']);
    const overMcp = await mcp(agent.secret, upsertCall(1));
    const toolError = overMcp.json<{ result: { isError: boolean; content: Array<{ text: string }> } }>().result;
    expect(toolError.isError).toBe(true);
    expect(JSON.parse(toolError.content[0].text)).toMatchObject({ code: 'PENDING_PROPOSALS_LIMIT' });
    // Reads are not proposals: still answered.
    const read = await handle.app.inject({ method: 'POST', url: '/api/v1/agent/tools/get_packages/invoke', headers: bearer(agent.secret), payload: {} });
    expect(read.statusCode).toBe(200);
    expect((await pending(owner)).total).toBe(MAX_PENDING);

    // Another tenant is not affected.
    const other = await agentTenant();
    expect((await invoke(other.agent.secret, 'Elsewhere')).statusCode).toBe(202);

    const [first] = (await pending(owner)).items;
    const rejected = await handle.app.inject({ method: 'POST', url: `/api/v1/agent/proposals/${first.id}/reject`, headers: bearer(owner), payload: {} });
    expect(rejected.statusCode).toBe(200);
    expect((await invoke(agent.secret, 'Room again')).statusCode).toBe(202);
    expect((await invoke(agent.secret, 'Full again')).statusCode).toBe(409);
  });

  it('holds under concurrency: of many simultaneous proposals, exactly the limit are created', async () => {
    const { owner, agent } = await agentTenant();
    const responses = await Promise.all(Array.from({ length: MAX_PENDING + 6 }, (_, index) => invoke(agent.secret, `Raced ${index}`)));
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 202)).toHaveLength(MAX_PENDING);
    expect(statuses.filter((status) => status === 409)).toHaveLength(6);
    expect((await pending(owner)).total).toBe(MAX_PENDING);
  });
});
