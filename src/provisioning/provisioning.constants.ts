/** API-key scopes of the tenant's own account routes. */
export const ACCOUNT_READ_SCOPE = 'account:read';
export const ACCOUNT_WRITE_SCOPE = 'account:write';

/** Service accounts holding this may call the tenant lookup (routing webhooks to tenants). */
export const TENANTS_LOOKUP_SCOPE = 'tenants:lookup';
