import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { connectRedis } from './redis-connection';
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

/** Redis when REDIS_URL is set, else in-process. */
@Global()
@Module({
  providers: [
    {
      provide: VERSIONED_CACHE,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<VersionedCache> => {
        if (!config.REDIS_URL) return new InProcessVersionedCache();
        const redis = await connectRedis(config.REDIS_URL, 'cache');
        return new RedisVersionedCache(redis, config.REDIS_KEY_PREFIX, config.TENANT_LOOKUP_CACHE_TTL_SECONDS * VERSION_TTL_FACTOR);
      },
    },
    CacheLifecycle,
  ],
  exports: [VERSIONED_CACHE],
})
export class CacheModule {}
