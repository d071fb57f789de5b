/**
 * API-key scopes of the agent routes. A key holding the bare `agent` scope has all of them (see
 * AccessGuard); confirming and rejecting also need a human, whatever the key's scopes.
 */
export const AGENT_INVOKE_SCOPE = 'agent:invoke';
export const AGENT_READ_SCOPE = 'agent:read';
export const AGENT_DECIDE_SCOPE = 'agent:decide';

/** The MCP server's name and version as clients see them. */
export const MCP_SERVER_INFO = Object.freeze({ name: 'tenant-platform-agent-tools', version: '1.0.0' });
