import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { serializeCookie } from '../common/http/cookies';
import { TENANT_SIGNATURE_COOKIE } from '../tenancy/tenancy.constants';
import { TenantSignature } from '../tenancy/tenant-signature.service';
import { ACCESS_TOKEN_COOKIE } from './auth.constants';

/**
 * Browser sessions: the access token in an HttpOnly cookie plus `tenant_sig`, which binds the
 * session's tenant, user and session version. Both are Secure and SameSite=Strict.
 */
@Injectable()
export class AuthCookies {
  constructor(private readonly signatures: TenantSignature) {}

  set(
    reply: FastifyReply,
    session: { accessToken: string; expiresIn: number; tenantId: string | null; userId: string; sessionVersion: number },
  ): void {
    const cookies = [serializeCookie(ACCESS_TOKEN_COOKIE, session.accessToken, { maxAgeSeconds: session.expiresIn })];
    cookies.push(
      session.tenantId
        ? serializeCookie(TENANT_SIGNATURE_COOKIE, this.signatures.sign(session.tenantId, session.userId, session.sessionVersion), {
            maxAgeSeconds: session.expiresIn,
          })
        : serializeCookie(TENANT_SIGNATURE_COOKIE, '', { maxAgeSeconds: 0 }),
    );
    void reply.header('set-cookie', cookies);
  }

  clear(reply: FastifyReply): void {
    void reply.header('set-cookie', [
      serializeCookie(ACCESS_TOKEN_COOKIE, '', { maxAgeSeconds: 0 }),
      serializeCookie(TENANT_SIGNATURE_COOKIE, '', { maxAgeSeconds: 0 }),
    ]);
  }
}
