import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy, ValidateIf } from 'class-validator';
import type { InputLimits } from '../common/http/input-limits';
import { parseTrustedProxies, TRUST_PROXY_RULE } from '../common/http/trusted-proxies';
import { IsKeyring } from './keyring-format';
import { Sensitive } from './sensitive.decorator';

/** Node clamps longer timers to 1 ms, which would cut every in-flight request off at once. */
const MAX_TIMER_MS = 2_147_483_647;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One origin as browsers send it: scheme, host, optional port; no path, no trailing slash, no wildcard. */
const ORIGIN = String.raw`https?://(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?`;
const ORIGIN_LIST = new RegExp(`^\\s*${ORIGIN}\\s*(?:,\\s*${ORIGIN}\\s*)*$`);

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

const IsTrustProxySetting = () =>
  ValidateBy({
    name: 'isTrustProxySetting',
    validator: { validate: (value) => typeof value === 'string' && parseTrustedProxies(value) !== null, defaultMessage: () => TRUST_PROXY_RULE },
  });

/** A request budget: at least one request, at most a million per window. */
const Budget = () => (target: object, key: string) => {
  Transform(toInt)(target, key);
  IsInt()(target, key);
  Min(1)(target, key);
  Max(1_000_000)(target, key);
};

/**
 * Every environment variable the service reads, with its default. Validated once at start-up
 * (validate-config.ts); `.env.example` and the README's table document the same list.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsString()
  HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** PostgreSQL connection string. Unset: the embedded database under EMBEDDED_DATA_DIR. */
  @Sensitive()
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgresql:// connection string' })
  // Everything lives in the `public` schema; a `schema=` parameter would be honoured by some tools
  // (prisma migrate) and not others (the application), splitting the history.
  @Matches(/^(?![^?]*\?(?:.*&)?schema=)/, { message: 'DATABASE_URL must not set schema= (the public schema is used)' })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE = 10;

  /** Where the embedded database keeps its files (used only without DATABASE_URL). */
  @IsString()
  EMBEDDED_DATA_DIR = '.data/pglite';

  /** Apply pending migrations at start-up on DATABASE_URL. The embedded database always does. */
  @Transform(toBool)
  @IsBoolean()
  MIGRATE_ON_START = false;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** Largest accepted request body; larger ones get 413. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  /** Deepest nesting of objects and arrays in a JSON body; deeper ones get 400 before parsing. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000)
  JSON_MAX_DEPTH = 64;

  /** Most keys of one object in a JSON body; more get 413 before validation (whose cost grows with the square). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  JSON_MAX_KEYS = 100;

  /** Most items of one array in a JSON body; more get 413. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  JSON_MAX_ARRAY_LENGTH = 1_000;

  /** Most values in one JSON body, all levels together (object members and array items); more get 413. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  JSON_MAX_VALUES = 2_000;

  /** Longest string in a JSON body, query or path, in UTF-16 code units; longer ones get 413. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  JSON_MAX_STRING_LENGTH = 10_000;

  /** How long in-flight requests may run after SIGTERM/SIGINT before the process exits anyway. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(MAX_TIMER_MS)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /** Serve Swagger UI at /docs and the OpenAPI document at /docs/openapi.json (public, no secrets). */
  @Transform(toBool)
  @IsBoolean()
  DOCS_ENABLED = true;

  /** Serve Prometheus metrics at /metrics (unauthenticated: keep it off the public listener). */
  @Transform(toBool)
  @IsBoolean()
  METRICS_ENABLED = true;

  /**
   * Signs access tokens (HMAC-SHA256). Required in production; elsewhere, when unset, a random key is
   * made per process (access tokens then do not survive a restart; clients refresh).
   */
  @Sensitive()
  @ValidateIf((config: AppConfig) => config.NODE_ENV === 'production' || config.JWT_SECRET !== undefined)
  @IsString({ message: 'JWT_SECRET is required when NODE_ENV=production' })
  @MinLength(32)
  JWT_SECRET?: string = undefined;

  /** Signs the `tenant_sig` cookie (HMAC-SHA256). Same rules as JWT_SECRET, and must differ from it. */
  @Sensitive()
  @ValidateIf((config: AppConfig) => config.NODE_ENV === 'production' || config.TENANT_COOKIE_SECRET !== undefined)
  @IsString({ message: 'TENANT_COOKIE_SECRET is required when NODE_ENV=production' })
  @MinLength(32)
  TENANT_COOKIE_SECRET?: string = undefined;

  /** Lifetime of an access token (JWT). */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  /** Lifetime of a refresh token; each refresh issues a new one with a fresh lifetime. */
  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(31_536_000)
  REFRESH_TOKEN_TTL_SECONDS = 2_592_000;

  /**
   * Redis for the tenant-lookup cache. Unset: an in-process cache (one server only; fine for the
   * embedded default, not for several instances behind a load balancer).
   */
  @Sensitive()
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string = undefined;

  /** Prefix of every Redis key this server writes (several deployments can share one Redis). */
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 of A-Z a-z 0-9 : _ -' })
  REDIS_KEY_PREFIX = 'tp:';

  /** How long a cached tenant lookup or storefront may live; changes invalidate them sooner. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  TENANT_LOOKUP_CACHE_TTL_SECONDS = 300;

  /** How long an agent's proposal waits for a human to confirm it before it expires (410). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(2_592_000)
  AGENT_PROPOSAL_TTL_SECONDS = 86_400;

  /**
   * Keys of the credentials vault (AES-256-GCM): `id:base64key` pairs separated by commas, each key
   * 32 bytes. The first encrypts; all decrypt (keep a retired key listed until
   * `npm run credentials:rotate-key` has re-encrypted everything under the new one). Required in
   * production; in development a generated key is kept under `.data/`, in tests a random one.
   */
  @Sensitive()
  @ValidateIf((config: AppConfig) => config.NODE_ENV === 'production' || config.CREDENTIALS_KEYS !== undefined)
  @IsString({ message: 'CREDENTIALS_KEYS is required when NODE_ENV=production (id:base64key pairs, e.g. k1:<32 bytes in base64>)' })
  @IsKeyring()
  CREDENTIALS_KEYS?: string = undefined;

  /** Base URL of Meta's Graph API (tests point it at a local fake server). */
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'META_GRAPH_URL must be an http(s) URL' })
  META_GRAPH_URL = 'https://graph.facebook.com';

  /** Graph API version used in request paths. */
  @Matches(/^v\d+\.\d+$/, { message: 'META_GRAPH_API_VERSION must look like v21.0' })
  META_GRAPH_API_VERSION = 'v21.0';

  /** How long a Graph API call may take before it is abandoned (504 to the caller). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  META_GRAPH_TIMEOUT_MS = 10_000;

  /** The Meta app's id (embedded signup exchanges codes for tokens as this app). */
  @IsOptional()
  @Matches(/^\d{1,32}$/, { message: 'META_APP_ID must be the numeric app id' })
  META_APP_ID?: string = undefined;

  /** The Meta app's secret: signs webhook deliveries (X-Hub-Signature-256) and authenticates code exchanges. */
  @Sensitive()
  @IsOptional()
  @IsString()
  @MinLength(16)
  META_APP_SECRET?: string = undefined;

  /** The platform's webhook verify token (Meta's dashboard, app level); tenants may have their own. */
  @Sensitive()
  @IsOptional()
  @IsString()
  @MinLength(16)
  WHATSAPP_VERIFY_TOKEN?: string = undefined;

  /** Public base URL of this service, used to show the webhook URL; unset: taken from the request. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+$/, { message: 'PUBLIC_BASE_URL must be scheme://host[:port] without a path' })
  PUBLIC_BASE_URL?: string = undefined;

  /** How long a stored idempotent response is replayed (Stripe: 24 h). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(604_800)
  IDEMPOTENCY_TTL_SECONDS = 86_400;

  /**
   * How long a request holding an idempotency key may run before another request with the same key
   * may take it over (a crashed process never releases its keys).
   */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(3_600)
  IDEMPOTENCY_LOCK_SECONDS = 120;

  /** How often expired idempotency keys are purged in the background; 0 turns it off (use the command). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  IDEMPOTENCY_PURGE_INTERVAL_SECONDS = 3_600;

  /** The JSON_MAX_* limits, as the body parser and the query check take them. */
  get inputLimits(): InputLimits {
    return { maxDepth: this.JSON_MAX_DEPTH, maxKeys: this.JSON_MAX_KEYS, maxArrayLength: this.JSON_MAX_ARRAY_LENGTH, maxStringLength: this.JSON_MAX_STRING_LENGTH, maxValues: this.JSON_MAX_VALUES };
  }

  /**
   * Proxies whose X-Forwarded-For names the client (comma-separated addresses, CIDR ranges,
   * `loopback`, `linklocal`, `uniquelocal`). `false`: the client is the socket's peer, and
   * X-Forwarded-For is ignored, since any client can write it.
   */
  @IsTrustProxySetting()
  TRUST_PROXY = 'false';

  /** Login attempts a minute from one client address for one account (Auth0 allows 20). */
  @Budget()
  RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE = 20;

  /** Login attempts a minute from one client address, whatever the accounts. */
  @Budget()
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE = 100;

  /** Signups an hour from one client address (each provisions a whole tenant). */
  @Budget()
  RATE_LIMIT_SIGNUP_PER_IP_PER_HOUR = 10;

  /** Token refreshes a minute from one client address. */
  @Budget()
  RATE_LIMIT_REFRESH_PER_IP_PER_MINUTE = 60;

  /** Storefront requests a minute from one client address that the cache cannot answer (unknown slugs). */
  @Budget()
  RATE_LIMIT_STOREFRONT_MISSES_PER_IP_PER_MINUTE = 60;

  /** Tenant API requests a minute per tenant, for tenants whose own `rateLimitPerMinute` is unset. */
  @Budget()
  RATE_LIMIT_TENANT_PER_MINUTE = 1200;

  /** Requests a minute per API key (on top of its tenant's limit). */
  @Budget()
  RATE_LIMIT_API_KEY_PER_MINUTE = 600;

  /**
   * Password hashes (argon2id, 19 MiB, one core each) computed at once; the rest wait in a queue.
   * One leaves the event loop a core on the smallest (2-core) machines; about 60 hashes a second.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  PASSWORD_HASH_CONCURRENCY = 1;

  /** Password checks that may wait for a hashing slot; beyond that, logins get 503 AUTH_BUSY at once. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  PASSWORD_HASH_QUEUE_LIMIT = 32;

  /**
   * Browser origins (comma-separated, e.g. `https://console.example.com`) that may call the API
   * cross-origin with credentials (CORS), and whose cookie-authenticated writes pass the CSRF check.
   * Unset: none; the API's own origin needs no entry.
   */
  @IsOptional()
  @Matches(ORIGIN_LIST, { message: 'CORS_ORIGINS must be comma-separated origins like https://console.example.com (lower-case scheme://host[:port], no path, no *)' })
  CORS_ORIGINS?: string = undefined;

  /** Most JSON-RPC messages one MCP request may carry (a batch); more is 429 MCP_BATCH_TOO_LARGE. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  AGENT_MCP_MAX_BATCH = 10;

  /** Most proposals a tenant may have waiting for a human; one more is 409 PENDING_PROPOSALS_LIMIT. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  AGENT_MAX_PENDING_PROPOSALS = 100;

  /** CORS_ORIGINS as a list. */
  get corsOrigins(): readonly string[] {
    // As browsers send them: `https://x.example:443` is `https://x.example`.
    return (this.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean).map((origin) => new URL(origin).origin);
  }

  get usesEmbeddedDatabase(): boolean {
    return !this.DATABASE_URL;
  }
}
