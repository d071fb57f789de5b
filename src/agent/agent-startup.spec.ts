import { Injectable, OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AgentToolRegistry } from './agent-tool-registry';

@Injectable()
class ToolsWithoutExecutor implements OnModuleInit {
  constructor(private readonly registry: AgentToolRegistry) {}

  onModuleInit(): void {
    this.registry.registerTool({
      kind: 'write',
      name: 'delete_everything',
      description: 'A write tool whose module forgot its executor',
      inputSchema: { type: 'object', properties: {} },
      propose: () => Promise.resolve({ payload: {}, summary: 'nothing' }),
    });
  }
}

describe('agent start-up', () => {
  it('fails when a write tool has no proposal executor, before any request is served', async () => {
    const moduleRef = await Test.createTestingModule({ providers: [AgentToolRegistry, ToolsWithoutExecutor] }).compile();
    moduleRef.useLogger(false);
    // init() runs the same lifecycle hooks as the application's start-up (onModuleInit, then bootstrap).
    await expect(moduleRef.init()).rejects.toThrow('Agent write tool delete_everything has no proposal executor registered');
    await moduleRef.close();
  });
});
