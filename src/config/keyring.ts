import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../common/project-root';
import type { AppConfig } from './app-config';
import { parseKeyring, VAULT_KEY_BYTES, type KeyringEntry } from './keyring-format';

/** Where development keeps its generated vault key (next to the embedded database, never committed). */
export const DEVELOPMENT_KEY_FILE = join(PROJECT_ROOT, '.data', 'credentials.keys');

/**
 * The credentials vault's keys (CREDENTIALS_KEYS): the first encrypts, every one decrypts, so a key
 * can be rotated in without a flag day. Production requires the variable (validate-config.ts); in
 * development a key is generated once and kept in `.data/credentials.keys` (so stored credentials
 * survive a restart), with a warning; under NODE_ENV=test an unset keyring is random per process.
 */
export class Keyring {
  readonly primary: KeyringEntry;
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(entries: readonly KeyringEntry[]) {
    if (entries.length === 0) throw new Error('A keyring needs at least one key');
    this.primary = entries[0];
    this.keys = new Map(entries.map((entry) => [entry.id, entry.key]));
  }

  static fromConfig(config: Pick<AppConfig, 'CREDENTIALS_KEYS' | 'NODE_ENV'>, keyFile = DEVELOPMENT_KEY_FILE): Keyring {
    if (config.CREDENTIALS_KEYS) return new Keyring(Keyring.parse(config.CREDENTIALS_KEYS));
    const logger = new Logger('Config');
    if (config.NODE_ENV === 'test') {
      logger.warn('CREDENTIALS_KEYS is not set: using a random vault key for this process');
      return new Keyring([{ id: 'ephemeral', key: randomBytes(VAULT_KEY_BYTES) }]);
    }
    logger.warn(`CREDENTIALS_KEYS is not set: using the development vault key in ${keyFile} (set CREDENTIALS_KEYS in production)`);
    return new Keyring(Keyring.parse(developmentKeys(keyFile)));
  }

  static parse(value: string): KeyringEntry[] {
    const parsed = parseKeyring(value);
    if (typeof parsed === 'string') throw new Error(`CREDENTIALS_KEYS ${parsed}`);
    return parsed;
  }

  key(id: string): Buffer | undefined {
    return this.keys.get(id);
  }

  get ids(): string[] {
    return [...this.keys.keys()];
  }
}

/** Reads the development key file, creating it (owner-only) on first use; two starts race safely. */
function developmentKeys(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `dev:${randomBytes(VAULT_KEY_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}
