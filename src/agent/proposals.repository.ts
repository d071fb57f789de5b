import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import type { ActorType, ProposalStatus } from '../generated/prisma/enums';
import type { TenantTransaction } from '../tenancy/tenant-database.service';

export type ProposalRow = Awaited<ReturnType<TenantTransaction['agentProposal']['create']>>;

export interface NewProposal {
  tool: string;
  payload: Record<string, unknown>;
  summary: string;
  proposedByType: ActorType;
  proposedById: string | null;
  expiresAt: Date;
}

/** Agent proposals of the context's tenant: every method takes the transaction of TenantDatabase.run(). */
@Injectable()
export class ProposalsRepository {
  create(db: TenantTransaction, proposal: NewProposal) {
    return db.agentProposal.create({ data: { ...proposal, payload: proposal.payload as Prisma.InputJsonValue } as Prisma.AgentProposalUncheckedCreateInput });
  }

  /**
   * Serialises the tenant's new proposals until the transaction ends, so the count below and the
   * insert after it cannot interleave with another request's (the limit holds under concurrency).
   */
  async lockNewProposals(db: TenantTransaction, tenantId: string): Promise<void> {
    await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('agent:proposals'), hashtext(${tenantId}))`;
  }

  /** Proposals still waiting for a person (pending and unexpired). */
  countPending(db: TenantTransaction, now: Date): Promise<number> {
    return db.agentProposal.count({ where: { status: 'PENDING', expiresAt: { gt: now } } });
  }

  find(db: TenantTransaction, id: string) {
    return db.agentProposal.findFirst({ where: { id } });
  }

  /** `status` as clients see it: PENDING means still confirmable, EXPIRED includes the lazily expired. */
  async list(db: TenantTransaction, status: ProposalStatus | undefined, now: Date, limit: number, offset: number) {
    const where: Prisma.AgentProposalWhereInput =
      status === 'PENDING'
        ? { status: 'PENDING', expiresAt: { gt: now } }
        : status === 'EXPIRED'
          ? { OR: [{ status: 'EXPIRED' }, { status: 'PENDING', expiresAt: { lte: now } }] }
          : status
            ? { status }
            : {};
    const [items, total] = await Promise.all([
      db.agentProposal.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit, skip: offset }),
      db.agentProposal.count({ where }),
    ]);
    return { items, total };
  }

  /**
   * Moves a proposal out of PENDING if, and only if, it is still pending and unexpired. Concurrent
   * callers queue on the row lock; PostgreSQL re-checks the condition for each after the one
   * before commits, so exactly one gets the row back.
   */
  async decide(db: TenantTransaction, id: string, now: Date, decision: { status: 'CONFIRMED' | 'REJECTED'; decidedById: string }): Promise<ProposalRow | null> {
    const [row] = await db.agentProposal.updateManyAndReturn({
      where: { id, status: 'PENDING', expiresAt: { gt: now } },
      data: { ...decision, decidedAt: now },
    });
    return row ?? null;
  }

  async markExpired(db: TenantTransaction, id: string): Promise<void> {
    await db.agentProposal.updateMany({ where: { id, status: 'PENDING' }, data: { status: 'EXPIRED' } });
  }

  /** A confirm whose executor refused: recorded, so the proposal cannot be confirmed again. */
  async markFailed(db: TenantTransaction, id: string, now: Date, decidedById: string, error: { code: string; message: string }): Promise<ProposalRow | null> {
    const [row] = await db.agentProposal.updateManyAndReturn({
      where: { id, status: 'PENDING' },
      data: { status: 'FAILED', decidedById, decidedAt: now, error },
    });
    return row ?? null;
  }

  async storeResult(db: TenantTransaction, id: string, result: unknown): Promise<ProposalRow> {
    const [row] = await db.agentProposal.updateManyAndReturn({ where: { id }, data: { result: result == null ? Prisma.DbNull : (result as Prisma.InputJsonValue) } });
    return row;
  }
}
