/** Request headers a listed origin may send cross-origin (beyond the CORS-safelisted ones). */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'if-none-match', 'x-request-id', 'x-operator-override', 'mcp-protocol-version', 'mcp-session-id'] as const;

/** Response headers a listed origin's scripts may read. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'etag', 'retry-after', 'mcp-session-id'] as const;

/** How long a browser may cache a preflight answer. */
export const CORS_MAX_AGE_SECONDS = 600;

/** Strict-Transport-Security in production: one year, subdomains included. */
export const HSTS_MAX_AGE_SECONDS = 31_536_000;
