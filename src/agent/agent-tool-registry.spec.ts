import { AgentToolRegistry } from './agent-tool-registry';
import { AgentError } from './agent.errors';

const schema = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false } as const;

describe('AgentToolRegistry', () => {
  const write = (name: string) => ({ kind: 'write' as const, name, description: 'd', inputSchema: { ...schema }, propose: () => Promise.resolve({ payload: {}, summary: '' }) });

  it('refuses to start when a write tool has no executor', () => {
    const registry = new AgentToolRegistry();
    registry.registerTool(write('do_thing'));
    expect(() => registry.onApplicationBootstrap()).toThrow('Agent write tool do_thing has no proposal executor registered');
    registry.registerProposalExecutor('do_thing', () => Promise.resolve(null));
    expect(() => registry.onApplicationBootstrap()).not.toThrow();
  });

  it('refuses an executor that belongs to no write tool, and duplicates', () => {
    const registry = new AgentToolRegistry();
    registry.registerProposalExecutor('ghost', () => Promise.resolve(null));
    expect(() => registry.assertComplete()).toThrow('Proposal executor ghost belongs to no write tool');
    registry.registerTool(write('ghost'));
    expect(() => registry.registerTool(write('ghost'))).toThrow('registered twice');
    expect(() => registry.registerProposalExecutor('ghost', () => Promise.resolve(null))).toThrow('two proposal executors');
  });

  it('checks arguments against the schema and names the fields at fault', () => {
    const registry = new AgentToolRegistry();
    registry.registerTool(write('do_thing'));
    expect(registry.resolve('do_thing', { id: 'x' }).input).toEqual({ id: 'x' });
    try {
      registry.resolve('do_thing', { id: 3, extra: true });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(AgentError);
      expect((error as AgentError).code).toBe('INVALID_TOOL_INPUT');
      expect((error as AgentError).details).toEqual(expect.arrayContaining([{ field: 'extra', message: 'is not a known argument' }, { field: 'id', message: 'must be string' }]));
    }
    expect(() => registry.resolve('nope', {})).toThrow('No such agent tool');
  });
});
