/** Headers a client might send hoping to choose its tenant; dropped before anything reads them. */
export const SPOOFABLE_TENANT_HEADERS = ['x-tenant-id', 'x-tenant-slug'] as const;

/** Lets an operator read one tenant's data on GET/HEAD (audited). */
export const OPERATOR_OVERRIDE_HEADER = 'x-operator-override';

/** Cookie signing the session's tenant (HMAC over tenant, user and session version). */
export const TENANT_SIGNATURE_COOKIE = 'tenant_sig';

/** Database role tenant-scoped transactions switch to: not an owner, no BYPASSRLS (see migrations). */
export const TENANT_DATABASE_ROLE = 'app_tenant';

/** Transaction-local setting the row-level security policies read (`current_tenant_id()`). */
export const TENANT_SETTING = 'app.current_tenant_id';

/**
 * Prisma models that are tenant-owned: reachable only through TenantDatabase, which scopes every
 * query to the context's tenant. A database test checks this list against the tables that have
 * row-level security, so a new tenant-owned table cannot be forgotten here.
 */
export const TENANT_OWNED_MODELS = [
  'ApiKey',
  'Segment',
  'Package',
  'AgentProposal',
  'IntegrationCredential',
  'IntegrationConfig',
  'WhatsAppInboundEvent',
  'WhatsAppSignupState',
  'IdempotencyKey',
] as const;

/** Reasons counted by `tenant_isolation_denials_total`. */
export enum DenialReason {
  MISSING_TENANT_CONTEXT = 'missing_tenant_context',
  CROSS_TENANT_QUERY = 'cross_tenant_query',
  TENANT_SIGNATURE = 'tenant_signature',
  MEMBERSHIP = 'membership',
  OPERATOR_OVERRIDE_WRITE = 'operator_override_write',
  INSUFFICIENT_ACCESS = 'insufficient_access',
  TENANT_NOT_ACTIVE = 'tenant_not_active',
}
