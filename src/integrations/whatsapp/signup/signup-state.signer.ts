import { Injectable } from '@nestjs/common';
import { hkdfSync } from 'node:crypto';
import { TOKEN_ISSUER } from '../../../auth/auth.constants';
// jose's subpath entries, as AccessTokenService (its root loads every JWE/JWK module too).
import { JOSEError, JWTExpired } from 'jose/errors';
import { SignJWT } from 'jose/jwt/sign';
import { jwtVerify } from 'jose/jwt/verify';
import { ACCESS_TOKEN_ALGORITHM } from '../../../auth/auth.constants';
import { SigningKeys } from '../../../config/signing-keys';
import { SIGNUP_STATE_AUDIENCE, SIGNUP_STATE_KEY_INFO, SIGNUP_STATE_TTL_SECONDS } from '../../integrations.constants';
import { IntegrationsError, IntegrationsErrorCode } from '../../integrations.errors';

/** What a state binds: the tenant, the principal who started the signup, and the row's id (the nonce). */
export interface SignupStateClaims {
  tenantId: string;
  principalId: string;
  nonce: string;
  expiresAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The embedded signup's `state`: an HS256 JWT (signed and verified by jose, algorithm pinned) under a key
 * derived with HKDF from the access-token key, with its own audience. The signature makes it
 * unforgeable and the claims say whose it is; single use is the row's (`usedAt`), not the token's.
 */
@Injectable()
export class SignupStateSigner {
  private readonly key: Uint8Array;

  constructor(keys: SigningKeys) {
    this.key = new Uint8Array(hkdfSync('sha256', keys.accessToken, new Uint8Array(0), SIGNUP_STATE_KEY_INFO, 32));
  }

  async sign(claims: Omit<SignupStateClaims, 'expiresAt'>, now = Date.now()): Promise<{ state: string; expiresAt: Date }> {
    const iat = Math.floor(now / 1000);
    const exp = iat + SIGNUP_STATE_TTL_SECONDS;
    const state = await new SignJWT({ tid: claims.tenantId })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(SIGNUP_STATE_AUDIENCE)
      .setSubject(claims.principalId)
      .setJti(claims.nonce)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { state, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a state this platform signed; 400 SIGNUP_STATE_INVALID or SIGNUP_STATE_EXPIRED otherwise. */
  async verify(state: string): Promise<SignupStateClaims> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(state, this.key, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: SIGNUP_STATE_AUDIENCE,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      }));
    } catch (error) {
      if (error instanceof JWTExpired) throw expired();
      if (error instanceof JOSEError) throw invalid();
      throw error;
    }
    const { sub, tid, jti, exp } = payload;
    if (typeof sub !== 'string' || typeof tid !== 'string' || typeof jti !== 'string' || ![sub, tid, jti].every((id) => UUID.test(id))) throw invalid();
    return { tenantId: tid, principalId: sub, nonce: jti, expiresAt: new Date((exp as number) * 1000) };
  }
}

export function invalid(message = 'This signup state is not valid here; start the signup again'): IntegrationsError {
  return new IntegrationsError(IntegrationsErrorCode.SIGNUP_STATE_INVALID, message);
}

export function expired(): IntegrationsError {
  return new IntegrationsError(IntegrationsErrorCode.SIGNUP_STATE_EXPIRED, 'This signup state has expired; start the signup again');
}
