import { conflictFromUniqueViolation } from '../provisioning/tenant-conflicts';
import type { TenantLookupService } from '../provisioning/tenant-lookup.service';
import { TenantContext } from '../tenancy/tenant-context';
import type { TenantDatabase, TenantTransaction } from '../tenancy/tenant-database.service';

/** The tenant-row columns integrations own: unique across tenants, what webhooks and operators look tenants up by. */
export type LookupColumn = 'phoneNumberId' | 'genesysIntegrationId';

/**
 * Sets the current tenant's `column` to `value` on the platform path (app_tenant has no rights on
 * `tenants`), then runs `work` as the tenant in the same transaction, so both commit or neither does.
 * A value another tenant holds is the 409 of conflictFromUniqueViolation; after a change the lookup
 * cache forgets both the old and the new value. `work` gets the value before the change.
 */
export async function setLookupColumn<T>(
  database: TenantDatabase,
  lookups: TenantLookupService,
  column: LookupColumn,
  value: string,
  work: (db: TenantTransaction, before: string | null) => Promise<T>,
): Promise<T> {
  const tenantId = TenantContext.requireTenantId();
  let before: string | null = null;
  try {
    const result = await database.runFromPlatform(
      async (tx) => {
        before = await readColumn(tx, tenantId, column);
        if (before !== value) await tx.tenant.update({ where: { id: tenantId }, data: { [column]: value } });
        return { tenantId };
      },
      (db) => work(db, before),
    );
    if (before !== value) await lookups.invalidate({ [column]: before }, { [column]: value });
    return result;
  } catch (error) {
    throw conflictFromUniqueViolation(error) ?? error;
  }
}

/** The current tenant's `column`, read on the platform path, then `work` as the tenant with it. */
export function withLookupColumn<T>(database: TenantDatabase, column: LookupColumn, work: (db: TenantTransaction, value: string | null) => Promise<T>): Promise<T> {
  const tenantId = TenantContext.requireTenantId();
  return database.runFromPlatform(
    async (tx) => ({ tenantId, value: await readColumn(tx, tenantId, column) }),
    (db, prepared) => work(db, prepared.value),
  );
}

async function readColumn(tx: TenantTransaction, tenantId: string, column: LookupColumn): Promise<string | null> {
  const row = await tx.tenant.findUnique({ where: { id: tenantId }, select: { phoneNumberId: true, genesysIntegrationId: true } });
  return row?.[column] ?? null;
}
