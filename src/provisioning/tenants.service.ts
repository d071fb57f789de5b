import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { TenantStatus } from '../generated/prisma/enums';
import type { Principal } from '../tenancy/principal';
import type { TenantOutput, TenantPageOutput } from './dto/tenant.output';
import type { UpdateTenantInput } from './dto/update-tenant.input';
import { ProvisioningError, ProvisioningErrorCode } from './provisioning.errors';
import { conflictFromUniqueViolation } from './tenant-conflicts';
import { normaliseSettings, type TenantSettings } from './tenant-fields';
import { TenantLookupService } from './tenant-lookup.service';
import { StorefrontService } from '../catalog/storefront.service';
import { toTenantOutput } from './tenant-output';

/** Fields whose changes are worth naming in the audit trail (all of the PATCH's). */
const AUDITED_FIELDS = ['name', 'email', 'domain', 'settings', 'commissionPercent', 'phoneNumberId', 'genesysIntegrationId', 'rateLimitPerMinute'] as const;

/**
 * Operators' reads and edits of tenants (platform path: tenants is a global table). Lifecycle
 * moves are TenantLifecycleService's; creation is TenantProvisioningService's.
 */
@Injectable()
export class TenantsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly lookups: TenantLookupService,
    private readonly storefront: StorefrontService,
  ) {}

  async list(query: { limit: number; offset: number; status?: TenantStatus; search?: string }): Promise<TenantPageOutput> {
    const where: Prisma.TenantWhereInput = {
      ...(query.status ? { status: query.status } : {}),
      ...(query.search
        ? { OR: (['slug', 'name', 'email'] as const).map((field) => ({ [field]: { contains: query.search, mode: 'insensitive' as const } })) }
        : {}),
    };
    const [rows, total] = await this.prisma.$transaction([
      // Stable order: newest first, ties (same millisecond) broken by id.
      this.prisma.tenant.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit, skip: query.offset }),
      this.prisma.tenant.count({ where }),
    ]);
    return { items: rows.map(toTenantOutput), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<TenantOutput> {
    const tenant = await this.prisma.tenant.findUnique({ where: { id } });
    if (!tenant) throw notFound();
    return toTenantOutput(tenant);
  }

  async update(actor: Principal, id: string, input: UpdateTenantInput): Promise<TenantOutput> {
    try {
      const { before, after } = await this.prisma.$transaction(async (tx) => {
        const before = await tx.tenant.findUnique({ where: { id } });
        if (!before) throw notFound();
        if (before.status === 'DELETED') {
          throw new ProvisioningError(ProvisioningErrorCode.INVALID_TRANSITION, 'A deleted tenant cannot be changed', [{ field: 'status', message: 'is DELETED' }]);
        }
        const data: Prisma.TenantUpdateInput = {
          name: input.name,
          email: input.email?.toLowerCase(),
          domain: input.domain === null ? null : input.domain?.toLowerCase(),
          phoneNumberId: input.phoneNumberId,
          genesysIntegrationId: input.genesysIntegrationId,
          commissionPercent: input.commissionPercent,
          rateLimitPerMinute: input.rateLimitPerMinute,
          settings: input.settings ? (normaliseSettings(input.settings, before.settings as unknown as TenantSettings) as object) : undefined,
        };
        const after = await tx.tenant.update({ where: { id }, data });
        const changed = AUDITED_FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
        await this.audit.record(actor, { action: 'tenant.updated', tenantId: id, targetType: 'tenant', targetId: id, metadata: { changed } }, tx);
        return { before, after };
      });
      await this.lookups.invalidate(before, after);
      await this.storefront.invalidateSlugs(after.slug);
      return toTenantOutput(after);
    } catch (error) {
      throw conflictFromUniqueViolation(error) ?? error;
    }
  }
}

function notFound(): ProvisioningError {
  return new ProvisioningError(ProvisioningErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
}
