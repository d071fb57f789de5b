import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { MINUTE_MS } from './rate-limit.constants';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One key's window: hits counted since `expiresAt - ttl`, and the block it may be under. */
interface Window {
  hits: number;
  expiresAt: number;
  blockedUntil: number;
}

/**
 * Rate-limit counters in this process, in fixed windows: the arithmetic of the Redis storage's Lua
 * script (@nest-lab/throttler-storage-redis: INCR, PEXPIRE on the first hit, a block key once over
 * the limit), so a limit counts the same with and without REDIS_URL. Keys are not capped, as in the
 * library's storage: evicting counters would let a client reset its own by flooding others; windows
 * that ended are swept every minute.
 *
 * Why not @nestjs/throttler's own ThrottlerStorageService: since 6.6 it keeps one expiry time per
 * hit and filters the whole list on every hit (a sliding log). Its cost per request grows with the
 * limit and the rate: under a limit of 1,000,000 a minute at 1,000 req/s, every request copies
 * 60,000 numbers per limit, and bench/isolation measured the server's CPU per request rising round
 * after round with it (docs/benchmarks.md, "The in-process rate-limit storage"). Here a hit is one
 * Map read and a few additions, whatever the limit.
 */
export class FixedWindowMemoryStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();
  private sweeper?: NodeJS.Timeout;

  /** How many keys are held (expired ones are dropped by the next sweep). */
  get size(): number {
    return this.windows.size;
  }

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    this.sweeper ??= setInterval(() => this.sweep(), MINUTE_MS).unref();
    const now = Date.now();
    const id = `${key}:${throttlerName}`;
    let window = this.windows.get(id);
    if (!window) {
      window = { hits: 0, expiresAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, window);
    } else if (window.expiresAt <= now) {
      window.hits = 0;
      window.expiresAt = now + ttl;
    }
    window.hits += 1;
    let blockLeft = window.blockedUntil - now;
    let isBlocked = blockLeft > 0;
    if (!isBlocked && window.hits > limit) {
      // Without a block of its own length (blockDuration 0) a key over its limit is refused until its
      // window ends. (The Redis script cannot take 0 either: SET ... PX 0 is an error there, and the
      // hit then falls back to this storage.)
      window.blockedUntil = blockDuration > 0 ? now + blockDuration : window.expiresAt;
      blockLeft = window.blockedUntil - now;
      isBlocked = true;
    }
    return Promise.resolve({
      totalHits: window.hits,
      timeToExpire: Math.ceil((window.expiresAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil(blockLeft / 1000) : 0,
    });
  }

  /** Drops the windows that have ended and hold no block, so idle keys do not accumulate. */
  sweep(now = Date.now()): void {
    for (const [id, window] of this.windows) {
      if (window.expiresAt <= now && window.blockedUntil <= now) this.windows.delete(id);
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.windows.clear();
  }
}
