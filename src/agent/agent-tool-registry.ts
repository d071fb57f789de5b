import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AgentError, AgentErrorCode } from './agent.errors';
import type { AgentTool, ProposalExecutor, ReadTool, WriteTool } from './agent-tool';

interface Registered {
  tool: AgentTool;
  validate: ValidateFunction;
}

/**
 * Every tool the agent can call, and the executor of each write tool's proposals. Modules register
 * theirs in onModuleInit; at application bootstrap a write tool without an executor stops the
 * start-up, so the gap shows when deploying, not when a human confirms.
 */
@Injectable()
export class AgentToolRegistry implements OnApplicationBootstrap {
  private readonly tools = new Map<string, Registered>();
  private readonly executors = new Map<string, ProposalExecutor>();
  private readonly ajv = addFormats(new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }), ['uuid']);

  registerTool(tool: ReadTool<never> | WriteTool<never>): void {
    if (this.tools.has(tool.name)) throw new Error(`Agent tool ${tool.name} is registered twice`);
    this.tools.set(tool.name, { tool, validate: this.ajv.compile(tool.inputSchema) });
  }

  registerProposalExecutor(toolName: string, executor: ProposalExecutor): void {
    if (this.executors.has(toolName)) throw new Error(`Agent tool ${toolName} has two proposal executors`);
    this.executors.set(toolName, executor);
  }

  onApplicationBootstrap(): void {
    this.assertComplete();
  }

  /** Throws when a write tool has no executor, or an executor no write tool. */
  assertComplete(): void {
    for (const { tool } of this.tools.values()) {
      if (tool.kind === 'write' && !this.executors.has(tool.name)) throw new Error(`Agent write tool ${tool.name} has no proposal executor registered`);
    }
    for (const name of this.executors.keys()) {
      if (this.tools.get(name)?.tool.kind !== 'write') throw new Error(`Proposal executor ${name} belongs to no write tool`);
    }
  }

  list(): AgentTool[] {
    return [...this.tools.values()].map(({ tool }) => tool);
  }

  /** The tool and its input checked against the tool's schema (400 INVALID_TOOL_INPUT with details). */
  resolve(name: string, input: unknown): { tool: AgentTool; input: never } {
    const registered = this.tools.get(name);
    if (!registered) throw new AgentError(AgentErrorCode.TOOL_NOT_FOUND, 'No such agent tool; list them with GET /api/v1/agent/tools');
    const value = input ?? {};
    if (!registered.validate(value)) {
      throw new AgentError(AgentErrorCode.INVALID_TOOL_INPUT, `The arguments do not match ${name}'s input schema`, (registered.validate.errors ?? []).map(toDetail));
    }
    return { tool: registered.tool, input: value as never };
  }

  executor(toolName: string): ProposalExecutor {
    const executor = this.executors.get(toolName);
    // assertComplete() ran at start-up, so this is a proposal of a tool that no longer exists.
    if (!executor) throw new Error(`No proposal executor for ${toolName}`);
    return executor;
  }
}

function toDetail(error: ErrorObject): { field?: string; message: string } {
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  const extra = (error.params as { additionalProperty?: string }).additionalProperty;
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const field = missing ?? extra ?? (path || undefined);
  return { field, message: extra ? 'is not a known argument' : (error.message ?? 'is invalid') };
}
