import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { CommonError, CommonErrorCode } from '../common/errors/common.errors';
import { MetricsService } from '../metrics/metrics.service';
import { RATE_LIMIT_HEADERS, RateLimitName } from './rate-limit.constants';

/** Where one request stands against one limit. */
export interface LimitOutcome {
  name: RateLimitName;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (or, once over, until the block ends). */
  resetSeconds: number;
}

/**
 * Counts requests against named limits in the ThrottlerStorage (Redis or in-process), answers 429
 * in the error envelope when one is exceeded, and writes the RateLimit-* headers. RateLimitGuard
 * calls it for the limits it resolves from @nestjs/throttler's options; the storefront calls it
 * directly for the requests its cache cannot answer.
 */
@Injectable()
export class RateLimiter {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * One hit on `name` for `tracker` (a client address, a tenant id...) in a fixed window of
   * `windowMs`. Over the limit, the tracker is refused for `blockMs` (default the window):
   * RATE_LIMITED with Retry-After and the headers of this limit.
   */
  async consume(reply: FastifyReply, name: RateLimitName, tracker: string, limit: number, windowMs: number, blockMs = windowMs): Promise<LimitOutcome> {
    const record = await this.storage.increment(storageKey(name, tracker), windowMs, limit, blockMs, name);
    if (record.isBlocked) {
      this.metrics.rateLimited(name);
      const retryAfter = Math.max(1, record.timeToBlockExpire);
      this.report(reply, [{ name, limit, remaining: 0, resetSeconds: retryAfter }]);
      throw new CommonError(CommonErrorCode.RATE_LIMITED, `Too many requests (${name} limit: ${limit}); retry in ${retryAfter} s`, undefined, {
        retryAfterSeconds: retryAfter,
      });
    }
    return { name, limit, remaining: Math.max(0, limit - record.totalHits), resetSeconds: Math.max(0, record.timeToExpire) };
  }

  /** Headers for the limit closest to running out (fewest remaining, then the longest wait). */
  report(reply: FastifyReply, outcomes: readonly LimitOutcome[]): void {
    const tightest = [...outcomes].sort((a, b) => a.remaining - b.remaining || b.resetSeconds - a.resetSeconds)[0];
    if (!tightest) return;
    void reply
      .header(RATE_LIMIT_HEADERS.limit, tightest.limit)
      .header(RATE_LIMIT_HEADERS.remaining, tightest.remaining)
      .header(RATE_LIMIT_HEADERS.reset, tightest.resetSeconds);
  }
}

/**
 * Trackers are hashed: Redis never holds a client address or an email. The limit's name is part
 * of the key because the in-process storage keeps one window per key.
 */
function storageKey(name: RateLimitName, tracker: string): string {
  return `${name}:${createHash('sha256').update(tracker).digest('base64url')}`;
}
