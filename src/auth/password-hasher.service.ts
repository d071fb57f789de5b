import { Injectable } from '@nestjs/common';

type Argon2 = typeof import('argon2');

/**
 * Password hashing. Unknown users are checked against a dummy hash so timing does not reveal them.
 * The native module loads on first use: only logins need it, start-up and memory do not pay for it.
 */
@Injectable()
export class PasswordHasher {
  private argon2?: Promise<Argon2>;
  private dummyHash?: Promise<string>;

  /** argon2id with the library's defaults (64 MiB, t=3, p=4): OWASP's recommended floor or above. */
  async hash(password: string): Promise<string> {
    const argon2 = await this.library();
    return argon2.hash(password, { type: argon2.argon2id });
  }

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
    this.argon2 ??= import('argon2');
    return this.argon2;
  }
}
