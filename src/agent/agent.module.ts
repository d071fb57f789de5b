import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { AgentController } from './agent.controller';
import { AgentService } from './agent.service';
import { AgentMcpController } from './agent-mcp.controller';
import { AgentMcpServerFactory } from './agent-mcp.server';
import { AgentToolRegistry } from './agent-tool-registry';
import { CatalogAgentTools } from './catalog-agent-tools';
import { ProposalsController } from './proposals.controller';
import { ProposalsRepository } from './proposals.repository';
import { ProposalsService } from './proposals.service';

/** Tools for AI agents (REST and MCP), their proposals, and the humans' confirmations. */
@Module({
  imports: [CatalogModule],
  controllers: [AgentController, ProposalsController, AgentMcpController],
  providers: [AgentToolRegistry, CatalogAgentTools, AgentService, ProposalsService, ProposalsRepository, AgentMcpServerFactory],
  exports: [AgentToolRegistry],
})
export class AgentModule {}
