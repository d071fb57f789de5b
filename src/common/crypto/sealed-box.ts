import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Keyring } from '../../config/keyring';

/** AES-256-GCM with a 96-bit random nonce and a 128-bit tag (NIST SP 800-38D's recommended sizes). */
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of every sealed value: the layout below, so a future one can be told apart. */
const FORMAT_V1 = 1;

/** A value encrypted under one key of the keyring: `keyId` names it, `sealed` is version‖iv‖tag‖ciphertext. */
export interface Sealed {
  keyId: string;
  sealed: Buffer;
}

export class SealedBoxError extends Error {}

/**
 * Encrypts under the keyring's primary key. `aad` (additional authenticated data) is not stored but
 * must be given again to open: binding it to where the value lives (tenant and type) makes a sealed
 * value copied to another row fail to open instead of decrypting there.
 */
export function seal(keyring: Keyring, plaintext: string | Buffer, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, keyring.primary.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: keyring.primary.id, sealed: Buffer.concat([Buffer.of(FORMAT_V1), iv, cipher.getAuthTag(), ciphertext]) };
}

/** Decrypts and authenticates; throws SealedBoxError (never saying more) for a wrong key, AAD or a tampered value. */
export function open(keyring: Keyring, value: Sealed, aad: string): Buffer {
  const key = keyring.key(value.keyId);
  if (!key) throw new SealedBoxError(`Key ${value.keyId} is not in the keyring`);
  const { sealed } = value;
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_V1) throw new SealedBoxError('Unknown sealed value format');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealedBoxError('The sealed value does not open with this key and context');
  }
}

/** True when the value is sealed under the keyring's primary key (nothing to re-encrypt). */
export function isCurrent(keyring: Keyring, value: Pick<Sealed, 'keyId'>): boolean {
  return value.keyId === keyring.primary.id;
}

/** A SHA-256 digest in hex: the form lookups by secret value use (verify tokens), never the value. */
export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}
