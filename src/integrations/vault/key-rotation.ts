import type { ClientBase } from 'pg';
import { isCurrent, open, SealedBoxError } from '../../common/crypto/sealed-box';
import type { Keyring } from '../../config/keyring';
import { TENANT_DATABASE_ROLE, TENANT_SETTING } from '../../tenancy/tenancy.constants';
import { credentialAad, sealCredential } from './credentials-vault.service';

export interface TenantToRotate {
  tenantId: string;
  /** Credentials of the tenant not yet under the primary key. */
  stale: number;
}

export interface TenantRotation {
  tenantId: string;
  reencrypted: number;
  fromKeyIds: string[];
}

/**
 * Tenants with credentials under another key than the keyring's primary. Reads every tenant's rows,
 * so the connection's role must bypass row-level security (like tenants:check-orphans).
 */
export async function tenantsToRotate(client: ClientBase, keyring: Keyring): Promise<TenantToRotate[]> {
  const { rows } = await client.query<{ tenantId: string; stale: string }>(
    `SELECT "tenantId", count(*) AS stale FROM integration_credentials WHERE "keyId" <> $1 GROUP BY "tenantId" ORDER BY "tenantId"`,
    [keyring.primary.id],
  );
  return rows.map((row) => ({ tenantId: row.tenantId, stale: Number(row.stale) }));
}

/**
 * Re-encrypts one tenant's credentials under the primary key, in one transaction as app_tenant on
 * that tenant (row-level security holds even if this code errs), with one audit event. Rows already
 * under the primary key are skipped, so an interrupted run simply continues where it stopped. A value
 * that does not open (its key is gone from the keyring) fails the tenant and changes nothing of it.
 */
export async function reencryptTenant(client: ClientBase, keyring: Keyring, tenantId: string): Promise<TenantRotation> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT set_config('role', $1, true), set_config($2, $3, true)`, [TENANT_DATABASE_ROLE, TENANT_SETTING, tenantId]);
    const { rows } = await client.query<{ id: string; type: string; keyId: string; ciphertext: Buffer }>(
      `SELECT id, type, "keyId", ciphertext FROM integration_credentials WHERE "tenantId" = $1 AND "keyId" <> $2 ORDER BY type FOR UPDATE`,
      [tenantId, keyring.primary.id],
    );
    const fromKeyIds = [...new Set(rows.map((row) => row.keyId))].sort();
    for (const row of rows) {
      if (isCurrent(keyring, row)) continue;
      let value: string;
      try {
        value = open(keyring, { keyId: row.keyId, sealed: row.ciphertext }, credentialAad(tenantId, row.type)).toString('utf8');
      } catch (error) {
        if (error instanceof SealedBoxError) throw new Error(`${row.type} (key ${row.keyId}): ${error.message}`, { cause: error });
        throw error;
      }
      const sealed = sealCredential(keyring, tenantId, row.type, value);
      // The value is unchanged, so rotatedAt (value replaced) stays; updatedAt moves (trigger).
      await client.query(`UPDATE integration_credentials SET "keyId" = $3, ciphertext = $4 WHERE "tenantId" = $1 AND id = $2`, [
        tenantId,
        row.id,
        sealed.keyId,
        Buffer.from(sealed.ciphertext),
      ]);
    }
    if (rows.length > 0) {
      await client.query(
        `INSERT INTO audit_events (id, "actorType", "actorId", action, "targetType", "targetId", "tenantId", "requestId", metadata)
         VALUES (gen_random_uuid(), 'SYSTEM', NULL, 'integration.credentials.reencrypted', 'tenant', $1, $2::uuid, NULL, $3::jsonb)`,
        [tenantId, tenantId, JSON.stringify({ count: rows.length, fromKeyIds, toKeyId: keyring.primary.id, types: rows.map((row) => row.type) })],
      );
    }
    await client.query('COMMIT');
    return { tenantId, reencrypted: rows.length, fromKeyIds };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
