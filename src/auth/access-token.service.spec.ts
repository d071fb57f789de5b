import { createHmac, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT, UnsecuredJWT } from 'jose';
import { AppConfig } from '../config/app-config';
import { SigningKeys } from '../config/signing-keys';
import { AccessTokenService, type AccessClaims } from './access-token.service';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './auth.constants';
import { AuthError } from './auth.errors';

const SECRET = 'k'.repeat(40);
const key = new TextEncoder().encode(SECRET);
const config = Object.assign(new AppConfig(), { JWT_SECRET: SECRET, TENANT_COOKIE_SECRET: 'c'.repeat(40) });
const tokens = new AccessTokenService(new SigningKeys(config), config);
const claims: AccessClaims = { userId: randomUUID(), tenantId: randomUUID(), role: 'OWNER', sessionVersion: 3, sessionId: randomUUID(), scopes: ['support:read'] };
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with `key` unless told otherwise, with our claims and any field replaced. */
function forge(changes: { header?: Record<string, unknown>; payload?: Record<string, unknown>; key?: Uint8Array } = {}): Promise<string> {
  const issuedAt = now();
  const payload = { iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: claims.userId, iat: issuedAt, exp: issuedAt + 60, tid: claims.tenantId, role: claims.role, sv: claims.sessionVersion, sid: claims.sessionId, scp: claims.scopes, ...changes.payload };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name as keyof typeof payload];
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...changes.header }).sign(changes.key ?? key);
}

/** jose will not sign a header it would refuse, so this one is put together by hand. */
function handSigned(header: object, payload: object): string {
  const body = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

const outcome = (token: string) =>
  tokens.verify(token).then(
    () => 'accepted',
    (error: unknown) => (error instanceof AuthError ? `${error.code}: ${error.message}` : `unexpected ${String(error)}`),
  );

describe('AccessTokenService (jose)', () => {
  it('signs HS256 tokens with the claims, issuer, audience and lifetime, and reads them back', async () => {
    const token = await tokens.sign(claims);
    const { payload, protectedHeader } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: claims.userId, tid: claims.tenantId, role: 'OWNER', sv: 3, sid: claims.sessionId, scp: ['support:read'] });
    expect(payload.exp! - payload.iat!).toBe(config.ACCESS_TOKEN_TTL_SECONDS);
    await expect(tokens.verify(token)).resolves.toEqual(claims);
    await expect(tokens.verify(await forge({ payload: { tid: null, role: null } }))).resolves.toMatchObject({ tenantId: null, role: null });
  });

  it('refuses a wrong key, a tampered payload, alg none and every other algorithm', async () => {
    const token = await tokens.sign(claims);
    const [header, , signature] = token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: randomUUID() })).toString('base64url')}.${signature}`;
    const unsecured = new UnsecuredJWT({ sub: claims.userId, tid: claims.tenantId }).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('1m').encode();
    const cases = {
      wrongKey: await forge({ key: new TextEncoder().encode('x'.repeat(40)) }),
      tampered,
      algNone: unsecured,
      hs512: await forge({ header: { alg: 'HS512' }, key: new TextEncoder().encode('k'.repeat(64)) }),
      hs384: await forge({ header: { alg: 'HS384' } }),
      wrongTyp: await forge({ header: { typ: 'at+jwt' } }),
      unknownCritical: handSigned({ alg: 'HS256', typ: 'JWT', crit: ['x-ext'], 'x-ext': 1 }, JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as object),
    };
    // The hand-made token is refused for its `crit` alone: the same without it passes.
    expect(await outcome(handSigned({ alg: 'HS256', typ: 'JWT' }, JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as object))).toBe('accepted');
    for (const [name, bad] of Object.entries(cases)) expect({ name, outcome: await outcome(bad) }).toEqual({ name, outcome: 'UNAUTHENTICATED: Invalid access token' });
    for (const garbage of ['', 'a.b', 'a.b.c.d', '....', `${header}.!!.${signature}`]) expect(await outcome(garbage)).toBe('UNAUTHENTICATED: Invalid access token');
  });

  it('checks expiry (with a few seconds of tolerance), issue time, issuer, audience and required claims', async () => {
    expect(await outcome(await forge({ payload: { exp: now() - 10 } }))).toBe('UNAUTHENTICATED: Access token expired');
    expect(await outcome(await forge({ payload: { exp: now() - 2 } }))).toBe('accepted');
    expect(await outcome(await forge({ header: { typ: undefined } }))).toBe('accepted');
    expect(await outcome(await forge({ payload: { iat: now() + 3600, exp: now() + 3660 } }))).toBe('UNAUTHENTICATED: Invalid access token');
    expect(await outcome(await forge({ payload: { iat: now() - config.ACCESS_TOKEN_TTL_SECONDS - 60 } }))).toBe('UNAUTHENTICATED: Access token expired');
    for (const payload of [{ iss: 'other' }, { aud: 'other' }, { exp: undefined }, { iat: undefined }, { sub: undefined }]) {
      expect({ payload, outcome: await outcome(await forge({ payload })) }).toEqual({ payload, outcome: 'UNAUTHENTICATED: Invalid access token' });
    }
  });

  it('refuses well-signed tokens whose claims have the wrong shape', async () => {
    for (const payload of [{ sub: 'admin' }, { tid: 'tenant-a' }, { sv: '3' }, { sv: 1.5 }, { sid: 7 }, { scp: 'support:read' }, { scp: [1] }]) {
      expect({ payload, outcome: await outcome(await forge({ payload })) }).toEqual({ payload, outcome: 'UNAUTHENTICATED: Invalid access token' });
    }
  });
});
