import { randomFillSync } from 'node:crypto';

const bytes = Buffer.alloc(16);

/**
 * A UUIDv7 (RFC 9562: 48-bit Unix milliseconds, then random bits), the ids Prisma's
 * `@default(uuid(7))` makes, for rows written by raw SQL: time-ordered like the rest, so the
 * primary-key indexes grow at their right edge either way.
 */
export function uuidV7(now = Date.now()): string {
  randomFillSync(bytes);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
