import { Global, Module } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { FixedWindowMemoryStorage } from './fixed-window-memory-storage';
import { RedisThrottlerStorage } from './rate-limit-storage';
import { rateLimitThrottlers } from './rate-limit.throttlers';
import { RateLimiter } from './rate-limiter.service';

/**
 * Rate limits (docs/security.md): @nestjs/throttler's options and storage, counted in Redis when
 * REDIS_URL is set (shared by every instance), else in this process (fixed windows either way). RateLimitGuard is registered
 * by AuthModule, right after AccessGuard, because the tenant and key limits need the principal.
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, Reflector],
      useFactory: async (config: AppConfig, reflector: Reflector) => ({
        throttlers: rateLimitThrottlers(config, reflector),
        storage: config.REDIS_URL ? await RedisThrottlerStorage.connect(config.REDIS_URL, config.REDIS_KEY_PREFIX) : new FixedWindowMemoryStorage(),
      }),
    }),
  ],
  providers: [RateLimiter],
  exports: [RateLimiter],
})
export class RateLimitModule {}
