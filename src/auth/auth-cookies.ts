import { Injectable } from '@nestjs/common';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import { TENANT_SIGNATURE_COOKIE } from '../tenancy/tenancy.constants';
import { TenantSignature } from '../tenancy/tenant-signature.service';
import { ACCESS_TOKEN_COOKIE } from './auth.constants';

/**
 * The API's own cookies: HttpOnly (scripts never read them), Secure (browsers treat localhost as
 * secure, so this holds in development too), SameSite=Strict, whole site. Written by
 * `@fastify/cookie` (registered in bootstrap.ts).
 */
const COOKIE_OPTIONS: CookieSerializeOptions = { path: '/', httpOnly: true, secure: true, sameSite: 'strict' };

/**
 * Browser sessions: the access token in an HttpOnly cookie plus `tenant_sig`, which binds the
 * session's tenant, user and session version.
 */
@Injectable()
export class AuthCookies {
  constructor(private readonly signatures: TenantSignature) {}

  set(
    reply: FastifyReply,
    session: { accessToken: string; expiresIn: number; tenantId: string | null; userId: string; sessionVersion: number },
  ): void {
    const options = { ...COOKIE_OPTIONS, maxAge: session.expiresIn };
    void reply.setCookie(ACCESS_TOKEN_COOKIE, session.accessToken, options);
    if (session.tenantId) {
      void reply.setCookie(TENANT_SIGNATURE_COOKIE, this.signatures.sign(session.tenantId, session.userId, session.sessionVersion), options);
    } else {
      void reply.setCookie(TENANT_SIGNATURE_COOKIE, '', { ...COOKIE_OPTIONS, maxAge: 0 });
    }
  }

  clear(reply: FastifyReply): void {
    for (const name of [ACCESS_TOKEN_COOKIE, TENANT_SIGNATURE_COOKIE]) void reply.setCookie(name, '', { ...COOKIE_OPTIONS, maxAge: 0 });
  }
}
