import { Controller, Delete, Get, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantScoped } from '../auth/access.decorators';
import { Idempotency } from '../idempotency/idempotency.decorators';
import { CurrentPrincipal } from '../tenancy/current-principal.decorator';
import type { Principal } from '../tenancy/principal';
import { AppConfig } from '../config/app-config';
import { AGENT_INVOKE_SCOPE } from './agent.constants';
import { AgentError, AgentErrorCode } from './agent.errors';
import { AgentMcpServerFactory } from './agent-mcp.server';
import { loadMcpSdk } from './mcp-sdk';
import { ApiErrors, ApiJsonRpcErrors, type JsonRpcErrorAnswer } from '../common/errors/api-errors.decorator';

const JSON_RPC_ID = { oneOf: [{ type: 'string', maxLength: 256 }, { type: 'integer', format: 'int64', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }], description: 'Echoed in the response; absent for notifications.', example: 1 };
const JSON_RPC_MESSAGE = {
  type: 'object',
  required: ['jsonrpc', 'method'],
  properties: {
    jsonrpc: { type: 'string', enum: ['2.0'] },
    id: JSON_RPC_ID,
    method: { type: 'string', maxLength: 256, description: 'initialize, tools/list, tools/call, notifications/initialized, ...', example: 'tools/call' },
    params: { type: 'object', additionalProperties: true, description: 'For tools/call: `{ name, arguments }`.', example: { name: 'get_segments', arguments: {} } },
  },
};
const MCP_REQUEST_BODY = {
  oneOf: [JSON_RPC_MESSAGE, { type: 'array', minItems: 1, maxItems: 100, items: JSON_RPC_MESSAGE }],
  example: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_segments', arguments: {} } },
};
const JSON_RPC_RESPONSE = {
  type: 'object',
  required: ['jsonrpc'],
  properties: {
    jsonrpc: { type: 'string', enum: ['2.0'] },
    id: { oneOf: [{ type: 'string', maxLength: 256, nullable: true }, { type: 'integer', format: 'int64' }], description: "The request's id; null when the request could not be read.", example: 1 },
    result: { type: 'object', additionalProperties: true, description: 'tools/list: `{ tools }`; tools/call: `{ content, structuredContent?, isError? }`.' },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'integer', format: 'int32', description: 'JSON-RPC error code (-32700 parse error, -32600 invalid request, -32601 unknown method, -32602 invalid params, -32603 internal).' }, message: { type: 'string' }, data: {} },
    },
  },
  example: { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: '[{"id":"…","name":"General"}]' }] } },
};

const METHOD_NOT_ALLOWED_MESSAGE = 'Method not allowed: this MCP endpoint is stateless; POST JSON-RPC messages.';
const METHOD_NOT_ALLOWED = { jsonrpc: '2.0', error: { code: -32000, message: METHOD_NOT_ALLOWED_MESSAGE }, id: null };
const INTERNAL_ERROR = { code: -32603, message: 'Internal error' };
/** What the MCP SDK's transport refuses (webStandardStreamableHttp.js) and our own failure answer below. */
const POST_JSON_RPC_ERRORS: JsonRpcErrorAnswer[] = [
  { status: 400, code: -32700, message: 'Parse error: Invalid JSON-RPC message' },
  { status: 400, code: -32600, message: 'Invalid Request: Only one initialization request is allowed' },
  { status: 406, code: -32000, message: 'Not Acceptable: Client must accept both application/json and text/event-stream' },
  { status: 500, ...INTERNAL_ERROR },
];
const NOT_ALLOWED_ERRORS: JsonRpcErrorAnswer[] = [{ status: 405, code: -32000, message: METHOD_NOT_ALLOWED_MESSAGE }];

/**
 * Model Context Protocol over Streamable HTTP, stateless: each POST carries JSON-RPC messages and
 * gets the JSON answer. Authenticated like every tenant route (the tenant API key as a bearer), so
 * the tools run in the key's tenant. There are no sessions, so GET (server stream) and DELETE are 405.
 */
