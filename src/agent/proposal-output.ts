import { toPackageOutput, toSegmentOutput } from '../catalog/catalog-output';
import type { PackageRow } from '../catalog/packages.repository';
import type { SegmentRow } from '../catalog/segments.repository';
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
    result: resultOutput(row.result),
    error: (row.error as { code: string; message: string } | null) ?? null,
    createdAt: row.createdAt,
  };
}

/**
 * The stored result, a package or a segment, as their outputs: proposals confirmed before results
 * were stored that way hold the whole row (its tenantId too), which must not reach the answer.
 */
function resultOutput(result: ProposalRow['result']): ProposalOutput['result'] {
  if (!result || typeof result !== 'object' || Array.isArray(result)) return null;
  return 'segmentId' in result ? toPackageOutput(result as unknown as PackageRow) : toSegmentOutput(result as unknown as SegmentRow);
}
