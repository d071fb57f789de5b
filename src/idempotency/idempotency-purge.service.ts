import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { IdempotencyRepository } from './idempotency.repository';

/**
 * Deletes expired idempotency keys every IDEMPOTENCY_PURGE_INTERVAL_SECONDS (0: never; then run
 * `npm run idempotency:purge` from cron). Expired keys are already ignored by begin(), so a late purge
 * only costs disk. Several servers purging at once is harmless (a DELETE of the same rows).
 */
@Injectable()
export class IdempotencyPurgeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyPurgeService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: IdempotencyRepository,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.IDEMPOTENCY_PURGE_INTERVAL_SECONDS;
    if (seconds === 0) return;
    this.timer = setInterval(() => void this.purge(), seconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<{ tenantKeys: number; signupKeys: number } | undefined> {
    try {
      const purged = await this.repository.purgeExpired();
      if (purged.tenantKeys + purged.signupKeys > 0) this.logger.log(purged, 'purged expired idempotency keys');
      return purged;
    } catch (error) {
      this.logger.error({ err: error }, 'purging expired idempotency keys failed');
      return undefined;
    }
  }
}
