import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuthError, AuthErrorCode } from '../auth/auth.errors';
import { CatalogWrites } from '../catalog/catalog-writes.service';
import { AppError } from '../common/errors/app-error';
import type { ProposalStatus } from '../generated/prisma/enums';
import type { Principal, UserPrincipal } from '../tenancy/principal';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase, type TenantTransaction } from '../tenancy/tenant-database.service';
import { AgentError, AgentErrorCode } from './agent.errors';
import { AgentToolRegistry } from './agent-tool-registry';
import type { ProposalOutput, ProposalPageOutput } from './dto/proposal.output';
import { toProposalOutput } from './proposal-output';
import { ProposalsRepository, type ProposalRow } from './proposals.repository';

/** Why a decision did not happen, found after the conditional update matched nothing. */
type Refusal = { refused: AgentError };

/**
 * A human's side of proposals. Confirming claims the proposal (PENDING → CONFIRMED, unexpired) and
 * runs its executor in ONE tenant transaction: concurrent confirms queue on the row and all but one
 * find it decided (409); a crash or an executor error rolls the claim back with the change, so a
 * proposal executes at most once and never half. An executor's refusal (the segment was deleted
 * meanwhile...) is then recorded as FAILED and returned to the caller.
 */
@Injectable()
export class ProposalsService {
  private readonly logger = new Logger(ProposalsService.name);

  constructor(
    private readonly database: TenantDatabase,
    private readonly writes: CatalogWrites,
    private readonly proposals: ProposalsRepository,
    private readonly registry: AgentToolRegistry,
    private readonly audit: AuditService,
  ) {}

  async list(status: ProposalStatus | undefined, limit: number, offset: number): Promise<ProposalPageOutput> {
    const now = new Date();
    const page = await this.database.run((db) => this.proposals.list(db, status, now, limit, offset));
    return { items: page.items.map((row) => toProposalOutput(row, now)), total: page.total, limit, offset };
  }

  async get(id: string): Promise<ProposalOutput> {
    const row = await this.database.run((db) => this.proposals.find(db, id));
    if (!row) throw notFound();
    return toProposalOutput(row);
  }

  async confirm(actor: Principal, id: string): Promise<ProposalOutput> {
    const human = await this.requireHuman(actor, id);
    // Set once the claim succeeded: only then can an executor's refusal be recorded as FAILED.
    const attempt = { claimed: false };
    try {
      const outcome = await this.writes.run(async (db): Promise<ProposalRow | Refusal> => {
        const now = new Date();
        const claimed = await this.proposals.decide(db, id, now, { status: 'CONFIRMED', decidedById: human.userId });
        if (!claimed) return { refused: await this.refusal(db, id, now) };
        attempt.claimed = true;
        const result = await this.registry.executor(claimed.tool)(db, claimed.payload as Record<string, unknown>, actor);
        const stored = await this.proposals.storeResult(db, id, result);
        await this.audit.record(actor, this.event('agent.proposal.confirmed', stored), db);
        return stored;
      });
      if ('refused' in outcome) throw outcome.refused;
      return toProposalOutput(outcome);
    } catch (error) {
      if (attempt.claimed && error instanceof AppError && !(error instanceof AgentError)) await this.recordFailure(actor, human, id, error as AppError<string>);
      throw error;
    }
  }

  async reject(actor: Principal, id: string, reason?: string): Promise<ProposalOutput> {
    const human = await this.requireHuman(actor, id);
    const outcome = await this.database.run(async (db): Promise<ProposalRow | Refusal> => {
      const now = new Date();
      const rejected = await this.proposals.decide(db, id, now, { status: 'REJECTED', decidedById: human.userId });
      if (!rejected) return { refused: await this.refusal(db, id, now) };
      await this.audit.record(actor, this.event('agent.proposal.rejected', rejected, reason ? { reason } : {}), db);
      return rejected;
    });
    if ('refused' in outcome) throw outcome.refused;
    return toProposalOutput(outcome);
  }

  /**
   * Only a person decides (the routes are people-only: keys holding an agent scope get this far). A
   * key asking about another tenant's proposal (or none) still gets 404, as everywhere, so the 403
   * tells nothing about ids it could not see anyway.
   */
  private async requireHuman(actor: Principal, id: string): Promise<UserPrincipal> {
    if (actor.kind === 'user') return actor;
    if (!(await this.database.run((db) => this.proposals.find(db, id)))) throw notFound();
    throw new AuthError(AuthErrorCode.HUMAN_CONFIRMATION_REQUIRED, 'Proposals are confirmed or rejected by a signed-in person, not by an API key');
  }

  /** 404 when it is not this tenant's; 410 when it expired (recorded as EXPIRED); else 409. */
  private async refusal(db: TenantTransaction, id: string, now: Date): Promise<AgentError> {
    const row = await this.proposals.find(db, id);
    if (!row) return notFound();
    if (row.status === 'EXPIRED' || (row.status === 'PENDING' && row.expiresAt <= now)) {
      await this.proposals.markExpired(db, id);
      return new AgentError(AgentErrorCode.PROPOSAL_EXPIRED, `This proposal expired at ${row.expiresAt.toISOString()}; ask the agent to propose it again`);
    }
    return new AgentError(AgentErrorCode.PROPOSAL_ALREADY_DECIDED, `This proposal is already ${row.status.toLowerCase()}`, [{ field: 'status', message: row.status }]);
  }

  private async recordFailure(actor: Principal, human: UserPrincipal, id: string, error: AppError<string>): Promise<void> {
    try {
      await this.database.run(async (db) => {
        const failed = await this.proposals.markFailed(db, id, new Date(), human.userId, { code: error.code, message: error.message });
        if (failed) await this.audit.record(actor, this.event('agent.proposal.failed', failed, { code: error.code }), db);
      });
    } catch (recordError) {
      // The change was rolled back either way; the proposal stays PENDING and can be confirmed again.
      this.logger.error({ err: recordError, proposalId: id }, 'could not record a failed proposal');
    }
  }

  /** Both actors: the human deciding (the event's actor) and the agent that proposed (metadata). */
  private event(action: string, row: ProposalRow, extra: Record<string, unknown> = {}) {
    return {
      action,
      tenantId: TenantContext.requireTenantId(),
      targetType: 'agent_proposal',
      targetId: row.id,
      metadata: { tool: row.tool, proposedBy: { type: row.proposedByType, id: row.proposedById }, ...extra },
    };
  }
}

function notFound(): AgentError {
  return new AgentError(AgentErrorCode.PROPOSAL_NOT_FOUND, 'Proposal not found');
}
