import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyPurgeService } from './idempotency-purge.service';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';

/**
 * Idempotency keys for every unsafe tenant route and signup. Imported after TenancyModule: its
 * interceptor must run after the tenant context is set.
 */
@Module({
  providers: [IdempotencyService, IdempotencyRepository, IdempotencyPurgeService, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
})
export class IdempotencyModule {}
