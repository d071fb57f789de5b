import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Tenant } from '../generated/prisma/client';
import type { Principal } from '../tenancy/principal';
import { TenantDatabase, type TenantTransaction } from '../tenancy/tenant-database.service';
import type { TenantOutput } from './dto/tenant.output';
import { ProvisioningError, ProvisioningErrorCode } from './provisioning.errors';
import { TenantLookupService } from './tenant-lookup.service';
import { StorefrontService } from '../catalog/storefront.service';
import { toTenantOutput } from './tenant-output';
import { planTransition, type LifecycleAction } from './tenant-status-machine';

/**
 * Tenant-owned models in an order that respects their foreign keys (packages before their
 * segments). Finalize empties each; a database test fails when a tenant-owned table is missing here.
 */
export const TENANT_DATA_DELETION_ORDER = [
  'agentProposal',
  'package',
  'segment',
  'apiKey',
  'integrationCredential',
  'integrationConfig',
  'whatsAppInboundEvent',
  'whatsAppSignupState',
  'idempotencyKey',
] as const;

/**
 * The lifecycle state machine (tenant-status-machine.ts) applied to the database. A transition
 * locks the tenant row, checks the move, writes the status and reason, and records the audit event,
 * all in one transaction; finalize also removes the tenant's data there. The tenant row itself stays
 * as a tombstone (status DELETED, contact details scrubbed) so its audit trail keeps a subject.
 */
@Injectable()
export class TenantLifecycleService {
  constructor(
    private readonly database: TenantDatabase,
    private readonly audit: AuditService,
    private readonly lookups: TenantLookupService,
    private readonly storefront: StorefrontService,
  ) {}

  async transition(actor: Principal, tenantId: string, action: LifecycleAction, reason?: string): Promise<TenantOutput> {
    const { before, after } = await this.database.runFromPlatform(
      async (tx) => {
        const before = await lockTenant(tx, tenantId);
        const plan = planTransition(before.status, action);
        if (plan.kind === 'illegal') {
          throw new ProvisioningError(ProvisioningErrorCode.INVALID_TRANSITION, `Cannot ${action} a tenant that is ${before.status}`, [
            { field: 'status', message: `is ${before.status}` },
          ]);
        }
        if (plan.kind === 'already-done') return { tenantId, before, after: before, changed: false };
        if (action === 'finalize') await removeGlobalTenantData(tx, tenantId);
        const after = await tx.tenant.update({
          where: { id: tenantId },
          data: { status: plan.to, statusReason: reason ?? null, ...(action === 'finalize' ? scrubbed(tenantId) : {}) },
        });
        return { tenantId, before, after, changed: true };
      },
      async (db, prepared) => {
        if (!prepared.changed) return prepared;
        if (action === 'finalize') {
          for (const model of TENANT_DATA_DELETION_ORDER) await (db[model] as { deleteMany(args: object): Promise<unknown> }).deleteMany({});
        }
        await this.audit.record(
          actor,
          {
            action: `tenant.${action}`,
            tenantId,
            targetType: 'tenant',
            targetId: tenantId,
            metadata: { from: prepared.before.status, to: prepared.after.status, ...(reason ? { reason } : {}) },
          },
          db,
        );
        return prepared;
      },
    );
    if (before !== after) {
      await this.lookups.invalidate(before, after);
      await this.storefront.invalidateSlugs(after.slug);
    }
    return toTenantOutput(after);
  }
}

async function lockTenant(tx: TenantTransaction, tenantId: string): Promise<Tenant> {
  // FOR UPDATE: two transitions of one tenant run one after the other, each seeing the other's result.
  const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM tenants WHERE id = ${tenantId}::uuid FOR UPDATE`;
  const tenant = locked.length ? await tx.tenant.findUnique({ where: { id: tenantId } }) : null;
  if (!tenant) throw new ProvisioningError(ProvisioningErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
  return tenant;
}

/** Memberships go (users are global and stay); sessions in the tenant end. */
async function removeGlobalTenantData(tx: TenantTransaction, tenantId: string): Promise<void> {
  await tx.tenantMembership.deleteMany({ where: { tenantId } });
  await tx.refreshToken.updateMany({ where: { activeTenantId: tenantId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** A deleted tenant keeps its id, slug and name; its contact and routing fields are released. */
function scrubbed(tenantId: string) {
  return { email: `deleted+${tenantId}@deleted.invalid`, domain: null, phoneNumberId: null, genesysIntegrationId: null };
}
