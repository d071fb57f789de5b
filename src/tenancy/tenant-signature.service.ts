import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SigningKeys } from '../config/signing-keys';

/** Version prefix, so the signed message's layout can change without accepting old cookies wrongly. */
const VERSION = 'v1';

/**
 * The `tenant_sig` cookie: HMAC-SHA256 over tenant, user and session version. A browser session
 * carries it next to its token; a cookie naming another tenant, user or an older session fails.
 */
@Injectable()
export class TenantSignature {
  constructor(private readonly keys: SigningKeys) {}

  sign(tenantId: string, userId: string, sessionVersion: number): string {
    return `${VERSION}.${this.mac(tenantId, userId, sessionVersion).toString('base64url')}`;
  }

  verify(cookie: string | undefined, tenantId: string, userId: string, sessionVersion: number): boolean {
    if (!cookie?.startsWith(`${VERSION}.`)) return false;
    const given = Buffer.from(cookie.slice(VERSION.length + 1), 'base64url');
    const expected = this.mac(tenantId, userId, sessionVersion);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(tenantId: string, userId: string, sessionVersion: number): Buffer {
    // Fields are fixed-format (UUIDs, an integer), so a separator cannot be smuggled into one.
    return createHmac('sha256', this.keys.tenantCookie).update(`${VERSION}|${tenantId}|${userId}|${sessionVersion}`).digest();
  }
}
