import { Body, Controller, Get, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TenantScoped } from '../auth/access.decorators';
import { CurrentPrincipal } from '../tenancy/current-principal.decorator';
import type { Principal } from '../tenancy/principal';
import { AGENT_INVOKE_SCOPE } from './agent.constants';
import { AgentService } from './agent.service';
import { AgentToolListOutput, AgentToolResultOutput } from './dto/agent-tool.output';
import { InvokeToolInput } from './dto/invoke-tool.input';
import { ProposalOutput } from './dto/proposal.output';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { AgentErrorCode } from '../agent/agent.errors';
import { CatalogErrorCode } from '../catalog/catalog.errors';

/** Tools for AI agents acting for the tenant (API keys with the `agent` scope). */
@ApiTags('agent')
@ApiExtraModels(AgentToolResultOutput, ProposalOutput)
@Controller('agent/tools')
export class AgentController {
  constructor(private readonly agent: AgentService) {}

  @Get()
  @TenantScoped({ scope: AGENT_INVOKE_SCOPE })
  @ApiOperation({ operationId: 'listAgentTools', summary: 'The tools, in the form LLM function-calling APIs accept' })
  @ApiOkResponse({ type: AgentToolListOutput })
  list(): AgentToolListOutput {
    return this.agent.listTools();
  }

  @Post(':name/invoke')
  @TenantScoped({ scope: AGENT_INVOKE_SCOPE })
  @ApiErrors(AgentErrorCode.TOOL_NOT_FOUND, AgentErrorCode.INVALID_TOOL_INPUT, AgentErrorCode.MISSING_FIELD, AgentErrorCode.PENDING_PROPOSALS_LIMIT, CatalogErrorCode.PACKAGE_NOT_FOUND, CatalogErrorCode.SEGMENT_NOT_FOUND)
  @ApiOperation({ operationId: 'invokeAgentTool', summary: 'Call a tool: a read tool answers 200 with its result; a write tool answers 202 with a proposal a human must confirm' })
  @ApiOkResponse({ type: AgentToolResultOutput, description: 'A read tool ran.' })
  @ApiAcceptedResponse({ type: ProposalOutput, description: 'A write tool created a proposal; nothing changed yet.' })
  async invoke(
    @CurrentPrincipal() actor: Principal,
    @Param('name') name: string,
    @Body() input: InvokeToolInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentToolResultOutput | ProposalOutput> {
    const invocation = await this.agent.invoke(actor, name, input.arguments ?? {});
    reply.status(invocation.kind === 'proposal' ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return invocation.output;
  }
}
