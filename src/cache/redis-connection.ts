import { Logger } from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';

/**
 * A connection to Redis (REDIS_URL) with the settings every use here shares: connect on first command (a
 * server without Redis up still starts), fail fast (callers have a fallback: the database for the
 * caches, the in-process counters for rate limits), errors logged as warnings. ioredis loads only
 * when used, so a server without REDIS_URL does not pay for it at start-up.
 */
export async function connectRedis(url: string, name: string, options: RedisOptions = {}): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    ...options,
  });
  const logger = new Logger('Redis');
  redis.on('error', (error: Error) => logger.warn({ err: error, connection: name }, 'redis connection error'));
  return redis;
}

export async function closeRedis(redis: Redis): Promise<void> {
  await redis.quit().catch(() => redis.disconnect());
}
