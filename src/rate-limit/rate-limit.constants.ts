/**
 * Every limit, by the name it has in the `rate_limit_rejections_total` metric, the Redis keys and
 * the OpenAPI `x-rate-limit` extension.
 */
export enum RateLimitName {
  /** Logins from one client address for one account (email). */
  LOGIN_ACCOUNT = 'login-account',
  /** Logins from one client address, any accounts: the looser cap behind the one above. */
  LOGIN_IP = 'login-ip',
  SIGNUP = 'signup',
  REFRESH = 'refresh',
  /** Storefront requests the cache could not answer (unknown slugs), per client address. */
  STOREFRONT_MISS = 'storefront-miss',
  /** Tenant API requests per tenant: the tenant's `rateLimitPerMinute`, else the platform default. */
  TENANT = 'tenant',
  API_KEY = 'api-key',
  /** Not a budget but a bounded queue: password checks refused (503) while argon2 is saturated. */
  PASSWORD_HASH_QUEUE = 'password-hash-queue',
}

/** The limits a route opts into with @RateLimit(); the tenant and API key limits apply by principal. */
export type RouteRateLimit = RateLimitName.LOGIN_ACCOUNT | RateLimitName.LOGIN_IP | RateLimitName.SIGNUP | RateLimitName.REFRESH;

export const ROUTE_RATE_LIMITS_METADATA = 'rate-limit:route';

/**
 * IETF draft-ietf-httpapi-ratelimit-headers (the RateLimit-Limit/-Remaining/-Reset fields, reset in
 * seconds), plus Retry-After on 429. Where several limits apply, the one closest to running out is
 * reported, as the draft asks.
 */
export const RATE_LIMIT_HEADERS = {
  limit: 'RateLimit-Limit',
  remaining: 'RateLimit-Remaining',
  reset: 'RateLimit-Reset',
  retryAfter: 'Retry-After',
} as const;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** Under REDIS_KEY_PREFIX: `<prefix>rl:{<limit>:<sha256 of the tracker>:<limit>}:hits` and `:blocked`. */
export const RATE_LIMIT_KEY_PREFIX = 'rl:';
