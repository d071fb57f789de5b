import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SigningKeys } from '../config/signing-keys';
import type { MembershipRole } from '../generated/prisma/enums';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './auth.constants';
import { AuthError, AuthErrorCode } from './auth.errors';
import { JwtError, signHs256, verifyHs256 } from './hs256-jwt';

/** What an access token says. Every claim is checked against live data on use (CredentialService). */
export interface AccessClaims {
  userId: string;
  tenantId: string | null;
  role: MembershipRole | null;
  sessionVersion: number;
  sessionId: string;
  scopes: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Short-lived JWT access tokens (HS256, issuer and audience pinned; see hs256-jwt.ts). */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly keys: SigningKeys,
    private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  sign(claims: AccessClaims): string {
    const now = Math.floor(Date.now() / 1000);
    return signHs256(
      {
        iss: TOKEN_ISSUER,
        aud: TOKEN_AUDIENCE,
        sub: claims.userId,
        iat: now,
        exp: now + this.ttlSeconds,
        tid: claims.tenantId,
        role: claims.role,
        sv: claims.sessionVersion,
        sid: claims.sessionId,
        scp: claims.scopes,
      },
      this.keys.accessToken,
    );
  }

  verify(token: string): AccessClaims {
    try {
      const { sub, tid, role, sv, sid, scp } = verifyHs256(token, this.keys.accessToken, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
      const valid =
        typeof sub === 'string' &&
        UUID.test(sub) &&
        (tid === null || (typeof tid === 'string' && UUID.test(tid))) &&
        typeof sv === 'number' &&
        Number.isInteger(sv) &&
        typeof sid === 'string' &&
        UUID.test(sid) &&
        Array.isArray(scp) &&
        scp.every((scope) => typeof scope === 'string');
      if (!valid) throw new AuthError(AuthErrorCode.UNAUTHENTICATED, 'Invalid access token');
      return { userId: sub, tenantId: tid, role: (role ?? null) as MembershipRole | null, sessionVersion: sv, sessionId: sid, scopes: scp };
    } catch (error) {
      if (error instanceof AuthError) throw error;
      const expired = error instanceof JwtError && error.reason === 'expired';
      throw new AuthError(AuthErrorCode.UNAUTHENTICATED, expired ? 'Access token expired' : 'Invalid access token');
    }
  }
}
