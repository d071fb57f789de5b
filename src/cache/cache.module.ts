import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { RedisVersionedCache } from './redis-versioned-cache';
import { InProcessVersionedCache, type VersionedCache } from './versioned-cache';

export const VERSIONED_CACHE = Symbol('VERSIONED_CACHE');

/** A version must outlive every entry written under it: a comfortable multiple of the entry TTL. */
const VERSION_TTL_FACTOR = 4;

/** Closes the cache's connection when the application stops. */
@Injectable()
class CacheLifecycle implements OnApplicationShutdown {
  constructor(@Inject(VERSIONED_CACHE) private readonly cache: VersionedCache) {}

  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }
}

/**
 * Redis when REDIS_URL is set, else in-process. ioredis loads only when used, so a server without
 * Redis does not pay for it at start-up.
 */
@Global()
@Module({
  providers: [
    {
      provide: VERSIONED_CACHE,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<VersionedCache> => {
        if (!config.REDIS_URL) return new InProcessVersionedCache();
        const { Redis } = await import('ioredis');
        const redis = new Redis(config.REDIS_URL, {
          lazyConnect: true,
          // A cache must fail fast: callers fall back to the database.
          maxRetriesPerRequest: 1,
          connectTimeout: 2_000,
          commandTimeout: 1_000,
        });
        const logger = new Logger('Redis');
        redis.on('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));
        return new RedisVersionedCache(redis, config.REDIS_KEY_PREFIX, config.TENANT_LOOKUP_CACHE_TTL_SECONDS * VERSION_TTL_FACTOR);
      },
    },
    CacheLifecycle,
  ],
  exports: [VERSIONED_CACHE],
})
export class CacheModule {}
