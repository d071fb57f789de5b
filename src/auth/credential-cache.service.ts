import { Inject, Injectable, Logger } from '@nestjs/common';
import { VERSIONED_CACHE } from '../cache/cache.module';
import type { VersionedCache } from '../cache/versioned-cache';
import { AppConfig } from '../config/app-config';
import { API_KEY_CACHE_TTL_SECONDS, LAST_USED_WRITE_INTERVAL_MS } from './auth.constants';

/** What authentication needs of a tenant API key (its tenant's state is cached apart: TenantLookupService.state()). */
export interface CachedApiKey {
  id: string;
  tenantId: string;
  secretHash: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Keys whose last `lastUsedAt` write this process remembers; the oldest is forgotten first. */
const MAX_REMEMBERED_USES = 10_000;

/**
 * The API-key look-up, cache-aside in the versioned cache (src/cache: Redis shared by every replica
 * when REDIS_URL is set, else in process). Revoking or rotating a key calls invalidateApiKey() after
 * the change commits; the versioned cache then serves no entry read before it, on any replica, so
 * the very next request is refused. A cache that cannot be reached is skipped: the database answers.
 */
@Injectable()
export class CredentialCache {
  private readonly logger = new Logger(CredentialCache.name);
  /** publicId → when this process last wrote (or saw) the key's lastUsedAt. */
  private readonly lastUse = new Map<string, number>();
  /** Never longer than a version lives in the cache (CacheModule: 4 × the lookup TTL). */
  private readonly ttlSeconds: number;

  constructor(
    @Inject(VERSIONED_CACHE) private readonly cache: VersionedCache,
    config: AppConfig,
  ) {
    this.ttlSeconds = Math.min(API_KEY_CACHE_TTL_SECONDS, config.TENANT_LOOKUP_CACHE_TTL_SECONDS);
  }

  /** The key `publicId` names; `load` reads it from the database on a miss. Unknown ids are not cached. */
  async apiKey(publicId: string, load: () => Promise<CachedApiKey | null>): Promise<CachedApiKey | null> {
    const key = cacheKey(publicId);
    const cached = await this.cache.read(key).catch((error: unknown) => this.failed(error, 'read'));
    if (cached?.value !== undefined) return revive(JSON.parse(cached.value) as Stored);
    const row = await load();
    if (row) {
      this.remember(publicId, row.lastUsedAt?.getTime() ?? 0);
      // Under the version read before the database: an invalidation in between makes it unservable.
      if (cached) await this.cache.write(key, cached.version, JSON.stringify(row), this.ttlSeconds).catch((error: unknown) => this.failed(error, 'write'));
    }
    return row;
  }

  /** After a committed revoke or rotation: no replica serves the old row again. */
  async invalidateApiKey(publicId: string): Promise<void> {
    try {
      await this.cache.invalidate([cacheKey(publicId)]);
    } catch (error) {
      // Replicas that cannot reach the cache read the database; one that still can would serve the
      // old row until the TTL: loud, because it matters.
      this.logger.error({ err: error }, 'API key cache invalidation failed');
    }
  }

  /**
   * Whether to write the key's lastUsedAt now: at most once a LAST_USED_WRITE_INTERVAL_MS per key
   * and process (the cached row's lastUsedAt does not move, so it cannot decide).
   */
  shouldRecordUse(publicId: string, now: number): boolean {
    const last = this.lastUse.get(publicId);
    if (last !== undefined && now - last <= LAST_USED_WRITE_INTERVAL_MS) return false;
    this.remember(publicId, now);
    return true;
  }

  private remember(publicId: string, at: number): void {
    this.lastUse.delete(publicId);
    if (this.lastUse.size >= MAX_REMEMBERED_USES) this.lastUse.delete(this.lastUse.keys().next().value!);
    this.lastUse.set(publicId, at);
  }

  private failed(error: unknown, operation: string): undefined {
    this.logger.warn({ err: error, operation }, 'API key cache unavailable; using the database');
    return undefined;
  }
}

type Stored = Omit<CachedApiKey, 'expiresAt' | 'revokedAt' | 'lastUsedAt'> & { expiresAt: string | null; revokedAt: string | null; lastUsedAt: string | null };

function revive(stored: Stored): CachedApiKey {
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return { ...stored, expiresAt: date(stored.expiresAt), revokedAt: date(stored.revokedAt), lastUsedAt: date(stored.lastUsedAt) };
}

function cacheKey(publicId: string): string {
  return `auth:api-key:${publicId}`;
}
