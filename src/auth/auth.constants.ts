/** Cookie carrying the access token for browser sessions (HttpOnly; see AuthCookies). */
export const ACCESS_TOKEN_COOKIE = 'access_token';

/** Platform scopes of operator users. `support:*` is any scope starting with `support:`. */
export const PLATFORM_OPERATOR_SCOPE = 'platform:operator';
export const SUPPORT_SCOPE_PREFIX = 'support:';
/** Read-only operator: every operator route not marked `write`. */
export const SUPPORT_READ_SCOPE = 'support:read';
/** The platform scopes `npm run operators:grant` hands out (the access guard knows no others). */
export const PLATFORM_SCOPES = [PLATFORM_OPERATOR_SCOPE, SUPPORT_READ_SCOPE] as const;

/** API keys created without explicit scopes get this one: full access to their tenant's API. */
export const API_KEY_WILDCARD_SCOPE = '*';

/** Scopes the tenant-scoped routes of this module require from API keys. */
export const API_KEYS_READ_SCOPE = 'api-keys:read';
export const API_KEYS_WRITE_SCOPE = 'api-keys:write';

/**
 * argon2id with OWASP's first recommended setting (Password Storage Cheat Sheet): 19 MiB, two
 * passes, one lane. `algorithm: 2` is Algorithm.Argon2id, a const enum the compiler cannot inline
 * across modules.
 */
export const PASSWORD_HASH_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Retry-After of a login refused because the password-hashing queue is full. */
export const PASSWORD_HASH_BUSY_RETRY_SECONDS = 1;

/** MEMBER < ADMIN < OWNER. */
export const ROLE_RANK = { MEMBER: 1, ADMIN: 2, OWNER: 3 } as const;

/** JWT fields that identify this service's tokens. */
export const TOKEN_ISSUER = 'tenant-platform';
export const TOKEN_AUDIENCE = 'tenant-platform-api';
/** The one algorithm access tokens are signed and accepted with (HMAC-SHA256, key JWT_SECRET). */
export const ACCESS_TOKEN_ALGORITHM = 'HS256';
/** Tolerated difference between our clock and the signer's (the signer is us, so small). */
export const ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS = 5;

/** A key's `lastUsedAt` is written at most this often, so authentication is not a write per request. */
export const LAST_USED_WRITE_INTERVAL_MS = 60_000;

/**
 * Longest life of a cached API-key row (CredentialCache). Revocation and rotation invalidate it at
 * once; the TTL only bounds what a cache that missed an invalidation (Redis down then) could serve.
 */
export const API_KEY_CACHE_TTL_SECONDS = 60;

/** Methods that change state: with a session cookie they must pass the CSRF check (CsrfPolicy). */
export const CSRF_CHECKED_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
