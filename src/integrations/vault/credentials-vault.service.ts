import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AuditService } from '../../audit/audit.service';
import { open, seal, SealedBoxError } from '../../common/crypto/sealed-box';
import { Keyring } from '../../config/keyring';
import type { Principal } from '../../tenancy/principal';
import { TenantContext } from '../../tenancy/tenant-context';
import type { TenantTransaction } from '../../tenancy/tenant-database.service';
import { MASK_PREFIX, MIN_LENGTH_TO_SHOW_LAST4 } from '../integrations.constants';
import { IntegrationsError, IntegrationsErrorCode } from '../integrations.errors';
import { checkCredentialValue, CREDENTIAL_TYPE_NAMES, type CredentialTypeName } from './credential-types';
import { CredentialsRepository, type SealedCredentialRow } from './credentials.repository';
import type { CredentialOutput } from './dto/credential.output';

/** Additional authenticated data of a credential: a ciphertext opens only as this tenant's value of this type. */
export function credentialAad(tenantId: string, type: string): string {
  return `integration-credential|v1|${tenantId}|${type}`;
}

/** What the mask shows of a value: its last four characters, when it is long enough to spare them. */
export function last4Of(value: string): string {
  return value.length >= MIN_LENGTH_TO_SHOW_LAST4 ? value.slice(-4) : '';
}

export function maskOf(last4: string): string {
  return `${MASK_PREFIX}${last4}`;
}

/** Identifies a value (did it change?) without revealing it: 64 bits of SHA-256 over tenant, type and value. */
export function fingerprintOf(tenantId: string, type: string, value: string): string {
  return createHash('sha256').update(`${tenantId}\0${type}\0${value}`).digest('hex').slice(0, 16);
}

/** Seals `value` for the tenant and type under the keyring's primary key (also used by key rotation). */
export function sealCredential(keyring: Keyring, tenantId: string, type: string, value: string): SealedCredentialRow {
  const sealed = seal(keyring, value, credentialAad(tenantId, type));
  return { keyId: sealed.keyId, ciphertext: new Uint8Array(sealed.sealed), fingerprint: fingerprintOf(tenantId, type, value), last4: last4Of(value) };
}

type CredentialRow = NonNullable<Awaited<ReturnType<CredentialsRepository['find']>>>;

/**
 * The credentials vault: the only code that encrypts or decrypts a tenant's integration secrets.
 * Every method runs inside the caller's tenant transaction; values go in through store() and come
 * out in the clear only through reveal(), for the integration that sends them on. Audit events and
 * answers carry the mask and fingerprint, never the value.
 */
@Injectable()
export class CredentialsVault {
  private readonly logger = new Logger(CredentialsVault.name);

  constructor(
    private readonly keyring: Keyring,
    private readonly credentials: CredentialsRepository,
    private readonly audit: AuditService,
  ) {}

  async store(db: TenantTransaction, actor: Principal, type: CredentialTypeName, value: string, field = 'value'): Promise<{ created: boolean; credential: CredentialOutput }> {
    checkCredentialValue(type, value, field);
    const tenantId = TenantContext.requireTenantId();
    const sealed = sealCredential(this.keyring, tenantId, type, value);
    const existing = await this.credentials.find(db, type);
    const row = existing ? await this.credentials.replace(db, existing.id, sealed, new Date()) : await this.credentials.create(db, type, sealed);
    await this.audit.record(
      actor,
      {
        action: existing ? 'integration.credential.replaced' : 'integration.credential.created',
        tenantId,
        targetType: 'integration_credential',
        targetId: type,
        metadata: { type, maskedValue: maskOf(sealed.last4), fingerprint: sealed.fingerprint, keyId: sealed.keyId },
      },
      db,
    );
    return { created: !existing, credential: toOutput(type, row) };
  }

  /** The stored value in the clear, for sending to the integration; null when none is stored. */
  async reveal(db: TenantTransaction, type: CredentialTypeName): Promise<string | null> {
    const row = await this.credentials.find(db, type);
    if (!row) return null;
    try {
      return open(this.keyring, { keyId: row.keyId, sealed: Buffer.from(row.ciphertext) }, credentialAad(row.tenantId, type)).toString('utf8');
    } catch (error) {
      if (!(error instanceof SealedBoxError)) throw error;
      this.logger.error({ type, keyId: row.keyId, reason: error.message }, 'stored credential does not decrypt');
      throw new IntegrationsError(IntegrationsErrorCode.CREDENTIAL_UNREADABLE, `The stored ${type} cannot be decrypted with the configured keys; store it again`);
    }
  }

  async view(db: TenantTransaction, type: CredentialTypeName): Promise<CredentialOutput | null> {
    const row = await this.credentials.find(db, type);
    return row ? toOutput(type, row) : null;
  }

  /** Every registered type, configured or not, in name order. */
  async list(db: TenantTransaction): Promise<CredentialOutput[]> {
    const rows = new Map((await this.credentials.list(db)).map((row) => [row.type, row]));
    return CREDENTIAL_TYPE_NAMES.map((type) => toOutput(type, rows.get(type)));
  }

  async remove(db: TenantTransaction, actor: Principal, type: CredentialTypeName): Promise<boolean> {
    const existing = await this.credentials.find(db, type);
    if (!existing) return false;
    await this.credentials.delete(db, type);
    await this.audit.record(
      actor,
      {
        action: 'integration.credential.deleted',
        tenantId: existing.tenantId,
        targetType: 'integration_credential',
        targetId: type,
        metadata: { type, maskedValue: maskOf(existing.last4), fingerprint: existing.fingerprint },
      },
      db,
    );
    return true;
  }
}

function toOutput(type: string, row: CredentialRow | undefined): CredentialOutput {
  return {
    type,
    configured: row !== undefined,
    maskedValue: row ? maskOf(row.last4) : null,
    fingerprint: row?.fingerprint ?? null,
    keyId: row?.keyId ?? null,
    createdAt: row?.createdAt ?? null,
    updatedAt: row?.updatedAt ?? null,
    rotatedAt: row?.rotatedAt ?? null,
  };
}
