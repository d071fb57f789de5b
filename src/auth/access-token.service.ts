import { Injectable } from '@nestjs/common';
// jose's own subpath entries: its root entry loads every JWE/JWK/JWKS module too (~9 MB resident
// here, docs/benchmarks.md) for the two functions we use.
import { JWTExpired } from 'jose/errors';
import { SignJWT } from 'jose/jwt/sign';
import { jwtVerify } from 'jose/jwt/verify';
import { AppConfig } from '../config/app-config';
import { SigningKeys } from '../config/signing-keys';
import type { MembershipRole } from '../generated/prisma/enums';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS, TOKEN_AUDIENCE, TOKEN_ISSUER } from './auth.constants';
import { AuthError, AuthErrorCode } from './auth.errors';

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

/**
 * Short-lived JWT access tokens, signed and verified by `jose`: HS256 only (the algorithm is pinned,
 * so `alg: none` and every other algorithm are refused), `typ` JWT if present, issuer and audience pinned,
 * `exp` and `iat` required, `iat` not in the future and not older than the token lifetime.
 */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly keys: SigningKeys,
    private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  sign(claims: AccessClaims): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ tid: claims.tenantId, role: claims.role, sv: claims.sessionVersion, sid: claims.sessionId, scp: claims.scopes })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(claims.userId)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(this.keys.accessToken);
  }

  async verify(token: string): Promise<AccessClaims> {
    let payload: Record<string, unknown>;
    try {
      const verified = await jwtVerify(token, this.keys.accessToken, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['exp', 'iat', 'sub'],
        // With maxTokenAge, jose also refuses an `iat` in the future (beyond the tolerance).
        maxTokenAge: this.ttlSeconds,
        clockTolerance: ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS,
      });
      // `typ` is optional in JWS; when present it must say JWT (jose's own `typ` option would require it).
      if (verified.protectedHeader.typ !== undefined && verified.protectedHeader.typ !== 'JWT') throw new Error('unexpected typ');
      payload = verified.payload;
    } catch (error) {
      throw new AuthError(AuthErrorCode.UNAUTHENTICATED, error instanceof JWTExpired ? 'Access token expired' : 'Invalid access token');
    }
    const { sub, tid, role, sv, sid, scp } = payload;
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
  }
}
