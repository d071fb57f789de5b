/** API-key scope of a tenant's own audit trail. */
export const AUDIT_READ_SCOPE = 'audit:read';
