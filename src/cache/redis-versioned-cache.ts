import type { Redis } from 'ioredis';
import { packEntry, unpackEntry, type VersionedCache } from './versioned-cache';

/**
 * VersionedCache in Redis, shared by every instance. Keys: `<prefix>v:<key>` holds the version
 * (INCR), `<prefix>e:<key>` the entry. A version key outlives any entry written under it, so an
 * expired version can only reset once no entry of the old numbering is left.
 */
export class RedisVersionedCache implements VersionedCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly versionTtlSeconds: number,
  ) {}

  async read(key: string) {
    const [version, entry] = await this.redis.mget(this.versionKey(key), this.entryKey(key));
    const current = version ?? '0';
    return { version: current, value: unpackEntry(entry, current) };
  }

  async write(key: string, version: string, value: string, ttlSeconds: number) {
    await this.redis.set(this.entryKey(key), packEntry(version, value), 'EX', ttlSeconds);
  }

  async invalidate(keys: readonly string[]) {
    if (!keys.length) return;
    const pipeline = this.redis.multi();
    for (const key of keys) {
      pipeline.incr(this.versionKey(key));
      pipeline.expire(this.versionKey(key), this.versionTtlSeconds);
      pipeline.del(this.entryKey(key));
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis transaction was discarded');
  }

  async close() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private versionKey(key: string) {
    return `${this.prefix}v:${key}`;
  }

  private entryKey(key: string) {
    return `${this.prefix}e:${key}`;
  }
}
