import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { once } from 'node:events';
import { closeRedis, connectRedis } from '../cache/redis-connection';
import { FixedWindowMemoryStorage } from './fixed-window-memory-storage';
import { RATE_LIMIT_KEY_PREFIX } from './rate-limit.constants';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How long start-up waits for the connection before counting in-process until it is up. */
const READY_WAIT_MS = 2_000;

/** A Redis outage is logged at most this often, not once per request. */
const OUTAGE_LOG_INTERVAL_MS = 10_000;

/**
 * Counters shared by every instance through Redis (@nest-lab/throttler-storage-redis: one atomic Lua
 * script per hit), on a connection of their own whose ioredis `keyPrefix` puts every key under
 * REDIS_KEY_PREFIX. If Redis fails, the hit is counted in this process instead (FixedWindowMemoryStorage), so limits degrade to per-instance rather than vanishing or failing requests.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  private readonly fallback = new FixedWindowMemoryStorage();
  private lastOutageLog = 0;

  private constructor(
    private readonly redis: Redis,
    private readonly shared: ThrottlerStorage,
  ) {}

  static async connect(url: string, keyPrefix: string): Promise<RedisThrottlerStorage> {
    const redis = await connectRedis(url, 'rate-limits', {
      keyPrefix: `${keyPrefix}${RATE_LIMIT_KEY_PREFIX}`,
      // Connect now and never queue: while Redis is away a hit fails over at once instead of
      // holding the request for a reconnection attempt.
      lazyConnect: false,
      enableOfflineQueue: false,
    });
    // A moment for the connection, so the first requests count in Redis too; a Redis that is down
    // (an 'error' event) or slow does not hold the start-up.
    await Promise.race([once(redis, 'ready'), new Promise((resolve) => setTimeout(resolve, READY_WAIT_MS).unref())]).catch(() => undefined);
    // Loaded only with REDIS_URL: the library requires ioredis at import.
    const { ThrottlerStorageRedisService } = await import('@nest-lab/throttler-storage-redis');
    return new RedisThrottlerStorage(redis, new ThrottlerStorageRedisService(redis));
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    try {
      return await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      if (Date.now() - this.lastOutageLog > OUTAGE_LOG_INTERVAL_MS) {
        this.lastOutageLog = Date.now();
        this.logger.error({ err: error }, 'rate limit counters unavailable in Redis; counting in this process only');
      }
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.fallback.onApplicationShutdown();
    await closeRedis(this.redis);
  }
}
