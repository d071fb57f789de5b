/**
 * Request headers a listed origin may send cross-origin (beyond the CORS-safelisted ones): every
 * header the API reads, so a console on another origin can do what the SDK does (idempotent retries included).
 */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'idempotency-key',
  'if-none-match',
  'x-request-id',
  'x-operator-override',
  'mcp-protocol-version',
  'mcp-session-id',
] as const;

/** Response headers a listed origin's scripts may read: the ones the API documents for callers to act on. */
export const CORS_EXPOSED_HEADERS = [
  'x-request-id',
  'etag',
  'retry-after',
  'idempotent-replayed',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'mcp-session-id',
] as const;

/** How long a browser may cache a preflight answer. */
export const CORS_MAX_AGE_SECONDS = 600;

/** Strict-Transport-Security in production: one year, subdomains included. */
export const HSTS_MAX_AGE_SECONDS = 31_536_000;
