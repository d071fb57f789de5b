import type { ProposalOutput } from './dto/proposal.output';
import type { ProposalRow } from './proposals.repository';

/** The row as clients see it: an undecided proposal past its expiry reads as EXPIRED. */
export function toProposalOutput(row: ProposalRow, now = new Date()): ProposalOutput {
  return {
    id: row.id,
    tool: row.tool,
    payload: row.payload as Record<string, unknown>,
    summary: row.summary,
    status: row.status === 'PENDING' && row.expiresAt <= now ? 'EXPIRED' : row.status,
    proposedBy: { type: row.proposedByType, id: row.proposedById },
    decidedBy: row.decidedById,
    decidedAt: row.decidedAt,
    expiresAt: row.expiresAt,
    // What the executor returned, stored as JSON: a package or a segment (proposal.output.ts).
    result: (row.result ?? null) as ProposalOutput['result'],
    error: (row.error as { code: string; message: string } | null) ?? null,
    createdAt: row.createdAt,
  };
}
