import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { CurrentPrincipal } from '../tenancy/current-principal.decorator';
import type { Principal } from '../tenancy/principal';
import { AGENT_READ_SCOPE, AGENT_RESOURCE } from './agent.constants';
import { ProposalOutput, ProposalPageOutput } from './dto/proposal.output';
import { ListProposalsQuery } from './dto/proposals.query';
import { RejectProposalInput } from './dto/reject-proposal.input';
import { ProposalsService } from './proposals.service';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { AgentErrorCode } from '../agent/agent.errors';
import { AuthErrorCode } from '../auth/auth.errors';
import { CatalogErrorCode } from '../catalog/catalog.errors';

/** Agents' proposals; only a signed-in tenant admin confirms or rejects them. */
@ApiTags('agent')
@Controller('agent/proposals')
export class ProposalsController {
  constructor(private readonly proposals: ProposalsService) {}

  @Get()
  @TenantScoped({ scope: AGENT_READ_SCOPE })
  @ApiOperation({ operationId: 'listAgentProposals', summary: 'Proposals, newest first, optionally by status' })
  @ApiOkResponse({ type: ProposalPageOutput })
  list(@Query() query: ListProposalsQuery): Promise<ProposalPageOutput> {
    return this.proposals.list(query.status, query.limit, query.offset);
  }

  @Get(':id')
  @TenantScoped({ scope: AGENT_READ_SCOPE })
  @ApiErrors(AgentErrorCode.PROPOSAL_NOT_FOUND)
  @ApiOperation({ operationId: 'getAgentProposal', summary: 'One proposal' })
  @ApiOkResponse({ type: ProposalOutput })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ProposalOutput> {
    return this.proposals.get(id);
  }

  @Post(':id/confirm')
  @TenantScoped({ minRole: 'ADMIN', scope: AGENT_RESOURCE, peopleOnly: true })
  @HttpCode(HttpStatus.OK)
  @ApiErrors(AgentErrorCode.PROPOSAL_NOT_FOUND, AgentErrorCode.PROPOSAL_ALREADY_DECIDED, AgentErrorCode.PROPOSAL_EXPIRED, AuthErrorCode.HUMAN_CONFIRMATION_REQUIRED, CatalogErrorCode.PACKAGE_NOT_FOUND, CatalogErrorCode.SEGMENT_NOT_FOUND, CatalogErrorCode.PACKAGE_SLUG_TAKEN, CatalogErrorCode.SEGMENT_SLUG_TAKEN, CatalogErrorCode.GENERAL_SEGMENT_PROTECTED)
  @ApiOperation({
    operationId: 'confirmAgentProposal',
    summary: 'Execute the proposal (once: a second confirm is 409, an expired one 410). People only: an agent key gets 403 HUMAN_CONFIRMATION_REQUIRED.',
  })
  @ApiOkResponse({ type: ProposalOutput })
  confirm(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ProposalOutput> {
    return this.proposals.confirm(actor, id);
  }

  @Post(':id/reject')
  @TenantScoped({ minRole: 'ADMIN', scope: AGENT_RESOURCE, peopleOnly: true })
  @HttpCode(HttpStatus.OK)
  @ApiErrors(AgentErrorCode.PROPOSAL_NOT_FOUND, AgentErrorCode.PROPOSAL_ALREADY_DECIDED, AgentErrorCode.PROPOSAL_EXPIRED, AuthErrorCode.HUMAN_CONFIRMATION_REQUIRED)
  @ApiOperation({ operationId: 'rejectAgentProposal', summary: 'Decline the proposal; nothing changes. People only: an agent key gets 403 HUMAN_CONFIRMATION_REQUIRED.' })
  @ApiOkResponse({ type: ProposalOutput })
  reject(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() input: RejectProposalInput): Promise<ProposalOutput> {
    return this.proposals.reject(actor, id, input.reason);
  }
}