@ApiTags('agent')
@Controller('agent/mcp')
export class AgentMcpController {
  private readonly logger = new Logger(AgentMcpController.name);

  constructor(
    private readonly servers: AgentMcpServerFactory,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @TenantScoped({ scope: AGENT_INVOKE_SCOPE })
  // The transport writes the raw response itself: there is no answer to store (JSON-RPC has ids).
  @Idempotency('none')
  @ApiErrors(AgentErrorCode.MCP_BATCH_TOO_LARGE)
  @ApiJsonRpcErrors(...POST_JSON_RPC_ERRORS)
  @ApiOperation({
    operationId: 'agentMcp',
    summary: 'MCP (Streamable HTTP, stateless, JSON responses): tools/list and tools/call over the agent tools',
    description:
      'One JSON-RPC 2.0 message or a batch (at most AGENT_MCP_MAX_BATCH, default 10; more is 429 `MCP_BATCH_TOO_LARGE` before any runs). Send `Accept: application/json, text/event-stream`. Requests get 200 with their JSON-RPC responses (protocol errors too, as JSON-RPC `error`s; tool failures as results with `isError`); a body of only notifications gets 202 with no body. There are no sessions: GET and DELETE on this path answer 405 with a JSON-RPC error and `Allow: POST`.',
  })
  @ApiBody({ schema: MCP_REQUEST_BODY })
  @ApiOkResponse({ description: 'The JSON-RPC response(s), in the order of the requests.', schema: { oneOf: [JSON_RPC_RESPONSE, { type: 'array', maxItems: 100, items: JSON_RPC_RESPONSE }] } })
  @ApiAcceptedResponse({ description: 'Only notifications were sent: nothing to answer.' })
  async handle(@CurrentPrincipal() actor: Principal, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // A JSON-RPC batch is one request carrying many calls: bounded, before any of them runs.
    const messages = Array.isArray(request.body) ? request.body.length : 1;
    if (messages > this.config.AGENT_MCP_MAX_BATCH) {
      throw new AgentError(AgentErrorCode.MCP_BATCH_TOO_LARGE, `One MCP request may carry at most ${this.config.AGENT_MCP_MAX_BATCH} JSON-RPC messages (got ${messages}); send them in smaller batches`);
    }
    const server = await this.servers.create(actor);
    const { StreamableHTTPServerTransport } = await loadMcpSdk();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    // The transport writes to the raw response: carry over headers already set (x-request-id).
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    } catch (error) {
      this.logger.error({ err: error }, 'MCP request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify({ jsonrpc: '2.0', error: INTERNAL_ERROR, id: null }));
      }
    }
  }

  @Get()
  @TenantScoped({ scope: AGENT_INVOKE_SCOPE })
  @ApiJsonRpcErrors(...NOT_ALLOWED_ERRORS)
  @ApiOperation({ operationId: 'agentMcpStream', summary: 'MCP server stream: not offered (stateless endpoint)', description: 'Answers 405 with a JSON-RPC error and `Allow: POST` once the key is accepted: there are no sessions to stream.' })
  streamNotSupported(@Res() reply: FastifyReply): void {
    void reply.code(405).header('allow', 'POST').send(METHOD_NOT_ALLOWED);
  }

  @Delete()
  @TenantScoped({ scope: AGENT_INVOKE_SCOPE })
  @ApiJsonRpcErrors(...NOT_ALLOWED_ERRORS)
  @ApiOperation({ operationId: 'agentMcpEndSession', summary: 'MCP session end: not offered (stateless endpoint)', description: 'Answers 405 with a JSON-RPC error and `Allow: POST` once the key is accepted: there are no sessions to end.' })
  sessionsNotSupported(@Res() reply: FastifyReply): void {
    void reply.code(405).header('allow', 'POST').send(METHOD_NOT_ALLOWED);
  }
}
