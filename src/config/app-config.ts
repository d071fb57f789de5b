import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
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

  /** How long in-flight requests may run after SIGTERM/SIGINT before the process exits anyway. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(MAX_TIMER_MS)
  SHUTDOWN_TIMEOUT_MS = 10_000;

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
