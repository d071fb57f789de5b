import { registerDecorator, type ValidationArguments } from 'class-validator';

/** A key id: short, printable, safe in logs and in the `keyId` column. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const VAULT_KEY_BYTES = 32;

export interface KeyringEntry {
  id: string;
  key: Buffer;
}

/**
 * Parses `id:base64key,id:base64key`. Returns the entries (first = encrypting key) or the problem,
 * which never contains key material.
 */
export function parseKeyring(value: string): KeyringEntry[] | string {
  const parts = value.split(',').map((part) => part.trim()).filter(Boolean);
  if (parts.length === 0) return 'needs at least one id:base64key pair';
  const entries: KeyringEntry[] = [];
  for (const [index, part] of parts.entries()) {
    const colon = part.indexOf(':');
    const id = colon > 0 ? part.slice(0, colon) : '';
    if (!KEY_ID_PATTERN.test(id)) return `pair ${index + 1}: the id must be 1-32 of A-Z a-z 0-9 _ - followed by ':'`;
    const encoded = part.slice(colon + 1);
    const key = Buffer.from(encoded, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length !== VAULT_KEY_BYTES) {
      return `pair ${index + 1} (${id}): the key must be ${VAULT_KEY_BYTES} bytes in base64`;
    }
    if (entries.some((entry) => entry.id === id)) return `key id ${id} appears twice`;
    entries.push({ id, key });
  }
  return entries;
}

export function IsKeyring(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isKeyring',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        // A missing value is IsString's to report.
        validate: (value: unknown) => typeof value !== 'string' || typeof parseKeyring(value) !== 'string',
        defaultMessage: (args: ValidationArguments) => {
          const parsed = parseKeyring(args.value as string);
          return `CREDENTIALS_KEYS ${typeof parsed === 'string' ? parsed : 'is invalid'}`;
        },
      },
    });
}
