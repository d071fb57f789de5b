import { jwtVerify, SignJWT } from 'jose';
import { JwtError, signHs256, verifyHs256 } from './hs256-jwt';

const key = new TextEncoder().encode('k'.repeat(40));
const expected = { issuer: 'iss', audience: 'aud' };
const now = Math.floor(Date.now() / 1000);
const claims = { iss: 'iss', aud: 'aud', sub: 'user', iat: now, exp: now + 60, tid: null };

const reason = (work: () => unknown) => {
  try {
    work();
    return 'accepted';
  } catch (error) {
    return (error as JwtError).reason;
  }
};

describe('HS256 JWT', () => {
  it('agrees with jose both ways', async () => {
    const ours = signHs256(claims, key);
    expect((await jwtVerify(ours, key, { algorithms: ['HS256'], issuer: 'iss', audience: 'aud' })).payload).toEqual(claims);
    const theirs = await new SignJWT({ tid: null }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('user').setIssuer('iss').setAudience('aud').setIssuedAt(now).setExpirationTime(now + 60).sign(key);
    expect(verifyHs256(theirs, key, expected)).toEqual(claims);
  });

  it('refuses a wrong key, a tampered payload, alg none and other algorithms', async () => {
    const token = signHs256(claims, key);
    const [header, body] = token.split('.');
    expect(reason(() => verifyHs256(token, new TextEncoder().encode('x'.repeat(40)), expected))).toBe('signature');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${token.split('.')[2]}`;
    expect(reason(() => verifyHs256(tampered, key, expected))).toBe('signature');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`;
    expect(reason(() => verifyHs256(none, key, expected))).toBe('malformed');
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode('k'.repeat(64)));
    expect(reason(() => verifyHs256(hs512, key, expected))).toBe('signature');
    for (const garbage of ['', 'a.b', 'a.b.c.d', '....', `${header}.${body}.!!`]) expect(reason(() => verifyHs256(garbage, key, expected))).toBe('malformed');
  });

  it('checks expiry, issue time, issuer and audience', () => {
    expect(reason(() => verifyHs256(signHs256({ ...claims, exp: now - 10 }, key), key, expected))).toBe('expired');
    expect(reason(() => verifyHs256(signHs256({ ...claims, iat: now + 3600 }, key), key, expected))).toBe('claims');
    expect(reason(() => verifyHs256(signHs256({ ...claims, iss: 'other' }, key), key, expected))).toBe('claims');
    expect(reason(() => verifyHs256(signHs256({ ...claims, aud: 'other' }, key), key, expected))).toBe('claims');
    const { exp: _exp, ...withoutExpiry } = claims;
    expect(reason(() => verifyHs256(signHs256(withoutExpiry, key), key, expected))).toBe('claims');
    expect(reason(() => verifyHs256(signHs256(claims, key), key, expected))).toBe('accepted');
  });
});
