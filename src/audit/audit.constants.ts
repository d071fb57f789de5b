/** API-key scope of a tenant's own audit trail. */
export const AUDIT_READ_SCOPE = 'audit:read';

/** Refused operator overrides recorded per source (principal or client address) per minute; the rest are counted. */
export const AUDIT_THROTTLE_PER_MINUTE = 10;
export const AUDIT_THROTTLE_WINDOW_MS = 60_000;
/** Sources the throttle remembers at once (its memory bound). */
export const AUDIT_THROTTLE_MAX_SOURCES = 10_000;
