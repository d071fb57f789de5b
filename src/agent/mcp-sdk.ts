/**
 * The MCP SDK, loaded on the first MCP request instead of at start-up: it brings zod and its JSON
 * Schema converter (~150 modules), which cost every server memory whether agents use MCP or not
 * (docs/benchmarks.md, start-up).
 */
const load = () =>
  Promise.all([
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]).then(([server, transport, types]) => ({
    Server: server.Server,
    StreamableHTTPServerTransport: transport.StreamableHTTPServerTransport,
    CallToolRequestSchema: types.CallToolRequestSchema,
    ListToolsRequestSchema: types.ListToolsRequestSchema,
  }));

export type McpSdk = Awaited<ReturnType<typeof load>>;
export type McpServer = InstanceType<McpSdk['Server']>;

let sdk: Promise<McpSdk> | undefined;

export function loadMcpSdk(): Promise<McpSdk> {
  sdk ??= load();
  return sdk;
}
