import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from './app-config';

/**
 * The keys that sign access tokens and the `tenant_sig` cookie. Production requires them in config
 * (validate-config.ts); elsewhere a missing key is replaced by a random one for this process, so
 * `npm start` works with no configuration. After a restart, access tokens and `tenant_sig` cookies
 * signed with the old key are refused; refresh tokens (stored, not signed) still work, so clients
 * refresh and carry on.
 */
export class SigningKeys {
  readonly accessToken: Uint8Array;
  readonly tenantCookie: Buffer;

  constructor(config: AppConfig) {
    this.accessToken = new TextEncoder().encode(config.JWT_SECRET ?? SigningKeys.ephemeral('JWT_SECRET'));
    this.tenantCookie = Buffer.from(config.TENANT_COOKIE_SECRET ?? SigningKeys.ephemeral('TENANT_COOKIE_SECRET'), 'utf8');
  }

  private static ephemeral(name: string): string {
    new Logger('Config').warn(`${name} is not set: using a random key for this process (access tokens and cookies stop working on restart)`);
    return randomBytes(32).toString('base64url');
  }
}
