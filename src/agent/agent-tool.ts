import type { Principal } from '../tenancy/principal';
import type { TenantTransaction } from '../tenancy/tenant-database.service';

/** A JSON Schema object, as LLM function calling and MCP both take it. */
export type JsonSchema = Record<string, unknown> & { type: 'object' };

interface ToolDefinition {
  /** snake_case, unique. */
  name: string;
  /** What the model reads to decide when to call it. */
  description: string;
  inputSchema: JsonSchema;
}

/** Runs at once, inside the tenant's transaction, and returns data. */
export interface ReadTool<Input = Record<string, unknown>> extends ToolDefinition {
  kind: 'read';
  run(db: TenantTransaction, input: Input): Promise<unknown>;
}

/** What a write tool turns its input into: stored as the proposal, shown to the human. */
export interface ProposedChange {
  /** Normalised: exactly what the executor will receive on confirm. */
  payload: Record<string, unknown>;
  /** One or two sentences a person can judge the change by. */
  summary: string;
}

/** Changes nothing when called: checks and describes the change, which a human then confirms. */
export interface WriteTool<Input = Record<string, unknown>> extends ToolDefinition {
  kind: 'write';
  propose(db: TenantTransaction, input: Input): Promise<ProposedChange>;
}

export type AgentTool = ReadTool<never> | WriteTool<never>;

/**
 * Applies a confirmed proposal's payload, in the same tenant transaction that marks the proposal
 * confirmed (so it runs at most once), as the confirming human.
 */
export type ProposalExecutor = (db: TenantTransaction, payload: Record<string, unknown>, actor: Principal) => Promise<unknown>;
