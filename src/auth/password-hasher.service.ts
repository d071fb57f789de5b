import { Injectable } from '@nestjs/common';
import { PASSWORD_HASH_OPTIONS } from './auth.constants';

type Argon2 = typeof import('@node-rs/argon2');

/**
 * Password hashing with argon2id (@node-rs/argon2: a prebuilt N-API module with no install script,
 * so it loads wherever npm installed it). Hashing runs on libuv's thread pool, off the event loop.
 * Unknown users are checked against a dummy hash so timing does not reveal them. The native module
 * loads on first use: only logins need it, start-up and memory do not pay for it.
 */
@Injectable()
export class PasswordHasher {
  private argon2?: Promise<Argon2>;
  private dummyHash?: Promise<string>;

  async hash(password: string): Promise<string> {
    const argon2 = await this.library();
    return argon2.hash(password, PASSWORD_HASH_OPTIONS);
  }

  /** Hashes made with other parameters (older ones included) verify too: the PHC string carries them. */
  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    const argon2 = await this.library();
    if (storedHash === undefined) {
      this.dummyHash ??= this.hash('not-a-real-password');
      await argon2.verify(await this.dummyHash, password);
      return false;
    }
    try {
      return await argon2.verify(storedHash, password);
    } catch {
      return false; // a malformed stored hash is a failed login, not a 500
    }
  }

  private library(): Promise<Argon2> {
    this.argon2 ??= import('@node-rs/argon2');
    return this.argon2;
  }
}
