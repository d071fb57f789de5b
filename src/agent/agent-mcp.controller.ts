import { Controller, Delete, Get, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { ApiErrors } from '../common/errors/api-errors.decorator';

const METHOD_NOT_ALLOWED = { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless; POST JSON-RPC messages.' }, id: null };

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
  @ApiOperation({ operationId: 'agentMcp', summary: 'MCP (Streamable HTTP, stateless, JSON responses): tools/list and tools/call over the agent tools' })
  @ApiOkResponse({ description: 'A JSON-RPC response (202 with no body for notifications).', schema: { type: 'object', additionalProperties: true } })
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
        reply.raw.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }));
      }
    }
  }

  @Get()
  @TenantScoped({ scope: AGENT_INVOKE_SCOPE })
  @ApiExcludeEndpoint()
  streamNotSupported(@Res() reply: FastifyReply): void {
    void reply.code(405).header('allow', 'POST').send(METHOD_NOT_ALLOWED);
  }

  @Delete()
  @TenantScoped({ scope: AGENT_INVOKE_SCOPE })
  @ApiExcludeEndpoint()
  sessionsNotSupported(@Res() reply: FastifyReply): void {
    void reply.code(405).header('allow', 'POST').send(METHOD_NOT_ALLOWED);
  }
}
