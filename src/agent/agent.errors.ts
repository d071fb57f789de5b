import { AppError } from '../common/errors/app-error';

export enum AgentErrorCode {
  TOOL_NOT_FOUND = 'TOOL_NOT_FOUND',
  /** The arguments do not match the tool's JSON Schema. */
  INVALID_TOOL_INPUT = 'INVALID_TOOL_INPUT',
  /** A field the tool needs for this call is absent (upsert_package creating without a price). */
  MISSING_FIELD = 'MISSING_FIELD',
  PROPOSAL_NOT_FOUND = 'PROPOSAL_NOT_FOUND',
  /** Confirmed, rejected or failed already: a proposal is decided once. */
  PROPOSAL_ALREADY_DECIDED = 'PROPOSAL_ALREADY_DECIDED',
  PROPOSAL_EXPIRED = 'PROPOSAL_EXPIRED',
  /** One MCP request carried more JSON-RPC messages than AGENT_MCP_MAX_BATCH. */
  MCP_BATCH_TOO_LARGE = 'MCP_BATCH_TOO_LARGE',
  /** The tenant already has AGENT_MAX_PENDING_PROPOSALS proposals waiting for a person. */
  PENDING_PROPOSALS_LIMIT = 'PENDING_PROPOSALS_LIMIT',
}

export class AgentError extends AppError<AgentErrorCode> {}
