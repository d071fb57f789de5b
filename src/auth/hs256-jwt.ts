import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compact JWS with HS256 only, on node:crypto. Why not `jose`: it costs ~9 MB of resident memory and
 * ~55 ms of start-up here (docs/benchmarks.md), against a budget with a few MB to spare, for one
 * algorithm we need. The tests sign and verify tokens with `jose` too, so the two must agree.
 * The header must be exactly HS256 (`alg: none` and every other algorithm are refused).
 */
export interface JwtPayload {
  [claim: string]: unknown;
  iss?: string;
  aud?: string;
  sub?: string;
  iat?: number;
  exp?: number;
}

export class JwtError extends Error {
  constructor(readonly reason: 'malformed' | 'signature' | 'expired' | 'claims') {
    super(`JWT rejected: ${reason}`);
  }
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Tolerated difference between our clock and the signer's (the signer is us, so small). */
const CLOCK_SKEW_SECONDS = 5;

export function signHs256(payload: JwtPayload, key: Uint8Array): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${mac(body, key).toString('base64url')}`;
}

export function verifyHs256(token: string, key: Uint8Array, expected: { issuer: string; audience: string }, now = Date.now()): JwtPayload {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) throw new JwtError('malformed');
  const [header, body, signature] = parts;
  const given = Buffer.from(signature, 'base64url');
  const wanted = mac(`${header}.${body}`, key);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new JwtError('signature');
  // Only after the signature: the header is ours, yet must say HS256 (no algorithm confusion).
  const parsedHeader = parseJson(header);
  if (parsedHeader.alg !== 'HS256' || (parsedHeader.typ !== undefined && parsedHeader.typ !== 'JWT') || parsedHeader.crit !== undefined) {
    throw new JwtError('malformed');
  }
  const payload = parseJson(body) as JwtPayload;
  const seconds = Math.floor(now / 1000);
  if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') throw new JwtError('claims');
  if (payload.exp <= seconds - CLOCK_SKEW_SECONDS) throw new JwtError('expired');
  if (payload.iat > seconds + CLOCK_SKEW_SECONDS) throw new JwtError('claims');
  if (payload.iss !== expected.issuer || payload.aud !== expected.audience) throw new JwtError('claims');
  return payload;
}

function mac(data: string, key: Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function parseJson(part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new JwtError('malformed');
}
