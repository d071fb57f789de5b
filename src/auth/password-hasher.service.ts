import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { RateLimitName } from '../rate-limit/rate-limit.constants';
import { PASSWORD_HASH_BUSY_RETRY_SECONDS, PASSWORD_HASH_OPTIONS } from './auth.constants';
import { AuthError, AuthErrorCode } from './auth.errors';
import { BoundedConcurrency } from './bounded-concurrency';

type Argon2 = typeof import('@node-rs/argon2');

/**
 * Password hashing with argon2id (@node-rs/argon2: a prebuilt N-API module with no install script,
 * so it loads wherever npm installed it). Hashing runs on libuv's thread pool, off the event loop,
 * at most PASSWORD_HASH_CONCURRENCY at once, with up to PASSWORD_HASH_QUEUE_LIMIT more waiting: a
 * login flood then costs a bounded amount of CPU and memory (19 MiB per hash), and what does not
 * fit is refused at once with 503 AUTH_BUSY, without hashing. Unknown users are checked against a
 * dummy hash so timing does not reveal them. The native module loads on first use: only logins
 * need it, start-up and memory do not pay for it.
 */
@Injectable()
export class PasswordHasher {
  private argon2?: Promise<Argon2>;
  private dummyHash?: Promise<string>;
  private readonly queue: BoundedConcurrency;

  // Optional so that tools and test fixtures can hash with `new PasswordHasher()`.
  constructor(@Optional() config?: AppConfig, @Optional() private readonly metrics?: MetricsService) {
    const defaults = new AppConfig();
    this.queue = new BoundedConcurrency(
      config?.PASSWORD_HASH_CONCURRENCY ?? defaults.PASSWORD_HASH_CONCURRENCY,
      config?.PASSWORD_HASH_QUEUE_LIMIT ?? defaults.PASSWORD_HASH_QUEUE_LIMIT,
    );
  }

  hash(password: string): Promise<string> {
    return this.limited((argon2) => argon2.hash(password, PASSWORD_HASH_OPTIONS));
  }

  /** Hashes made with other parameters (older ones included) verify too: the PHC string carries them. */
  verify(storedHash: string | undefined, password: string): Promise<boolean> {
    return this.limited(async (argon2) => {
      if (storedHash === undefined) {
        // Made once per process, outside the queue (a refused first attempt must not poison it).
        this.dummyHash ??= argon2.hash('not-a-real-password', PASSWORD_HASH_OPTIONS);
        await argon2.verify(await this.dummyHash, password);
        return false;
      }
      try {
        return await argon2.verify(storedHash, password);
      } catch {
        return false; // a malformed stored hash is a failed login, not a 500
      }
    });
  }

  private async limited<T>(work: (argon2: Argon2) => Promise<T>): Promise<T> {
    const queued = this.queue.run(async () => work(await this.library()));
    if (!queued) {
      this.metrics?.rateLimited(RateLimitName.PASSWORD_HASH_QUEUE);
      throw new AuthError(AuthErrorCode.AUTH_BUSY, 'Too many sign-ins in progress; try again in a moment', undefined, {
        retryAfterSeconds: PASSWORD_HASH_BUSY_RETRY_SECONDS,
      });
    }
    return queued;
  }

  private library(): Promise<Argon2> {
    this.argon2 ??= import('@node-rs/argon2');
    return this.argon2;
  }
}
