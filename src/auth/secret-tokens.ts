import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Key material for API keys, service-account keys and refresh tokens. Secrets are random 256-bit
 * values shown once; only their SHA-256 is stored (a fast hash is right for high-entropy secrets,
 * unlike passwords). A key's secret embeds its key id so lookup needs no scan:
 *   tenant API key:   public `pk_<kid>`,     secret `sk_<kid>_<random>`
 *   service account:  public `pk_svc_<kid>`, secret `sk_svc_<kid>_<random>`
 */
const KID = /^[0-9a-f]{24}$/;
const RANDOM = /^[A-Za-z0-9_-]{43}$/;

export type KeyOwner = 'tenant' | 'service';

export interface KeyMaterial {
  publicId: string;
  secret: string;
  secretHash: string;
}

export interface ParsedSecret {
  owner: KeyOwner;
  publicId: string;
  secret: string;
}

export function generateKeyMaterial(owner: KeyOwner): KeyMaterial {
  const kid = randomBytes(12).toString('hex');
  const prefix = owner === 'service' ? 'svc_' : '';
  const secret = `sk_${prefix}${kid}_${randomBytes(32).toString('base64url')}`;
  return { publicId: `pk_${prefix}${kid}`, secret, secretHash: sha256Hex(secret) };
}

/** Null for anything that is not exactly a well-formed key secret. */
export function parseKeySecret(value: string): ParsedSecret | null {
  if (!value.startsWith('sk_')) return null;
  const service = value.startsWith('sk_svc_');
  const rest = value.slice(service ? 7 : 3);
  const kid = rest.slice(0, 24);
  if (!KID.test(kid) || rest[24] !== '_' || !RANDOM.test(rest.slice(25))) return null;
  return { owner: service ? 'service' : 'tenant', publicId: `pk_${service ? 'svc_' : ''}${kid}`, secret: value };
}

export function generateOpaqueToken(): { token: string; tokenHash: string } {
  const token = `rt_${randomBytes(32).toString('base64url')}`;
  return { token, tokenHash: sha256Hex(token) };
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Compares a presented secret with a stored hash in time that does not depend on where they differ. */
export function secretMatches(secret: string, storedHashHex: string): boolean {
  const given = Buffer.from(sha256Hex(secret), 'hex');
  const stored = Buffer.from(storedHashHex, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
