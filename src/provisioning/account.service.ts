import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { PrismaService } from '../database/prisma.service';
import type { Principal } from '../tenancy/principal';
import { TenantContext } from '../tenancy/tenant-context';
import type { AccountOutput } from './dto/account.output';
import type { UpdateAccountInput } from './dto/update-account.input';
import { ProvisioningError, ProvisioningErrorCode } from './provisioning.errors';
import { conflictFromUniqueViolation } from './tenant-conflicts';
import { normaliseSettings, type TenantSettings } from './tenant-fields';
import { toAccountOutput } from './tenant-output';
import { TenantLookupService } from './tenant-lookup.service';
import { StorefrontService } from '../catalog/storefront.service';

/**
 * A tenant's own profile. The tenants table is global, so the row is chosen by the context's tenant
 * id, never by input; the output is built field by field (toAccountOutput) so operator-only fields
 * cannot leak, and the input class admits only what a tenant may change.
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly lookups: TenantLookupService,
    private readonly storefront: StorefrontService,
  ) {}

  async get(): Promise<AccountOutput> {
    const tenant = await this.prisma.tenant.findUnique({ where: { id: TenantContext.requireTenantId() } });
    if (!tenant) throw new ProvisioningError(ProvisioningErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
    return toAccountOutput(tenant);
  }

  async update(actor: Principal, input: UpdateAccountInput): Promise<AccountOutput> {
    const id = TenantContext.requireTenantId();
    try {
      const { before, after: tenant } = await this.prisma.$transaction(async (tx) => {
        const before = await tx.tenant.findUnique({ where: { id } });
        if (!before) throw new ProvisioningError(ProvisioningErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
        const after = await tx.tenant.update({
          where: { id },
          data: {
            name: input.name,
            email: input.email?.toLowerCase(),
            settings: input.settings ? (normaliseSettings(input.settings, before.settings as unknown as TenantSettings) as object) : undefined,
          },
        });
        const changed = (['name', 'email', 'settings'] as const).filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
        await this.audit.record(actor, { action: 'account.updated', tenantId: id, targetType: 'tenant', targetId: id, metadata: { changed } }, tx);
        return { before, after };
      });
      // The lookup answer and the storefront both show the tenant's name.
      await this.lookups.invalidate(before, tenant);
      await this.storefront.invalidateSlugs(tenant.slug);
      return toAccountOutput(tenant);
    } catch (error) {
      throw conflictFromUniqueViolation(error) ?? error;
    }
  }
}
