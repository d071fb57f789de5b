import { Injectable, Logger } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '../common/errors/app-error';
import type { Principal } from '../tenancy/principal';
import { MCP_SERVER_INFO } from './agent.constants';
import { AgentService } from './agent.service';
import { loadMcpSdk, type McpServer } from './mcp-sdk';

/**
 * The agent tools as a Model Context Protocol server. One server per HTTP request (stateless
 * Streamable HTTP): it answers for the request's principal and tenant, which the tool handlers read
 * from the request's context, through the same AgentService as the REST routes.
 */
@Injectable()
export class AgentMcpServerFactory {
  private readonly logger = new Logger(AgentMcpServerFactory.name);

  constructor(private readonly agent: AgentService) {}

  async create(actor: Principal): Promise<McpServer> {
    const { Server, CallToolRequestSchema, ListToolsRequestSchema } = await loadMcpSdk();
    const server = new Server(MCP_SERVER_INFO, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: this.agent.listTools().tools.map(({ function: tool }) => ({ name: tool.name, description: tool.description, inputSchema: tool.parameters as { type: 'object' } })),
    }));
    server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
      try {
        const invocation = await this.agent.invoke(actor, request.params.name, request.params.arguments ?? {});
        const text = invocation.kind === 'proposal'
          ? JSON.stringify({ proposal: invocation.output, note: 'Nothing has changed yet: a person must confirm this proposal.' })
          : JSON.stringify(invocation.output.result);
        return { content: [{ type: 'text', text }] };
      } catch (error) {
        // The agent sees our error envelope for rule violations (so it can correct itself), and
        // nothing of internal failures.
        if (error instanceof AppError) {
          const { code, message, details } = error as AppError<string>;
          return { isError: true, content: [{ type: 'text', text: JSON.stringify({ code, error: message, details }) }] };
        }
        this.logger.error({ err: error, tool: request.params.name }, 'MCP tool call failed');
        return { isError: true, content: [{ type: 'text', text: JSON.stringify({ code: 'INTERNAL', error: 'Internal error' }) }] };
      }
    });
    return server;
  }
}
