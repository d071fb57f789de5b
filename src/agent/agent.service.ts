import { Injectable } from '@nestjs/common';
import { ACTOR_TYPE, AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { actorIdOf, type Principal } from '../tenancy/principal';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase } from '../tenancy/tenant-database.service';
import { AgentError, AgentErrorCode } from './agent.errors';
import { AgentToolRegistry } from './agent-tool-registry';
import type { AgentToolListOutput, AgentToolResultOutput } from './dto/agent-tool.output';
import type { ProposalOutput } from './dto/proposal.output';
import { toProposalOutput } from './proposal-output';
import { ProposalsRepository } from './proposals.repository';

/** What calling a tool did: a read answers at once, a write leaves a proposal for a human. */
export type ToolInvocation = { kind: 'result'; output: AgentToolResultOutput } | { kind: 'proposal'; output: ProposalOutput };

/**
 * The agent's side: the tool list, and calling a tool. Used by the REST routes and the MCP server
 * alike, so both enforce the same schema checks, tenant scoping and proposal rule.
 */
@Injectable()
export class AgentService {
  constructor(
    private readonly registry: AgentToolRegistry,
    private readonly database: TenantDatabase,
    private readonly proposals: ProposalsRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  listTools(): AgentToolListOutput {
    return {
      tools: this.registry.list().map((tool) => ({
        type: 'function' as const,
        function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
      })),
    };
  }

  async invoke(actor: Principal, name: string, args: unknown): Promise<ToolInvocation> {
    const { tool, input } = this.registry.resolve(name, args);
    if (tool.kind === 'read') {
      const result = await this.database.run((db) => tool.run(db, input));
      return { kind: 'result', output: { tool: tool.name, result: result as AgentToolResultOutput['result'] } };
    }
    const row = await this.database.run(async (db) => {
      const tenantId = TenantContext.requireTenantId();
      await this.proposals.lockNewProposals(db, tenantId);
      const limit = this.config.AGENT_MAX_PENDING_PROPOSALS;
      if ((await this.proposals.countPending(db, new Date())) >= limit) {
        throw new AgentError(
          AgentErrorCode.PENDING_PROPOSALS_LIMIT,
          `This tenant already has ${limit} proposals waiting for a person; ask them to confirm or reject some before proposing more`,
        );
      }
      const change = await tool.propose(db, input);
      const proposal = await this.proposals.create(db, {
        tool: tool.name,
        payload: change.payload,
        summary: change.summary.slice(0, 2000),
        proposedByType: ACTOR_TYPE[actor.kind],
        proposedById: actorIdOf(actor),
        expiresAt: new Date(Date.now() + this.config.AGENT_PROPOSAL_TTL_SECONDS * 1000),
      });
      await this.audit.record(
        actor,
        { action: 'agent.proposal.created', tenantId, targetType: 'agent_proposal', targetId: proposal.id, metadata: { tool: tool.name, summary: proposal.summary } },
        db,
      );
      return proposal;
    });
    return { kind: 'proposal', output: toProposalOutput(row) };
  }
}
