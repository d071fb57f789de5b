/**
 * API-key scopes of the agent routes. A key holding the bare `agent` scope has both (see
 * api-key-scopes.ts); confirming and rejecting are for people only: an agent key asking is told
 * HUMAN_CONFIRMATION_REQUIRED.
 */
export const AGENT_RESOURCE = 'agent';
export const AGENT_INVOKE_SCOPE = 'agent:invoke';
export const AGENT_READ_SCOPE = 'agent:read';

/** The MCP server's name and version as clients see them. */
export const MCP_SERVER_INFO = Object.freeze({ name: 'tenant-platform-agent-tools', version: '1.0.0' });
